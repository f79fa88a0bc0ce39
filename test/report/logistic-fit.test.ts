import { describe, expect, it } from 'vitest';

import { fitLogisticRegression, solveLinearSystem } from '../../src/report/logistic-fit.ts';

describe('fitLogisticRegression', () => {
  it('recovers log odds for one binary feature without penalty', () => {
    // x = 0: 1 won of 4, so the intercept is log(1/3). x = 1: 3 won of 4, so log odds log(3).
    const features = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const labels = [1, 0, 0, 0, 1, 1, 1, 0];

    const fit = fitLogisticRegression(features, labels, { l2: 0 });

    expect(fit.intercept).toBeCloseTo(Math.log(1 / 3), 8);
    expect(fit.weights[0]).toBeCloseTo(2 * Math.log(3), 8);
  });

  it('keeps a separating feature finite with a penalty', () => {
    const features = [[0], [0], [1], [1]];
    const labels = [0, 0, 1, 1];

    const fit = fitLogisticRegression(features, labels, { l2: 1 });

    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(0);
  });
});

describe('solveLinearSystem', () => {
  it('solves a system that needs pivoting', () => {
    const solution = solveLinearSystem([[0, 2], [3, 1]], [4, 5]);

    expect(solution[0]).toBeCloseTo(1, 12);
    expect(solution[1]).toBeCloseTo(2, 12);
  });

  it('rejects a singular system', () => {
    expect(() => solveLinearSystem([[1, 2], [2, 4]], [1, 2])).toThrow(/singular at column 1/);
  });
});
