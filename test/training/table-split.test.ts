import { describe, expect, it } from 'vitest';

import { formatDay } from '../../src/core/import/cell-values.ts';
import { splitTableOutOfTime } from '../../training/table-split.ts';

const days = Float64Array.from([105, 100, 101, 109, 102, 108, 103, 107, 104, 106]);
const rows = Int32Array.from(days, (_, index) => index + 2);
const order = { orderBy: 'created', values: days, format: formatDay };

describe('splitTableOutOfTime', () => {
  it('puts the most recent fraction in the test set', () => {
    const split = splitTableOutOfTime(order, rows, { testFraction: 0.2, calibrationFraction: 0.25 });

    expect(Array.from(split.test, (index) => days[index])).toEqual([108, 109]);
    expect(Array.from(split.calibration, (index) => days[index])).toEqual([106, 107]);
    expect(Array.from(split.train, (index) => days[index])).toEqual([100, 101, 102, 103, 104, 105]);
    expect(split.cutoff).toBe(formatDay(108));
  });

  it('starts the test set at a cut-off value', () => {
    const split = splitTableOutOfTime(order, rows, { testFraction: 0.2, calibrationFraction: 0.5, cutoffValue: 105 });

    expect(Array.from(split.test, (index) => days[index])).toEqual([105, 106, 107, 108, 109]);
    expect(split.train.length + split.calibration.length).toBe(5);
    expect(split.cutoff).toBe(formatDay(105));
  });
});
