import { describe, expect, it } from 'vitest';

import type { ModelMetrics } from '../../src/core/model-bundle.ts';
import { formatMetrics } from '../../training/progress.ts';

const part = (rows: number) => ({ rows, positives: rows / 4, positiveRate: 0.25, auc: 0.8, prAuc: 0.5, brier: 0.15, ece: 0.02, logLoss: 0.45 });

function metrics(networks: number | undefined, trainRows: number, heldOutRows: number): ModelMetrics {
  return {
    test: part(200),
    calibrationSlice: part(heldOutRows),
    trainRows,
    ...(networks === undefined ? {} : { networks }),
    split: { orderColumn: 'Lead Number', testFraction: 0.2, calibrationFraction: 0.2, firstTestValue: '900', cutoff: '900', configuredCutoff: null },
    labels: { rowsRead: 1000, rowsUsed: 1000, censored: 0, rejected: 0, won: 250, lost: 750, asOf: null },
  } as ModelMetrics;
}

describe('formatMetrics', () => {
  it('names the slice sizes of one network', () => {
    const text = formatMetrics(metrics(1, 640, 160));
    expect(text).toContain('training leads 640, calibration leads 160');
  });

  it('reads a bundle without a network count as one network', () => {
    expect(formatMetrics(metrics(undefined, 640, 160))).toContain('training leads 640, calibration leads 160');
  });

  it('describes the blocks of an ensemble', () => {
    const text = formatMetrics(metrics(3, 533, 800));
    expect(text).toContain('3 networks over 800 earlier leads, each trained on about 533 and calibrated on the rest');
    expect(text).not.toContain('calibration leads');
  });
});
