import { parseDateValue, WEEKDAYS } from '../date-features.ts';
import type { ColumnState } from '../features.ts';
import { OTHER_CATEGORY, MISSING_CATEGORY, isMissingFor, quantile } from '../features.ts';
import { categoryKey, parseBoolean, parseNumber, type LeadRecord } from '../values.ts';

/** One point of a partial-dependence curve. */
export interface PartialDependencePoint {
  /** The value every lead's column was set to. */
  value: number;
  /** Its quantile among the training leads' values. */
  quantile: number;
  /** Mean calibrated probability over the leads with the column set to `value`. */
  meanProbability: number;
}

/** Observed outcome of the leads with one value of a column. */
export interface CloseRate {
  /** The value as the model buckets it: a frequent category, "(other)" or "(missing)". */
  value: string;
  leads: number;
  won: number;
  closeRate: number;
}

export const DEFAULT_GRID_QUANTILES = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/**
 * Builds a grid over a numeric column from the training leads' quantiles; repeated values
 * (common in counts full of zeros) keep their first quantile only. Missing values, the column's
 * placeholders included, are left out.
 */
export function quantileGrid(
  trainingLeads: readonly LeadRecord[],
  column: ColumnState,
  missingTokens: ReadonlySet<string>,
  quantiles: readonly number[] = DEFAULT_GRID_QUANTILES,
): { value: number; quantile: number }[] {
  const name = column.column;
  const values = trainingLeads
    .filter((lead) => !isMissingFor(column, lead[name], missingTokens))
    .map((lead) => parseNumber(lead[name]))
    .filter((value): value is number => value !== null)
    .sort((a, b) => a - b);
  if (values.length === 0) return [];
  const grid: { value: number; quantile: number }[] = [];
  for (const q of quantiles) {
    const value = quantile(values, q);
    if (grid.length === 0 || value > grid[grid.length - 1]!.value) grid.push({ value, quantile: q });
  }
  return grid;
}

/**
 * Computes a partial-dependence curve: for each grid value, every lead's `column` is set to it
 * and the mean predicted probability is recorded. The curve shows the model's average response,
 * not a causal effect, and hides interactions that cancel out across leads.
 */
export function partialDependence(
  leads: readonly LeadRecord[],
  column: string,
  grid: readonly { value: number; quantile: number }[],
  predictProba: (leads: readonly LeadRecord[]) => ArrayLike<number>,
): PartialDependencePoint[] {
  return grid.map(({ value, quantile: q }) => {
    const probabilities = predictProba(leads.map((lead) => ({ ...lead, [column]: value })));
    let sum = 0;
    for (let i = 0; i < probabilities.length; i += 1) sum += probabilities[i]!;
    return { value, quantile: q, meanProbability: sum / Math.max(1, probabilities.length) };
  });
}

/**
 * Counts leads and wins for each value of a categorical or boolean column, bucketed as the model
 * buckets them, most common value first.
 */
export function closeRatesByValue(
  leads: readonly LeadRecord[],
  labels: ArrayLike<number>,
  column: ColumnState,
  missingTokens: ReadonlySet<string>,
): CloseRate[] {
  const buckets = new Map<string, { leads: number; won: number }>();
  leads.forEach((lead, index) => {
    const value = bucketOf(column, lead[column.column], missingTokens);
    const bucket = buckets.get(value) ?? { leads: 0, won: 0 };
    bucket.leads += 1;
    bucket.won += labels[index]! === 1 ? 1 : 0;
    buckets.set(value, bucket);
  });
  return [...buckets.entries()]
    .map(([value, bucket]) => ({ value, leads: bucket.leads, won: bucket.won, closeRate: bucket.won / bucket.leads }))
    .sort((a, b) => b.leads - a.leads || a.value.localeCompare(b.value));
}

function bucketOf(column: ColumnState, raw: LeadRecord[string], missingTokens: ReadonlySet<string>): string {
  if (isMissingFor(column, raw, missingTokens)) return MISSING_CATEGORY;
  switch (column.kind) {
    case 'boolean': {
      const value = parseBoolean(raw);
      if (value === null) return MISSING_CATEGORY;
      return value ? 'Yes' : 'No';
    }
    case 'categorical': {
      const index = column.keys.indexOf(categoryKey(raw));
      return index === -1 ? OTHER_CATEGORY : column.labels[index]!;
    }
    case 'numeric':
      return String(raw);
    case 'date': {
      const day = parseDateValue(column, raw);
      if (day === undefined) return MISSING_CATEGORY;
      // 1970-01-01 was a Thursday; WEEKDAYS starts on Monday.
      return WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;
    }
  }
}
