import type { LeadModel } from '../core/lead-model.ts';
import type { LeadRecord } from '../core/values.ts';

/** One reason behind a score: how much a field moved the probability. */
export interface ReasonCode {
  column: string;
  /** The field's value as stored, null when the lead has none. */
  value: string | number | boolean | null;
  /** Probability with the field as given minus probability with the field missing. */
  effect: number;
}

/**
 * Explains one lead's probability by leaving each field out in turn: the field is set to missing
 * (imputed as in training) and the drop in probability is its effect. Returns the `count` fields
 * with the largest absolute effect. One batched prediction of (columns + 1) rows.
 *
 * Effects of correlated fields overlap, so they do not add up to the probability.
 */
export function explainPrediction(model: LeadModel, lead: LeadRecord, count = 3): ReasonCode[] {
  const columns = model.preprocessor.state.columns.map((column) => column.column);
  const variants = columns.map((column) => ({ ...lead, [column]: null }));
  const probabilities = model.predictProba([lead, ...variants]);
  const base = probabilities[0] ?? 0;

  return columns
    .map((column, index) => ({
      column,
      value: lead[column] ?? null,
      effect: Math.round((base - (probabilities[index + 1] ?? base)) * 1e6) / 1e6,
    }))
    .filter((reason) => reason.value !== null && reason.effect !== 0)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, count);
}
