/**
 * Probability calibration fitted on a slice of leads the model did not train on.
 * Platt scaling fits p = sigmoid(a * logit(raw) + b); isotonic regression fits a non-decreasing
 * step function. Isotonic overfits on small slices (below about 1,000 rows): prefer Platt there.
 */

export type CalibratorState =
  | { method: 'platt'; slope: number; intercept: number }
  | { method: 'isotonic'; thresholds: number[]; values: number[] }
  | { method: 'none' };

const EPSILON = 1e-7;

/** Log-odds of a probability, clipped away from 0 and 1 so that it stays finite. */
export function logit(p: number): number {
  const clipped = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(clipped / (1 - clipped));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Maps raw model probabilities to calibrated ones. */
export class Calibrator {
  constructor(readonly state: CalibratorState) {}

  /** Calibrates one raw probability. */
  calibrate(raw: number): number {
    const state = this.state;
    switch (state.method) {
      case 'none':
        return raw;
      case 'platt':
        return sigmoid(state.slope * logit(raw) + state.intercept);
      case 'isotonic':
        if (state.thresholds.length === 0) return raw;
        return interpolateLinear(state.thresholds, state.values, raw);
    }
  }

  /** Calibrates every probability of an array. */
  calibrateAll(raw: ArrayLike<number>): Float64Array {
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) out[i] = this.calibrate(raw[i]!);
    return out;
  }
}

/**
 * Fits Platt scaling by Newton's method on the log-likelihood, with Platt's smoothed targets
 * (N+ + 1) / (N+ + 2) and 1 / (N- + 2) so that a perfectly separated slice does not diverge.
 */
export function fitPlatt(rawProbabilities: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const n = labels.length;
  const positives = Array.from(labels).filter((label) => label === 1).length;
  const targetPositive = (positives + 1) / (positives + 2);
  const targetNegative = 1 / (n - positives + 2);
  const z = Array.from(rawProbabilities, logit);
  const targets = Array.from(labels, (label) => (label === 1 ? targetPositive : targetNegative));

  let slope = 1;
  let intercept = 0;
  let loss = plattLoss(z, targets, slope, intercept);
  for (let iteration = 0; iteration < 100; iteration += 1) {
    const step = newtonStep(z, targets, slope, intercept);
    if (!step) break;

    // Full Newton steps can diverge when the optimum lies far from the start, as after a large
    // shift of the won rate, so the step is halved until the loss no longer rises. The limit
    // allows for rounding, which would otherwise stop the search just short of the optimum.
    const limit = loss + 1e-12 * Math.max(1, loss);
    let size = 1;
    let nextLoss = plattLoss(z, targets, slope - step.slope, intercept - step.intercept);
    while (nextLoss > limit && size > 1e-10) {
      size /= 2;
      nextLoss = plattLoss(z, targets, slope - size * step.slope, intercept - size * step.intercept);
    }
    if (nextLoss > limit) break;
    slope -= size * step.slope;
    intercept -= size * step.intercept;
    loss = nextLoss;
    if (Math.abs(size * step.slope) < 1e-10 && Math.abs(size * step.intercept) < 1e-10) break;
  }
  return new Calibrator({ method: 'platt', slope, intercept });
}

/** log(1 + e^x), without overflow for large x. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Cross-entropy of sigmoid(slope * z + intercept) against the smoothed targets. */
function plattLoss(z: readonly number[], targets: readonly number[], slope: number, intercept: number): number {
  let loss = 0;
  for (let i = 0; i < z.length; i += 1) {
    const f = slope * z[i]! + intercept;
    loss += targets[i]! * softplus(-f) + (1 - targets[i]!) * softplus(f);
  }
  return loss;
}

/** Computes the Newton step (inverse Hessian times gradient) of plattLoss; undefined when the Hessian is singular. */
function newtonStep(z: readonly number[], targets: readonly number[], slope: number, intercept: number) {
  let gradientSlope = 0;
  let gradientIntercept = 0;
  let hSS = 1e-9;
  let hSI = 0;
  let hII = 1e-9;
  for (let i = 0; i < z.length; i += 1) {
    const p = sigmoid(slope * z[i]! + intercept);
    const residual = p - targets[i]!;
    const weight = p * (1 - p);
    gradientSlope += residual * z[i]!;
    gradientIntercept += residual;
    hSS += weight * z[i]! * z[i]!;
    hSI += weight * z[i]!;
    hII += weight;
  }
  const determinant = hSS * hII - hSI * hSI;
  if (Math.abs(determinant) < 1e-12) return undefined;
  return {
    slope: (hII * gradientSlope - hSI * gradientIntercept) / determinant,
    intercept: (hSS * gradientIntercept - hSI * gradientSlope) / determinant,
  };
}

/**
 * Fits isotonic regression with the pool-adjacent-violators algorithm. Between the fitted points
 * the mapping interpolates linearly; outside them it is clamped to the end values.
 */
export function fitIsotonic(rawProbabilities: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const order = Array.from({ length: labels.length }, (_, index) => index).sort(
    (a, b) => rawProbabilities[a]! - rawProbabilities[b]!,
  );
  const blocks: { sum: number; weight: number; low: number; high: number }[] = [];
  for (const index of order) {
    const x = rawProbabilities[index]!;
    blocks.push({ sum: labels[index]!, weight: 1, low: x, high: x });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.sum / previous.weight < last.sum / last.weight) break;
      previous.sum += last.sum;
      previous.weight += last.weight;
      previous.high = last.high;
      blocks.pop();
    }
  }

  const thresholds: number[] = [];
  const values: number[] = [];
  for (const block of blocks) {
    const mean = block.sum / block.weight;
    thresholds.push(block.low);
    values.push(mean);
    if (block.high > block.low) {
      thresholds.push(block.high);
      values.push(mean);
    }
  }
  return new Calibrator({ method: 'isotonic', thresholds, values });
}

/**
 * Interpolates linearly between the points (xs[i], ys[i]), with `xs` ascending and non-empty, and
 * clamps to the end values outside them. Where two points share an x, the later one wins.
 */
export function interpolateLinear(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= xs[0]!) return ys[0]!;
  const last = xs.length - 1;
  if (x >= xs[last]!) return ys[last]!;

  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (xs[middle]! <= x) low = middle;
    else high = middle;
  }
  const span = xs[high]! - xs[low]!;
  if (span === 0) return ys[high]!;
  return ys[low]! + ((ys[high]! - ys[low]!) * (x - xs[low]!)) / span;
}
