import type { ClassificationMetrics } from './metrics.ts';

/** Classification metrics with the mean predicted probability, to set beside the won rate. */
export type CalibrationMetrics = ClassificationMetrics & { meanProbability: number };

/** Metrics of the source model's calibration and the new one on the same outcomes. */
export interface CalibrationComparison {
  before: CalibrationMetrics;
  after: CalibrationMetrics;
}

/**
 * Provenance of a model made by `leadscore recalibrate`: the source model whose networks and
 * preprocessing it reuses, the closed leads its calibration was fitted on, and the metrics of the
 * old and new calibration on those leads. Stored in manifest.json under `recalibration`.
 */
export interface RecalibrationRecord {
  sourceVersion: string;
  method: 'platt' | 'isotonic';
  /** File name of the export of recently closed leads. */
  outcomesFile: string;
  /** Leads of the export used for the fit, after rejected and censored rows were left out. */
  outcomes: { leads: number; wins: number; losses: number; rejected: number; censored: number };
  /** The column or rule that orders the leads in time, and the first and last order value among the used leads. */
  order: { by: string; first: string; last: string };
  /**
   * The held-out check: calibrations fitted on the older `fitLeads` and compared on the newest
   * `rows` leads, from order value `from` on. `skipped` gives the reason the check did not run.
   */
  heldOut: (CalibrationComparison & { fitLeads: number; from: string }) | { skipped: string };
  /** Both calibrations on every outcome; optimistic for the new one, which was fitted on them. */
  inSample: CalibrationComparison;
  secondsTaken: number;
  /** Set when the fit ran with --force below the minimum number of outcomes: what was short. */
  lowConfidence?: string;
}
