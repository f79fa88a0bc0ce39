import type * as tfTypes from '@tensorflow/tfjs';

import type { FeatureMatrix } from '../models/network.ts';
import { tf } from '../tf-backend.ts';
import type { LogOddsNetwork } from './network-log-odds.ts';
import { ExactPathAttributor, isPiecewiseLinear } from './piecewise-linear-path.ts';

/** Method that computed the per-feature contributions. */
export type AttributionMethod = 'exact-linear' | 'integrated-gradients-exact-path' | 'integrated-gradients';

/**
 * Per-feature contributions to the network's log-odds, measured from a baseline lead. For each
 * lead, `baselineLogOdds + sum(contributions[lead])` equals `logOdds[lead]`: exactly (up to
 * rounding) for a logistic model, and within `maxCompletenessGap` for integrated gradients.
 */
export interface LogOddsAttribution {
  method: AttributionMethod;
  /** One Float64Array of length `features` per lead, in log-odds of the uncalibrated output. */
  contributions: Float64Array[];
  /** Log-odds of the network at the baseline features. */
  baselineLogOdds: number;
  /** Log-odds of the network at each lead's features. */
  logOdds: Float64Array;
  /** Largest |baseline + sum of contributions - log-odds| over the leads. */
  maxCompletenessGap: number;
  /** Largest number of integration steps any lead needed; 0 for the exact methods. */
  steps: number;
}

export interface AttributionOptions {
  /** Integration steps to start with (midpoint rule); doubled for leads that miss the tolerance. */
  steps?: number;
  maxSteps?: number;
  /** Completeness gap, in log-odds, that ends the doubling of steps for a lead. */
  tolerance?: number;
}

export const DEFAULT_ATTRIBUTION_TOLERANCE = 1e-3;
const DEFAULT_STEPS = 64;
const DEFAULT_MAX_STEPS = 1024;
// Rows of interpolated points per gradient call: steps x leads x features floats stay small.
const POINTS_PER_BATCH = 16_384;

/**
 * Attributes the network's log-odds to its input features, measured from `baseline` (the
 * training means of the features).
 *
 * A logistic network gets the exact decomposition weight_j * (x_j - baseline_j). An MLP gets
 * integrated gradients (Sundararajan, Taly and Yan, 2017) along the straight line from the
 * baseline to the lead. With ReLU or linear hidden layers the path integral is computed exactly
 * (see ExactPathAttributor). Other activations get the midpoint rule, and leads whose
 * completeness gap exceeds `tolerance` are recomputed with twice the steps, up to `maxSteps`.
 */
export function attributeLogOdds(
  network: LogOddsNetwork,
  x: FeatureMatrix,
  baseline: readonly number[],
  options: AttributionOptions = {},
): LogOddsAttribution {
  if (baseline.length !== x.columns) {
    throw new RangeError(`the baseline has ${baseline.length} features but the leads have ${x.columns}`);
  }
  if (network.linear) return attributeLinear(network.linear, x, baseline);
  if (isPiecewiseLinear(network.plainLayers)) return attributeExactPath(network, x, baseline);
  return attributeIntegratedGradients(network, x, baseline, options);
}

function attributeLinear(linear: NonNullable<LogOddsNetwork['linear']>, x: FeatureMatrix, baseline: readonly number[]): LogOddsAttribution {
  let baselineLogOdds = linear.bias;
  baseline.forEach((mean, j) => (baselineLogOdds += linear.weights[j]! * mean));

  const contributions: Float64Array[] = [];
  const logOdds = new Float64Array(x.rows);
  for (let row = 0; row < x.rows; row += 1) {
    const contribution = new Float64Array(x.columns);
    let output = linear.bias;
    for (let j = 0; j < x.columns; j += 1) {
      const value = x.values[row * x.columns + j]!;
      contribution[j] = linear.weights[j]! * (value - baseline[j]!);
      output += linear.weights[j]! * value;
    }
    contributions.push(contribution);
    logOdds[row] = output;
  }
  const maxCompletenessGap = maxGap(contributions, baselineLogOdds, logOdds);
  return { method: 'exact-linear', contributions, baselineLogOdds, logOdds, maxCompletenessGap, steps: 0 };
}

function attributeExactPath(network: LogOddsNetwork, x: FeatureMatrix, baseline: readonly number[]): LogOddsAttribution {
  const baselineLogOdds = evaluate(network, { values: Float32Array.from(baseline), rows: 1, columns: x.columns })[0]!;
  const logOdds = Float64Array.from(evaluate(network, x));
  const attributor = new ExactPathAttributor(network.plainLayers, baseline);
  const contributions: Float64Array[] = [];
  for (let row = 0; row < x.rows; row += 1) {
    contributions.push(attributor.attribute(x.values.subarray(row * x.columns, (row + 1) * x.columns)));
  }
  const maxCompletenessGap = maxGap(contributions, baselineLogOdds, logOdds);
  return { method: 'integrated-gradients-exact-path', contributions, baselineLogOdds, logOdds, maxCompletenessGap, steps: 0 };
}

function attributeIntegratedGradients(
  network: LogOddsNetwork,
  x: FeatureMatrix,
  baseline: readonly number[],
  options: AttributionOptions,
): LogOddsAttribution {
  const tolerance = options.tolerance ?? DEFAULT_ATTRIBUTION_TOLERANCE;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const baselineTensor = tf.tensor2d(Float32Array.from(baseline), [1, x.columns]);
  const baselineLogOdds = tf.tidy(() => network.apply(baselineTensor).dataSync()[0]!);
  const logOdds = Float64Array.from(evaluate(network, x));

  const contributions: Float64Array[] = new Array(x.rows);
  let pending = Array.from({ length: x.rows }, (_, row) => row);
  let steps = options.steps ?? DEFAULT_STEPS;
  let usedSteps = steps;
  while (pending.length > 0) {
    usedSteps = steps;
    const computed = integrateGradients(network, selectRows(x, pending), baselineTensor, steps);
    const retry: number[] = [];
    pending.forEach((row, index) => {
      contributions[row] = computed[index]!;
      const gap = Math.abs(baselineLogOdds + sum(computed[index]!) - logOdds[row]!);
      if (gap > tolerance && steps < maxSteps) retry.push(row);
    });
    pending = retry;
    steps *= 2;
  }
  baselineTensor.dispose();

  const maxCompletenessGap = maxGap(contributions, baselineLogOdds, logOdds);
  return { method: 'integrated-gradients', contributions, baselineLogOdds, logOdds, maxCompletenessGap, steps: usedSteps };
}

/** Midpoint-rule integrated gradients for every row of `x`, in batches of interpolated points. */
function integrateGradients(network: LogOddsNetwork, x: FeatureMatrix, baseline: tfTypes.Tensor2D, steps: number): Float64Array[] {
  const gradient = tf.grad((points: tfTypes.Tensor) => network.apply(points as tfTypes.Tensor2D).sum());
  const leadsPerBatch = Math.max(1, Math.floor(POINTS_PER_BATCH / steps));
  const alphas = Float32Array.from({ length: steps }, (_, k) => (k + 0.5) / steps);
  const out: Float64Array[] = [];

  for (let start = 0; start < x.rows; start += leadsPerBatch) {
    const end = Math.min(x.rows, start + leadsPerBatch);
    const attributions = tf.tidy(() => {
      const leads = tf.tensor2d(x.values.subarray(start * x.columns, end * x.columns), [end - start, x.columns]);
      const difference = tf.sub(leads, baseline);
      // Points laid out as [steps, leads, features], then flattened for one gradient call.
      const alpha = tf.tensor3d(alphas, [steps, 1, 1]);
      const points = tf.add(baseline.expandDims(0), tf.mul(alpha, difference.expandDims(0)));
      const grads = gradient(points.reshape([steps * (end - start), x.columns]));
      const meanGradient = grads.reshape([steps, end - start, x.columns]).mean(0);
      return tf.mul(meanGradient, difference).dataSync();
    });
    for (let row = 0; row < end - start; row += 1) {
      out.push(Float64Array.from(attributions.subarray(row * x.columns, (row + 1) * x.columns)));
    }
  }
  return out;
}

function evaluate(network: LogOddsNetwork, x: FeatureMatrix): Float32Array {
  return tf.tidy(() => network.apply(tf.tensor2d(x.values, [x.rows, x.columns])).dataSync() as Float32Array);
}

function selectRows(x: FeatureMatrix, rows: readonly number[]): FeatureMatrix {
  const values = new Float32Array(rows.length * x.columns);
  rows.forEach((row, index) => values.set(x.values.subarray(row * x.columns, (row + 1) * x.columns), index * x.columns));
  return { values, rows: rows.length, columns: x.columns };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i += 1) total += values[i]!;
  return total;
}

function maxGap(contributions: readonly Float64Array[], baselineLogOdds: number, logOdds: Float64Array): number {
  let gap = 0;
  contributions.forEach((contribution, row) => {
    gap = Math.max(gap, Math.abs(baselineLogOdds + sum(contribution) - logOdds[row]!));
  });
  return gap;
}
