import { describe, expect, it } from 'vitest';

import { driftMeasure, formatDriftMarkdown, meanDriftResult, plattOnRecent, recentOutcomeCount, type DriftResult } from '../bench/drift.ts';
import { createRandom } from '../training/synthetic-export.ts';

describe('plattOnRecent', () => {
  it('moves the later probabilities to the recent won rate', () => {
    const random = createRandom(9);
    // Every lead predicted at 0.1, while 30 % of them win.
    const probabilities = Array.from({ length: 5000 }, () => 0.1);
    const labels = probabilities.map(() => (random() < 0.3 ? 1 : 0));

    const { before, after } = plattOnRecent(probabilities, labels, 1000);

    expect(before).toHaveLength(4000);
    expect(before[0]).toBeCloseTo(0.1, 10);
    const recentRate = labels.slice(0, 1000).reduce<number>((sum, label) => sum + label, 0) / 1000;
    expect(after[0]).toBeCloseTo(recentRate, 2);
    expect(driftMeasure(labels.slice(1000), after).ece).toBeLessThan(driftMeasure(labels.slice(1000), before).ece);
  });
});

describe('drift table', () => {
  const measure = { auc: 0.7, ece: 0.2, brier: 0.25, meanProbability: 0.1, wonRate: 0.3 };
  const run = (eceAfter: number): DriftResult => ({
    split: 'bank-no-duration',
    model: 'leadscore',
    recentRows: 1648,
    recentWonRate: 0.25,
    laterRows: 6590,
    before: measure,
    after: { ...measure, ece: eceAfter },
  });

  it('cuts the first 20 % of the test part', () => {
    expect(recentOutcomeCount(8238)).toBe(1648);
  });

  it('averages seeds and shows the spread of ECE after', () => {
    const mean = meanDriftResult([run(0.02), run(0.04)], 'leadscore (2 seeds)', [42, 43]);

    expect(mean.after.ece).toBeCloseTo(0.03, 10);
    expect(mean.spread!.eceAfterSd).toBeCloseTo(Math.SQRT2 * 0.01, 10);
    expect(formatDriftMarkdown([mean])).toContain('| bank-no-duration | leadscore (2 seeds) | 0.700 | 0.700 | 0.200 | 0.030 ± 0.0141 |');
  });
});
