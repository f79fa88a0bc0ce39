import { describe, expect, it } from 'vitest';

import { bandOf, closeRatesBy, scoreBands, wilsonInterval } from '../../src/report/close-rates.ts';

describe('wilsonInterval', () => {
  // Reference values computed separately in Python from the closed form with z = 1.959964.
  it.each([
    [0, 10, 0, 0.27753],
    [5, 10, 0.23659, 0.76341],
    [10, 10, 0.72247, 1],
    [38, 100, 0.29098, 0.4779],
  ])('gives %i of %i as %f to %f', (wins, leads, lower, upper) => {
    const interval = wilsonInterval(wins, leads);

    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('returns NaN bounds for no leads', () => {
    expect(wilsonInterval(0, 0).lower).toBeNaN();
  });
});

describe('closeRatesBy', () => {
  it('keeps the key order and lists empty keys', () => {
    const labels = [1, 0, 1, 1];
    const tiers = ['hot', 'cold', 'hot', 'cold'];

    const rows = closeRatesBy(labels, (index) => tiers[index]!, ['hot', 'warm', 'cold']);

    expect(rows.map((row) => [row.label, row.leads, row.wins, row.closeRate])).toEqual([
      ['hot', 2, 2, 1],
      ['warm', 0, 0, Number.NaN],
      ['cold', 2, 1, 0.5],
    ]);
  });
});

describe('scoreBands', () => {
  it('covers the scores in bands of the given width', () => {
    const bands = scoreBands([-7, 0, 12, 29.5], 10);

    expect(bands.map((band) => band.label)).toEqual(['-10 to 0', '0 to 10', '10 to 20', '20 to 30']);
    expect(bandOf(bands, 0)).toBe('0 to 10');
    expect(bandOf(bands, -0.5)).toBe('-10 to 0');
    expect(bandOf(bands, 29.5)).toBe('20 to 30');
  });
});
