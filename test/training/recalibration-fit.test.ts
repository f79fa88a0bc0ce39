import { describe, expect, it } from 'vitest';

import { logit, sigmoid, type CalibratorState } from '../../src/core/calibration.ts';
import { InsufficientDataError } from '../../training/data-guard.ts';
import { checkOutcomeCounts, countOutcomes, fitMemberCalibrators } from '../../training/recalibration-fit.ts';
import { createRandom } from '../../training/synthetic-export.ts';

type PlattState = Extract<CalibratorState, { method: 'platt' }>;

/** Raw outputs in (0.02, 0.98) and outcomes drawn with probability sigmoid(slope * logit(raw) + intercept). */
function drawOutcomes(count: number, slope: number, intercept: number, seed: number) {
  const random = createRandom(seed);
  const raw = Float32Array.from({ length: count }, () => 0.02 + 0.96 * random());
  const labels = Float32Array.from(raw, (value) => (random() < sigmoid(slope * logit(value) + intercept) ? 1 : 0));
  return { raw, labels };
}

describe('fitMemberCalibrators', () => {
  it('recovers each member’s Platt map from its own outputs', () => {
    const first = drawOutcomes(20_000, 2, -1, 1);
    const second = drawOutcomes(20_000, 0.5, 0.8, 2);
    // Both members score the same leads; each gets outcomes from its own map for the check.
    const [a, b] = fitMemberCalibrators([first.raw], first.labels, 'platt').concat(fitMemberCalibrators([second.raw], second.labels, 'platt'));

    const fittedA = a!.state as PlattState;
    const fittedB = b!.state as PlattState;
    expect(Math.abs(fittedA.slope - 2)).toBeLessThan(0.1);
    expect(Math.abs(fittedA.intercept + 1)).toBeLessThan(0.1);
    expect(Math.abs(fittedB.slope - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(fittedB.intercept - 0.8)).toBeLessThan(0.1);
  });

  it('fits one calibrator per member', () => {
    const { raw, labels } = drawOutcomes(2000, 1, -2, 3);
    const shifted = Float32Array.from(raw, (value) => sigmoid(logit(value) + 1));

    const calibrators = fitMemberCalibrators([raw, shifted], labels, 'platt');

    expect(calibrators).toHaveLength(2);
    const [first, second] = calibrators.map((calibrator) => calibrator.state as PlattState);
    // The second member's outputs are the first's shifted by +1 in log-odds, so its intercept is lower by the slope.
    expect(second!.slope).toBeCloseTo(first!.slope, 4);
    expect(second!.intercept).toBeCloseTo(first!.intercept - first!.slope, 4);
  });

  it('fits isotonic regression when asked', () => {
    const { raw, labels } = drawOutcomes(500, 1, 0, 4);

    const [calibrator] = fitMemberCalibrators([raw], labels, 'isotonic');

    expect(calibrator!.state.method).toBe('isotonic');
  });

  it('rejects outputs and labels of different lengths', () => {
    expect(() => fitMemberCalibrators([new Float32Array(3)], new Float32Array(4), 'platt')).toThrow('raw outputs (3) and labels (4) differ in length');
  });
});

describe('checkOutcomeCounts', () => {
  it.each([
    [{ leads: 99, wins: 30, losses: 69 }, 'only 99 closed leads (minimum 100)'],
    [{ leads: 500, wins: 9, losses: 491 }, 'only 9 wins (minimum 10)'],
    [{ leads: 500, wins: 495, losses: 5 }, 'only 5 losses (minimum 10)'],
    [{ leads: 50, wins: 3, losses: 47 }, 'only 50 closed leads (minimum 100), 3 wins (minimum 10)'],
  ])('rejects %j naming the short counts', (counts, message) => {
    expect(() => checkOutcomeCounts(counts, false)).toThrow(InsufficientDataError);
    expect(() => checkOutcomeCounts(counts, false)).toThrow(message);
    expect(checkOutcomeCounts(counts, true)).toBe(message);
  });

  it('accepts the minimum', () => {
    expect(checkOutcomeCounts({ leads: 100, wins: 10, losses: 90 }, false)).toBeUndefined();
  });

  it.each([
    [{ leads: 200, wins: 0, losses: 200 }],
    [{ leads: 200, wins: 200, losses: 0 }],
  ])('rejects %j even with force', (counts) => {
    expect(() => checkOutcomeCounts(counts, true)).toThrow(`${counts.wins} wins and ${counts.losses} losses`);
  });
});

describe('countOutcomes', () => {
  it('counts wins and losses', () => {
    expect(countOutcomes([1, 0, 0, 1, 1])).toEqual({ leads: 5, wins: 3, losses: 2 });
  });
});
