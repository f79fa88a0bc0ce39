import { describe, expect, it } from 'vitest';

import {
  averagePrecision,
  brierScore,
  classificationMetrics,
  expectedCalibrationError,
  logLoss,
  reliabilityBins,
  rocAuc,
} from '../src/core/metrics.ts';

describe('rocAuc', () => {
  it('is 1 when every win outranks every loss', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
  });

  it('matches a hand count of concordant pairs', () => {
    // Pairs (win, loss): (0.35 vs 0.1) ok, (0.35 vs 0.4) wrong, (0.8 vs 0.1) ok, (0.8 vs 0.4) ok: 3 of 4.
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it('counts tied scores as half a pair', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBeCloseTo(0.5, 12);
    // One tie (0.5, 0.5) = 0.5 and one clean win (0.9 vs 0.5) = 1, out of 2 pairs.
    expect(rocAuc([0, 1, 1], [0.5, 0.5, 0.9])).toBeCloseTo(0.75, 12);
  });

  it('is NaN when only one class is present', () => {
    expect(rocAuc([1, 1], [0.2, 0.4])).toBeNaN();
  });

  it('rejects arrays of different length', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow(/differ in length/);
  });
});

describe('averagePrecision', () => {
  it('matches precision averaged at each win', () => {
    // Ranked: 0.9 (win, P=1/1), 0.8 (loss), 0.7 (win, P=2/3): AP = (1 + 2/3) / 2.
    expect(averagePrecision([1, 0, 1], [0.9, 0.8, 0.7])).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });
});

describe('brierScore', () => {
  it('is the mean squared error', () => {
    // (0.2)^2 + (0.4)^2 + (0.9)^2 = 0.04 + 0.16 + 0.81 = 1.01, over 3.
    expect(brierScore([0, 1, 0], [0.2, 0.6, 0.9])).toBeCloseTo(1.01 / 3, 12);
  });
});

describe('logLoss', () => {
  it('is the mean negative log-likelihood in nats', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
  });

  it('stays finite for a confident wrong prediction', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 6);
  });
});

describe('expectedCalibrationError', () => {
  it('weights each bin gap by its count', () => {
    // Bin [0.1, 0.2): p = 0.1, 0.1, outcomes 0, 1 -> |0.5 - 0.1| = 0.4, weight 2.
    // Bin [0.9, 1.0]: p = 0.9, 1.0, outcomes 1, 1 -> |1 - 0.95| = 0.05, weight 2.
    expect(expectedCalibrationError([0, 1, 1, 1], [0.1, 0.1, 0.9, 1.0])).toBeCloseTo((2 * 0.4 + 2 * 0.05) / 4, 12);
  });

  it('is 0 when every bin rate equals its mean probability', () => {
    expect(expectedCalibrationError([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(0, 12);
  });
});

describe('reliabilityBins', () => {
  it('puts probability 1 in the last bin and leaves empty bins NaN', () => {
    const bins = reliabilityBins([1, 0], [1, 0.05], 10);
    expect(bins).toHaveLength(10);
    expect(bins[9]!.count).toBe(1);
    expect(bins[0]!.count).toBe(1);
    expect(bins[5]!.meanProbability).toBeNaN();
  });
});

describe('classificationMetrics', () => {
  it('reports counts and positive rate beside the scores', () => {
    const metrics = classificationMetrics([0, 1, 1, 0], [0.2, 0.7, 0.6, 0.1]);
    expect(metrics.rows).toBe(4);
    expect(metrics.positives).toBe(2);
    expect(metrics.positiveRate).toBe(0.5);
    expect(metrics.auc).toBe(1);
  });
});
