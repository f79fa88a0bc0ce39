import { describe, expect, it } from 'vitest';

import { fitIsotonic, fitPlatt, logit, sigmoid } from '../src/core/calibration.ts';
import { expectedCalibrationError } from '../src/core/metrics.ts';
import { createRandom } from '../src/core/models/random.ts';

/** Draws labels whose true probability is sigmoid(2 * logit(raw) - 0.5): an overconfident model. */
function overconfidentSample(n: number, seed: number): { raw: number[]; labels: number[] } {
  const random = createRandom(seed);
  const raw: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const p = 0.02 + 0.96 * random();
    raw.push(p);
    labels.push(random() < sigmoid(0.5 * logit(p) - 0.5) ? 1 : 0);
  }
  return { raw, labels };
}

describe('fitPlatt', () => {
  it('recovers the slope and intercept that generated the labels', () => {
    const { raw, labels } = overconfidentSample(20_000, 7);
    const calibrator = fitPlatt(raw, labels);
    if (calibrator.state.method !== 'platt') throw new Error('expected a Platt calibrator');
    expect(calibrator.state.slope).toBeCloseTo(0.5, 1);
    expect(calibrator.state.intercept).toBeCloseTo(-0.5, 1);
  });

  it('lowers the calibration error of an overconfident model', () => {
    const { raw, labels } = overconfidentSample(5_000, 11);
    const before = expectedCalibrationError(labels, raw);
    const after = expectedCalibrationError(labels, fitPlatt(raw, labels).calibrateAll(raw));
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.03);
  });

  it('converges when the won rate shifted far from the outputs', () => {
    // Outcomes win at sigmoid(logit(raw) - 3): a full Newton step from slope 1, intercept 0
    // overshoots here, and without a line search the fit ran off to slopes above 10,000.
    const random = createRandom(3);
    const raw = Array.from({ length: 2000 }, () => sigmoid(logit(0.02 + 0.96 * random()) + 1));
    const labels = raw.map((p) => (random() < sigmoid(logit(p) - 3) ? 1 : 0));

    const calibrator = fitPlatt(raw, labels);

    if (calibrator.state.method !== 'platt') throw new Error('expected a Platt calibrator');
    expect(Math.abs(calibrator.state.slope - 1)).toBeLessThan(0.2);
    expect(Math.abs(calibrator.state.intercept + 3)).toBeLessThan(0.3);
  });

  it('stays finite on a perfectly separated slice', () => {
    const calibrator = fitPlatt([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
    expect(Number.isFinite(calibrator.calibrate(0.5))).toBe(true);
  });
});

describe('fitIsotonic', () => {
  it('pools adjacent violators into their mean', () => {
    // Sorted by raw: outcomes 0, 1, 0, 1 -> the middle pair (1, 0) violates order and pools to 0.5.
    const calibrator = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(calibrator.calibrate(0.1)).toBe(0);
    expect(calibrator.calibrate(0.2)).toBe(0.5);
    expect(calibrator.calibrate(0.3)).toBe(0.5);
    expect(calibrator.calibrate(0.4)).toBe(1);
  });

  it('interpolates between fitted points and clamps outside them', () => {
    const calibrator = fitIsotonic([0.2, 0.6], [0, 1]);
    expect(calibrator.calibrate(0.4)).toBeCloseTo(0.5, 12);
    expect(calibrator.calibrate(0.01)).toBe(0);
    expect(calibrator.calibrate(0.99)).toBe(1);
  });

  it('never decreases', () => {
    const { raw, labels } = overconfidentSample(2_000, 3);
    const calibrator = fitIsotonic(raw, labels);
    let previous = -1;
    for (let p = 0; p <= 1; p += 0.01) {
      const value = calibrator.calibrate(p);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
  });
});
