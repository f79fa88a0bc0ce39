import type { LeadOrder } from './lead-table.ts';

/** Row indices of a lead table divided in time: train, then the calibration slice, then test. */
export interface TableSplit {
  train: Int32Array;
  calibration: Int32Array;
  test: Int32Array;
  /** Order value of the first test lead, formatted: the out-of-time cut-off. */
  cutoff: string;
}

export interface TableSplitOptions {
  testFraction: number;
  calibrationFraction: number;
  /** Order value at which the test set starts, in place of `testFraction`. */
  cutoffValue?: number | undefined;
}

/**
 * Sorts leads by order value (ties by row) and cuts an out-of-time split. The test set is the
 * leads at or after `cutoffValue`, or else the last `testFraction`. The calibration slice is the
 * last `calibrationFraction` of the leads before the test set.
 */
export function splitTableOutOfTime(order: LeadOrder, rowNumbers: Int32Array, options: TableSplitOptions): TableSplit {
  const values = order.values;
  const sorted = Int32Array.from({ length: values.length }, (_, index) => index).sort(
    (a, b) => values[a]! - values[b]! || rowNumbers[a]! - rowNumbers[b]!,
  );

  let testStart = Math.round(sorted.length * (1 - options.testFraction));
  if (options.cutoffValue !== undefined) {
    const cutoff = options.cutoffValue;
    testStart = sorted.findIndex((index) => values[index]! >= cutoff);
    if (testStart === -1) testStart = sorted.length;
  }
  const calibrationStart = Math.round(testStart * (1 - options.calibrationFraction));
  const firstTest = sorted[testStart];

  return {
    train: sorted.slice(0, calibrationStart),
    calibration: sorted.slice(calibrationStart, testStart),
    test: sorted.slice(testStart),
    cutoff: firstTest === undefined ? 'none' : order.format(values[firstTest]!),
  };
}
