import type { LabelledLead } from './dataset.ts';

/** Leads divided in time: train, then the calibration slice, then test. */
export interface TimeSplit {
  train: LabelledLead[];
  calibration: LabelledLead[];
  test: LabelledLead[];
}

/**
 * Sorts leads by their order value and cuts an out-of-time split: the last `testFraction` is the
 * test set, and the last `calibrationFraction` of what remains is the calibration slice. Ties keep
 * file order, so the split is reproducible.
 */
export function splitOutOfTime(leads: readonly LabelledLead[], testFraction: number, calibrationFraction: number): TimeSplit {
  const sorted = [...leads].sort((a, b) => a.order - b.order || a.row - b.row);
  const testStart = Math.round(sorted.length * (1 - testFraction));
  const calibrationStart = Math.round(testStart * (1 - calibrationFraction));
  return {
    train: sorted.slice(0, calibrationStart),
    calibration: sorted.slice(calibrationStart, testStart),
    test: sorted.slice(testStart),
  };
}
