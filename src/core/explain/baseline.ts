import type { FeatureMatrix } from '../models/network.ts';

/**
 * Returns the mean of each column of a row-major feature matrix, in float64. The training means
 * are the baseline lead that reasons are measured from.
 */
export function columnMeans(matrix: FeatureMatrix): number[] {
  const sums = new Float64Array(matrix.columns);
  for (let row = 0; row < matrix.rows; row += 1) {
    const offset = row * matrix.columns;
    for (let column = 0; column < matrix.columns; column += 1) sums[column]! += matrix.values[offset + column]!;
  }
  return Array.from(sums, (sum) => (matrix.rows > 0 ? sum / matrix.rows : 0));
}
