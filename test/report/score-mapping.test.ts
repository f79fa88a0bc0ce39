import { describe, expect, it } from 'vitest';

import { fitScoreMapping, mapScore } from '../../src/report/score-mapping.ts';

describe('fitScoreMapping', () => {
  // Close rates per score: 0 -> 1/2, 1 -> 0/2, 2 -> 2/2. Scores 0 and 1 violate the order and pool to 1/4.
  const mapping = fitScoreMapping([0, 0, 1, 1, 2, 2], [0, 1, 0, 0, 1, 1]);

  it('pools adjacent violators', () => {
    expect(mapping.scores).toEqual([0, 1, 2]);
    expect(mapping.counts).toEqual([2, 2, 2]);
    expect(mapping.closeRates[0]).toBeCloseTo(0.25, 12);
    expect(mapping.closeRates[1]).toBeCloseTo(0.25, 12);
  });

  it('keeps a small all-won block away from certainty', () => {
    // Two leads, both won: capped at 1 - 0.5 / 3.
    expect(mapping.closeRates[2]).toBeCloseTo(1 - 0.5 / 3, 12);
  });

  it('interpolates between scores and holds the ends', () => {
    expect(mapScore(mapping, 1.5)).toBeCloseTo(0.25 + 0.5 * (1 - 0.5 / 3 - 0.25), 12);
    expect(mapScore(mapping, -5)).toBeCloseTo(0.25, 12);
    expect(mapScore(mapping, 10)).toBeCloseTo(1 - 0.5 / 3, 12);
  });

  it('never decreases with the score', () => {
    const scores = Array.from({ length: 300 }, (_, index) => index % 37);
    const labels = scores.map((score, index) => ((score * 7 + index) % 5 < 2 ? 1 : 0));

    const fitted = fitScoreMapping(scores, labels).closeRates;

    fitted.forEach((rate, index) => expect(rate).toBeGreaterThanOrEqual(fitted[index - 1] ?? 0));
  });
});
