import { fitPlatt } from '../src/core/calibration.ts';
import { classificationMetrics } from '../src/core/metrics.ts';
import { meanAndSd } from './report.ts';

/**
 * Splits whose test part also runs the drift check: the first RECENT_FRACTION of the test leads in
 * time order are the "recent outcomes" every model is recalibrated on, and the rest measure it.
 */
export const DRIFT_SPLITS: ReadonlySet<string> = new Set(['bank-no-duration']);
export const RECENT_FRACTION = 0.2;

/** Number of recent outcomes at the start of a test part of `testRows` leads. */
export function recentOutcomeCount(testRows: number): number {
  return Math.round(testRows * RECENT_FRACTION);
}

/** The metrics of the drift table, on the later test leads. */
export interface DriftMeasure {
  auc: number;
  ece: number;
  brier: number;
  meanProbability: number;
  wonRate: number;
}

/** One model before and after Platt recalibration on the recent outcomes, measured on the later leads. */
export interface DriftResult {
  split: string;
  model: string;
  recentRows: number;
  recentWonRate: number;
  laterRows: number;
  before: DriftMeasure;
  after: DriftMeasure;
  /** Mean over seeds for leadscore's rows: the seeds and the standard deviation of ECE after. */
  spread?: { seeds: number[]; eceAfterSd: number };
}

/** Computes AUC, ECE, Brier and mean probability of `probabilities` against `labels`. */
export function driftMeasure(labels: ArrayLike<number>, probabilities: ArrayLike<number>): DriftMeasure {
  const metrics = classificationMetrics(labels, probabilities);
  const meanProbability = Array.from(probabilities).reduce((sum, p) => sum + p, 0) / probabilities.length;
  return { auc: metrics.auc, ece: metrics.ece, brier: metrics.brier, meanProbability, wonRate: metrics.positiveRate };
}

/**
 * Recalibrates a model that is known only by its probabilities: fits Platt scaling on the logit of
 * the first `recent` test probabilities against their outcomes and maps the later ones with it.
 * Returns the later probabilities before and after.
 */
export function plattOnRecent(probabilities: ArrayLike<number>, labels: ArrayLike<number>, recent: number) {
  const all = Array.from(probabilities);
  const calibrator = fitPlatt(all.slice(0, recent), Array.from(labels).slice(0, recent));
  const before = Float64Array.from(all.slice(recent));
  return { before, after: calibrator.calibrateAll(before) };
}

/** Averages the per-seed drift results of one leadscore setting. */
export function meanDriftResult(runs: readonly DriftResult[], model: string, seeds: number[]): DriftResult {
  const mean = (pick: (run: DriftResult) => number) => meanAndSd(runs.map(pick)).mean;
  const average = (side: 'before' | 'after'): DriftMeasure => ({
    auc: mean((run) => run[side].auc),
    ece: mean((run) => run[side].ece),
    brier: mean((run) => run[side].brier),
    meanProbability: mean((run) => run[side].meanProbability),
    wonRate: runs[0]![side].wonRate,
  });
  return {
    ...runs[0]!,
    model,
    before: average('before'),
    after: average('after'),
    spread: { seeds, eceAfterSd: meanAndSd(runs.map((run) => run.after.ece)).sd },
  };
}

const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Renders the drift results as a Markdown section with one table. */
export function formatDriftMarkdown(results: readonly DriftResult[]): string {
  if (results.length === 0) return '';
  const splits = [...new Map(results.map((result) => [result.split, result])).values()];
  const lines = [
    '### Drift: Platt recalibration on the recent outcomes',
    '',
    `Each test part in time order: the first ${fixed(RECENT_FRACTION * 100, 0)} % are the recent outcomes every model is ` +
      'recalibrated on, and the metrics are on the remaining leads.',
    ...splits.map(
      (split) =>
        `- ${split.split}: ${split.recentRows} recent outcomes (won ${fixed(split.recentWonRate * 100, 1)} %), ` +
        `${split.laterRows} later leads (won ${fixed(split.before.wonRate * 100, 1)} %).`,
    ),
    '',
    '| split | model | AUC before | AUC after | ECE before | ECE after | Brier before | Brier after | mean p / won rate before | mean p / won rate after |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    const { before, after, spread } = result;
    const eceAfter = spread ? `${fixed(after.ece)} ± ${fixed(spread.eceAfterSd, 4)}` : fixed(after.ece);
    lines.push(
      `| ${result.split} | ${result.model} | ${fixed(before.auc)} | ${fixed(after.auc)} | ${fixed(before.ece)} | ${eceAfter} | ` +
        `${fixed(before.brier)} | ${fixed(after.brier)} | ${fixed(before.meanProbability)} / ${fixed(before.wonRate)} | ` +
        `${fixed(after.meanProbability)} / ${fixed(after.wonRate)} |`,
    );
  }
  return lines.join('\n');
}
