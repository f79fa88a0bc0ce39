import { logLoss, rocAuc } from '../metrics.ts';
import { createRandom, shuffledIndices } from '../models/random.ts';
import type { LeadRecord } from '../values.ts';

/** Mean and population standard deviation (as scikit-learn reports) of repeated measurements. */
export interface RepeatedMeasure {
  mean: number;
  std: number;
  values: number[];
}

/** How much the score gets worse when one export column's values are shuffled across leads. */
export interface ColumnImportance {
  column: string;
  /** AUC on the intact leads minus AUC after shuffling; larger means more important. */
  aucDrop: RepeatedMeasure;
  /** Log loss after shuffling minus log loss on the intact leads (nats); null for non-probabilities. */
  logLossRise: RepeatedMeasure | null;
}

export interface PermutationImportance {
  /** Metrics on the intact leads. */
  reference: { auc: number; logLoss: number | null };
  repeats: number;
  seed: number;
  /** Columns ordered by mean AUC drop, largest first. */
  columns: ColumnImportance[];
}

export interface PermutationImportanceOptions {
  /** Export columns to permute, one at a time. */
  columns: readonly string[];
  repeats: number;
  seed: number;
  /** True when `score` returns probabilities, so that log loss means something. */
  probabilities: boolean;
}

/**
 * Measures permutation importance by export column. For each column and repeat, the column's raw
 * values are shuffled across the leads, so all of a column's one-hot features move together.
 * The leads are then scored again, and the drop in AUC and rise in log loss are recorded.
 *
 * `score` maps leads to one number per lead: the model's calibrated probability, or any other
 * score such as rule points (pass `probabilities: false`). Run it on held-out leads: on training
 * leads it measures what the model memorized. Shuffles are drawn from one generator seeded with
 * `seed`, column by column in the order given.
 */
export function permutationImportance(
  leads: readonly LeadRecord[],
  labels: ArrayLike<number>,
  score: (leads: readonly LeadRecord[]) => ArrayLike<number>,
  options: PermutationImportanceOptions,
): PermutationImportance {
  if (!Number.isInteger(options.repeats) || options.repeats < 1) {
    throw new RangeError(`repeats must be a whole number of at least 1, got ${options.repeats}`);
  }
  const metrics = (scores: ArrayLike<number>) => ({
    auc: rocAuc(labels, scores),
    logLoss: options.probabilities ? logLoss(labels, scores) : null,
  });
  const reference = metrics(score(leads));
  const random = createRandom(options.seed);

  const columns = options.columns.map((column): ColumnImportance => {
    const aucDrops: number[] = [];
    const logLossRises: number[] = [];
    for (let repeat = 0; repeat < options.repeats; repeat += 1) {
      const order = shuffledIndices(leads.length, random);
      const permuted = leads.map((lead, index) => ({ ...lead, [column]: leads[order[index]!]![column] }));
      const measured = metrics(score(permuted));
      aucDrops.push(reference.auc - measured.auc);
      if (measured.logLoss !== null && reference.logLoss !== null) logLossRises.push(measured.logLoss - reference.logLoss);
    }
    return { column, aucDrop: summarize(aucDrops), logLossRise: options.probabilities ? summarize(logLossRises) : null };
  });

  columns.sort((a, b) => b.aucDrop.mean - a.aucDrop.mean);
  return { reference, repeats: options.repeats, seed: options.seed, columns };
}

/** Mean and population standard deviation of a list of numbers. */
export function summarize(values: number[]): RepeatedMeasure {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance), values };
}
