import type { ColumnSpec, ColumnType } from './dataset-config.ts';
import { fitDateColumn, WEEKDAYS, writeDateFeatures, type DateColumnState } from './date-features.ts';
import {
  categoryKey,
  isMissing,
  missingTokenSet,
  parseBoolean,
  parseNumber,
  placeholderMatcher,
  type LeadRecord,
  type RawValue,
} from './values.ts';

export const OTHER_CATEGORY = '(other)';
export const MISSING_CATEGORY = '(missing)';

/** A numeric column: clipped to training percentiles, optionally log-scaled, standardized. */
export interface NumericColumnState {
  kind: 'numeric';
  column: string;
  min?: number;
  log: boolean;
  median: number;
  /** Bounds applied before scaling; null leaves values unbounded, so they can extrapolate. */
  clipLow: number | null;
  clipHigh: number | null;
  mean: number;
  std: number;
  /** The column's own "no answer" placeholders from the dataset config, compared as numbers. */
  missingValues?: string[];
}

/** A categorical column: one feature per frequent value, plus "(other)" and "(missing)". */
export interface CategoricalColumnState {
  kind: 'categorical';
  column: string;
  /** Case-folded keys of the frequent values, in feature order. */
  keys: string[];
  /** The most common spelling of each key, for names and reasons. */
  labels: string[];
  /** The column's own "no answer" placeholders from the dataset config. */
  missingValues?: string[];
}

export interface BooleanColumnState {
  kind: 'boolean';
  column: string;
  /** The column's own "no answer" placeholders from the dataset config. */
  missingValues?: string[];
}

export type ColumnState = NumericColumnState | CategoricalColumnState | BooleanColumnState | DateColumnState;

/** Everything needed to repeat the training transform at serving time; stored as JSON. */
export interface PreprocessorState {
  formatVersion: 1;
  missingTokens: string[];
  columns: ColumnState[];
}

export interface PreprocessorOptions {
  /** Columns that become features, in export order. */
  featureColumns: string[];
  declaredColumns: Record<string, ColumnSpec>;
  missingTokens: string[];
  minCategoryCount: number;
  /**
   * Share of training values clipped at each end of every numeric column (default 0.005). 0 turns
   * clipping off, which lets a linear model extrapolate when later leads fall outside the range.
   */
  clipPercentile?: number;
  maxCategories: number;
  /** Formats of `date` columns; ISO dates by default. */
  dateFormats?: string[];
}

/** One model input: its name and the export column it comes from. */
export interface FeatureInfo {
  name: string;
  column: string;
}

/** Fitted transform from lead records to a dense feature matrix. */
export class Preprocessor {
  readonly features: FeatureInfo[];
  private readonly missingTokens: Set<string>;

  constructor(readonly state: PreprocessorState) {
    this.missingTokens = missingTokenSet(state.missingTokens);
    this.features = state.columns.flatMap(describeFeatures);
  }

  get featureCount(): number {
    return this.features.length;
  }

  /** Transforms records into a row-major matrix of shape [records.length, featureCount]. */
  transform(records: readonly LeadRecord[]): Float32Array {
    const width = this.featureCount;
    const matrix = new Float32Array(records.length * width);
    records.forEach((record, rowIndex) => {
      let offset = rowIndex * width;
      for (const column of this.state.columns) {
        offset = this.writeColumn(column, record[column.column], matrix, offset);
      }
    });
    return matrix;
  }

  private writeColumn(column: ColumnState, raw: RawValue, matrix: Float32Array, offset: number): number {
    const missing = isMissingFor(column, raw, this.missingTokens);
    switch (column.kind) {
      case 'numeric': {
        const value = missing ? null : parseNumber(raw);
        matrix[offset] = scaleNumber(column, value ?? column.median);
        matrix[offset + 1] = value === null ? 1 : 0;
        return offset + 2;
      }
      case 'boolean': {
        const value = missing ? null : parseBoolean(raw);
        matrix[offset] = value === true ? 1 : 0;
        matrix[offset + 1] = value === null ? 1 : 0;
        return offset + 2;
      }
      case 'categorical': {
        const slot = missing ? column.keys.length + 1 : categorySlot(column, raw);
        matrix[offset + slot] = 1;
        return offset + column.keys.length + 2;
      }
      case 'date':
        return writeDateFeatures(column, raw, missing, matrix, offset);
    }
  }
}

const placeholderMatchers = new WeakMap<ColumnState, (value: RawValue) => boolean>();

/**
 * Tells whether a raw value is missing for a fitted column: null, empty, one of the dataset's
 * missing-value tokens or one of the column's own `missingValues`.
 */
export function isMissingFor(column: ColumnState, raw: RawValue, missingTokens: ReadonlySet<string>): boolean {
  if (isMissing(raw, missingTokens)) return true;
  if (!column.missingValues) return false;
  let matches = placeholderMatchers.get(column);
  if (!matches) {
    matches = placeholderMatcher(column.missingValues, column.kind === 'numeric');
    placeholderMatchers.set(column, matches);
  }
  return matches(raw);
}

function categorySlot(column: CategoricalColumnState, raw: RawValue): number {
  const index = column.keys.indexOf(categoryKey(raw));
  return index === -1 ? column.keys.length : index;
}

function scaleNumber(column: NumericColumnState, value: number): number {
  const clipped = Math.min(column.clipHigh ?? Infinity, Math.max(column.clipLow ?? -Infinity, value));
  const shifted = column.log ? Math.log1p(Math.max(0, clipped)) : clipped;
  return (shifted - column.mean) / column.std;
}

function describeFeatures(column: ColumnState): FeatureInfo[] {
  const name = column.column;
  switch (column.kind) {
    case 'numeric':
    case 'boolean':
      return [
        { name, column: name },
        { name: `${name} ${MISSING_CATEGORY}`, column: name },
      ];
    case 'categorical':
      return [...column.labels, OTHER_CATEGORY, MISSING_CATEGORY].map((label) => ({
        name: `${name} = ${label}`,
        column: name,
      }));
    case 'date':
      return [...WEEKDAYS.map((day) => `weekday ${day}`), MISSING_CATEGORY].map((label) => ({
        name: `${name} ${label}`,
        column: name,
      }));
  }
}

/**
 * Fits the feature transform on training records: infers undeclared column types, then learns
 * scaling statistics and the frequent categories. Fit on training rows only, never on test rows.
 */
export function fitPreprocessor(records: readonly LeadRecord[], options: PreprocessorOptions): Preprocessor {
  const missingTokens = missingTokenSet(options.missingTokens);
  const columns = options.featureColumns.map((column): ColumnState => {
    const declared = options.declaredColumns[column];
    const isPlaceholder = declared?.missingValues ? placeholderMatcher(declared.missingValues, declared.type === 'numeric') : () => false;
    const values = records.map((record) => record[column]).filter((value) => !isMissing(value, missingTokens) && !isPlaceholder(value));
    const state = fitColumn(column, declared?.type ?? inferColumnType(values), values, declared, options);
    if (declared?.missingValues) state.missingValues = [...declared.missingValues];
    return state;
  });

  return new Preprocessor({ formatVersion: 1, missingTokens: options.missingTokens, columns });
}

function fitColumn(
  column: string,
  type: ColumnType,
  values: readonly RawValue[],
  declared: ColumnSpec | undefined,
  options: PreprocessorOptions,
): ColumnState {
  switch (type) {
    case 'numeric':
      return fitNumeric(column, values, declared, options.clipPercentile ?? DEFAULT_CLIP_PERCENTILE);
    case 'boolean':
      return { kind: 'boolean', column };
    case 'categorical':
      return fitCategorical(column, values, options);
    case 'date':
      return fitDateColumn(column, options.dateFormats ?? ['ISO']);
  }
}

/** Infers a column's type from its non-missing values: boolean words, numbers, or categories. */
export function inferColumnType(values: readonly RawValue[]): ColumnType {
  if (values.length === 0) return 'categorical';
  if (values.every((value) => parseBoolean(value) !== null && typeof value !== 'number' && !/^[01]$/.test(String(value).trim()))) {
    return 'boolean';
  }
  const numericCount = values.filter((value) => parseNumber(value) !== null).length;
  return numericCount === values.length ? 'numeric' : 'categorical';
}

/** Share of training values clipped at each end of a numeric column unless the config sets another share. */
export const DEFAULT_CLIP_PERCENTILE = 0.005;

function fitNumeric(
  column: string,
  values: readonly RawValue[],
  declared: ColumnSpec | undefined,
  clipPercentile: number,
): NumericColumnState {
  const numbers = values.map(parseNumber).filter((value): value is number => value !== null);
  numbers.sort((a, b) => a - b);
  const median = quantile(numbers, 0.5);
  const clipLow = clipPercentile > 0 ? quantile(numbers, clipPercentile) : null;
  const clipHigh = clipPercentile > 0 ? quantile(numbers, 1 - clipPercentile) : null;
  const log = declared?.log ?? false;

  const scaled = numbers.map((value) => {
    const clipped = Math.min(clipHigh ?? Infinity, Math.max(clipLow ?? -Infinity, value));
    return log ? Math.log1p(Math.max(0, clipped)) : clipped;
  });
  const mean = scaled.reduce((sum, value) => sum + value, 0) / Math.max(1, scaled.length);
  const variance = scaled.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, scaled.length);
  // A constant column would divide by zero; a unit scale leaves it at 0 after centring.
  const std = Math.sqrt(variance) > 1e-12 ? Math.sqrt(variance) : 1;

  const state: NumericColumnState = { kind: 'numeric', column, log, median, clipLow, clipHigh, mean, std };
  if (declared?.min !== undefined) state.min = declared.min;
  return state;
}

function fitCategorical(column: string, values: readonly RawValue[], options: PreprocessorOptions): CategoricalColumnState {
  const counts = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const value of values) {
    const key = categoryKey(value);
    const entry = counts.get(key) ?? { count: 0, spellings: new Map<string, number>() };
    entry.count += 1;
    const spelling = String(value).trim();
    entry.spellings.set(spelling, (entry.spellings.get(spelling) ?? 0) + 1);
    counts.set(key, entry);
  }

  const frequent = [...counts.entries()]
    .filter(([, entry]) => entry.count >= options.minCategoryCount)
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .slice(0, options.maxCategories);

  return {
    kind: 'categorical',
    column,
    keys: frequent.map(([key]) => key),
    labels: frequent.map(([, entry]) => mostCommon(entry.spellings)),
  };
}

function mostCommon(counts: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** Linear-interpolated quantile of an ascending array; 0 for an empty one. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (position - lower);
}
