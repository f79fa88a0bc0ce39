import { describe, expect, it } from 'vitest';

import { escapeXml, intervalBarChart, lineChart } from '../../src/report/svg-charts.ts';

describe('lineChart', () => {
  const svg = lineChart({
    title: 'ROC <model> & "rules"',
    xLabel: 'x',
    yLabel: 'y',
    diagonal: true,
    width: 200,
    height: 200,
    series: [{ name: 'model', color: '#00f', points: [{ x: 0, y: 0 }, { x: 0.5, y: 1 }, { x: 1, y: Number.NaN }] }],
  });

  it('escapes the title', () => {
    expect(svg).toContain('<title>ROC &lt;model&gt; &amp; &quot;rules&quot;</title>');
  });

  it('maps data to the plot area and skips NaN points', () => {
    // Plot area: x from 56 to 184, y from 152 (bottom) to 32 (top).
    expect(svg).toContain('d="M56,152 L120,32"');
  });

  it('draws the diagonal and closes the element', () => {
    expect(svg).toContain('<line class="reference" x1="56" y1="152" x2="184" y2="32"');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});

describe('intervalBarChart', () => {
  it('draws one bar and whisker per finite value', () => {
    const svg = intervalBarChart({
      title: 'close rate',
      yLabel: 'rate',
      color: '#f00',
      width: 300,
      height: 200,
      bars: [
        { label: 'hot', value: 0.5, lower: 0.25, upper: 0.75 },
        { label: 'empty', value: Number.NaN, lower: Number.NaN, upper: Number.NaN },
      ],
    });

    expect(svg.match(/<rect class="bar"/g)).toHaveLength(1);
    expect(svg.match(/<line class="interval"/g)).toHaveLength(1);
    // Plot height 120 from y = 152: 0.5 -> 92, 0.25 -> 122, 0.75 -> 62.
    expect(svg).toContain('y="92"');
    expect(svg).toContain('y1="122" x2="');
    expect(svg).toContain('y2="62"');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
