import { describe, expect, it } from 'vitest';

import { horizontalBarChart, niceTicks } from '../../src/report/horizontal-bar-chart.ts';

describe('niceTicks', () => {
  it('uses round steps that cover the range', () => {
    expect(niceTicks(0, 0.14, 5)).toEqual([0, 0.05, 0.1]);
    expect(niceTicks(-0.3, 0.5, 4)).toEqual([-0.2, 0, 0.2, 0.4]);
    expect(niceTicks(0, 1600, 5)).toEqual([0, 500, 1000, 1500]);
  });

  it('returns one tick for an empty range', () => {
    expect(niceTicks(2, 2)).toEqual([2]);
  });
});

describe('horizontalBarChart', () => {
  const chart = horizontalBarChart(
    [
      { label: 'Total Time Spent on Website', value: 0.14, error: 0.01 },
      { label: 'City <unknown> & "quoted"', value: -0.02 },
    ],
    { title: 'AUC drop', axisLabel: 'AUC drop' },
  );

  it('draws one rect per bar and an error whisker', () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.match(/<rect /g)).toHaveLength(2);
    expect(chart).toContain('stroke-width="1.2"');
  });

  it('colours negative bars apart from positive ones', () => {
    expect(chart).toContain('fill="#2f6db5"');
    expect(chart).toContain('fill="#c0504d"');
  });

  it('escapes labels', () => {
    expect(chart).toContain('City &lt;unknown&gt; &amp; &quot;quoted&quot;');
    expect(chart).not.toContain('<unknown>');
  });
});
