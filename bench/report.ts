import type { ClassificationMetrics } from '../src/core/metrics.ts';
import type { EceNoise } from './ece-noise.ts';

/** One model's test metrics on one split. */
export interface ModelResult {
  split: string;
  model: string;
  metrics: ClassificationMetrics;
  /** Mean predicted probability on the test part, beside its observed won rate. */
  meanProbability: number;
  seconds: number;
  /** Run-to-run spread over seeds, for models trained with several. */
  spread?: { seeds: number[]; aucSd: number; eceSd: number; aucRange: [number, number] };
  /** ECE from label noise alone on these test leads, averaged over seeds (see sampledEceNoise). */
  eceNoise?: EceNoise;
}

/** A split's sizes and won rates, for the table's header lines. */
export interface SplitSummary {
  name: string;
  description: string;
  trainRows: number;
  trainWonRate: number;
  testRows: number;
  testWonRate: number;
  exclusions: string[];
  /** ECE from label noise alone, for leadscore's shipped settings on this split. */
  eceNoise?: EceNoise;
}

const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Renders the results as one Markdown table per run, split by split. */
export function formatMarkdown(splits: readonly SplitSummary[], results: readonly ModelResult[]): string {
  const lines = [
    '| split | model | AUC | PR-AUC | ECE | Brier | log loss | mean p / won rate | train s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const split of splits) {
    for (const result of results.filter((entry) => entry.split === split.name)) {
      const { metrics, spread } = result;
      const auc = spread ? `${fixed(metrics.auc)} ± ${fixed(spread.aucSd, 4)}` : fixed(metrics.auc);
      const ece = spread ? `${fixed(metrics.ece)} ± ${fixed(spread.eceSd, 4)}` : fixed(metrics.ece);
      lines.push(
        `| ${split.name} | ${result.model} | ${auc} | ${fixed(metrics.prAuc)} | ${ece} | ${fixed(metrics.brier)} | ` +
          `${fixed(metrics.logLoss)} | ${fixed(result.meanProbability)} / ${fixed(metrics.positiveRate)} | ${fixed(result.seconds, 1)} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Lists each split's sizes, won rates and exclusions under the table. */
export function formatSplitNotes(splits: readonly SplitSummary[]): string {
  return splits
    .map((split) => {
      const sizes =
        `train ${split.trainRows} leads (won ${fixed(split.trainWonRate * 100, 1)} %), ` +
        `test ${split.testRows} (won ${fixed(split.testWonRate * 100, 1)} %)`;
      const excluded = split.exclusions.length > 0 ? `; left out: ${split.exclusions.join('; ')}` : '';
      const noise = split.eceNoise
        ? `; ECE of a perfectly calibrated model with leadscore's probabilities, from label noise alone: ` +
          `${fixed(split.eceNoise.mean)} (90th percentile ${fixed(split.eceNoise.p90)}, ${split.eceNoise.draws} draws)`
        : '';
      return `- ${split.name}: ${split.description}; ${sizes}${excluded}${noise}.`;
    })
    .join('\n');
}

/** Mean and sample standard deviation of a list of numbers. */
export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}
