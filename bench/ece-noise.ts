import { expectedCalibrationError } from '../src/core/metrics.ts';
import { createRandom } from '../src/core/models/random.ts';

/** ECE that label noise alone gives a perfectly calibrated model: mean and 90th percentile. */
export interface EceNoise {
  mean: number;
  p90: number;
  draws: number;
}

/**
 * Measures how large ECE gets from sampling alone on a test part of this size. Each draw
 * replaces the labels with outcomes drawn from `probabilities` themselves, so the model is
 * calibrated by construction, and computes ECE as the benchmark does (10 equal-width bins). At this
 * test size, an observed ECE near this floor is indistinguishable from perfect calibration.
 */
export function sampledEceNoise(probabilities: ArrayLike<number>, draws = 200, seed = 7): EceNoise {
  const random = createRandom(seed);
  const labels = new Float64Array(probabilities.length);
  const values: number[] = [];
  for (let draw = 0; draw < draws; draw += 1) {
    for (let index = 0; index < labels.length; index += 1) labels[index] = random() < probabilities[index]! ? 1 : 0;
    values.push(expectedCalibrationError(labels, probabilities));
  }
  values.sort((a, b) => a - b);
  return { mean: values.reduce((sum, value) => sum + value, 0) / draws, p90: values[Math.floor(draws * 0.9)]!, draws };
}
