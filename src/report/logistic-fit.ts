import { sigmoid } from '../core/calibration.ts';

/** A fitted logistic regression: intercept and one weight per feature, in log-odds. */
export interface LogisticFit {
  intercept: number;
  weights: number[];
  iterations: number;
}

/** Options for fitLogisticRegression. */
export interface LogisticFitOptions {
  /** L2 penalty on the weights (not the intercept), added to the summed log-loss. */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
}

/**
 * Fits a logistic regression by Newton's method (iteratively reweighted least squares).
 * `features` is one row of numbers per lead, `labels` 0/1. The L2 penalty keeps weights finite
 * for features that separate the classes perfectly or fire on a handful of leads. Each step solves
 * a dense (features + 1)-square system, so the fit suits tens of features, not thousands.
 */
export function fitLogisticRegression(
  features: readonly (readonly number[])[],
  labels: ArrayLike<number>,
  options: LogisticFitOptions = {},
): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const width = (features[0]?.length ?? 0) + 1;
  let beta = new Array<number>(width).fill(0);

  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const { gradient, hessian } = newtonTerms(features, labels, beta, l2);
    const step = solveLinearSystem(hessian, gradient);
    beta = beta.map((value, index) => value - step[index]!);
    if (Math.max(...step.map(Math.abs)) < tolerance) {
      return { intercept: beta[0]!, weights: beta.slice(1), iterations: iteration };
    }
  }
  return { intercept: beta[0]!, weights: beta.slice(1), iterations: maxIterations };
}

function newtonTerms(
  features: readonly (readonly number[])[],
  labels: ArrayLike<number>,
  beta: readonly number[],
  l2: number,
): { gradient: number[]; hessian: number[][] } {
  const width = beta.length;
  const gradient = new Array<number>(width).fill(0);
  const hessian = Array.from({ length: width }, () => new Array<number>(width).fill(0));

  features.forEach((row, index) => {
    const x = [1, ...row];
    const p = sigmoid(x.reduce((sum, value, k) => sum + value * beta[k]!, 0));
    const weight = p * (1 - p);
    for (let j = 0; j < width; j += 1) {
      gradient[j]! += (p - labels[index]!) * x[j]!;
      for (let k = 0; k <= j; k += 1) hessian[j]![k]! += weight * x[j]! * x[k]!;
    }
  });

  for (let j = 0; j < width; j += 1) {
    for (let k = 0; k < j; k += 1) hessian[k]![j] = hessian[j]![k]!;
    if (j > 0) {
      gradient[j]! += l2 * beta[j]!;
      hessian[j]![j]! += l2;
    }
  }
  return { gradient, hessian };
}

/** Solves A x = b by Gaussian elimination with partial pivoting; A is small and dense. */
export function solveLinearSystem(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  const n = vector.length;
  const rows = matrix.map((row, index) => [...row, vector[index]!]);

  for (let column = 0; column < n; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < n; row += 1) {
      if (Math.abs(rows[row]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = row;
    }
    if (Math.abs(rows[pivot]![column]!) < 1e-12) {
      throw new RangeError(`the system is singular at column ${column}; add an L2 penalty or drop constant features`);
    }
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];

    for (let row = column + 1; row < n; row += 1) {
      const factor = rows[row]![column]! / rows[column]![column]!;
      for (let k = column; k <= n; k += 1) rows[row]![k]! -= factor * rows[column]![k]!;
    }
  }

  const solution = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row -= 1) {
    let sum = rows[row]![n]!;
    for (let k = row + 1; k < n; k += 1) sum -= rows[row]![k]! * solution[k]!;
    solution[row] = sum / rows[row]![row]!;
  }
  return solution;
}
