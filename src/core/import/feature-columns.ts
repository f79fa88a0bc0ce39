import { DateParser, parseBoolean, parseNumber } from './cell-values.ts';
import { DictionaryColumn, float64s, int8s, type GrowableArray } from './column-store.ts';
import type { RejectedCell } from './import-report.ts';
import type { ImportColumnSpec } from './import-settings.ts';
import { MissingTokens } from './missing-tokens.ts';

/** A feature column after import, one entry per used lead, in file order. */
export type FeatureColumn =
  | { name: string; type: 'numeric'; inferred: boolean; values: Float64Array }
  | { name: string; type: 'categorical'; inferred: boolean; codes: Int32Array; dictionary: string[] }
  | { name: string; type: 'boolean'; values: Int8Array }
  | { name: string; type: 'date'; days: Float64Array };

/** Parses and stores one column's cells; `parse` returns an issue instead of storing a bad cell. */
export interface ColumnWriter {
  readonly name: string;
  readonly index: number;
  missing: number;
  /** Checks a cell without storing it, so a row can be rejected before any column is written. */
  check(value: string, row: number): RejectedCell | undefined;
  push(value: string): void;
  finish(keep: Uint8Array, keptCount: number): FeatureColumn;
}

/**
 * Creates the writer for a column. Declared types parse strictly and reject bad cells. An
 * undeclared column is stored as text and becomes numeric only if every value in it is a number.
 */
export function createColumnWriter(
  name: string,
  index: number,
  spec: ImportColumnSpec | undefined,
  missing: MissingTokens,
  dates: DateParser,
): ColumnWriter {
  if (spec?.missingValues) missing = missing.withColumnPlaceholders(spec.missingValues, spec.type === 'numeric');
  if (spec?.type === 'numeric') return new NumericWriter(name, index, missing, spec.min);
  if (spec?.type === 'boolean') return new BooleanWriter(name, index, missing);
  if (spec?.type === 'date') return new DateWriter(name, index, missing, dates);
  return new TextWriter(name, index, missing, spec === undefined);
}

class NumericWriter implements ColumnWriter {
  missing = 0;
  readonly #values = float64s();

  constructor(readonly name: string, readonly index: number, readonly tokens: MissingTokens, readonly min: number | undefined) {}

  check(value: string, row: number): RejectedCell | undefined {
    if (this.tokens.isMissing(value)) return undefined;
    const number = parseNumber(value);
    if (number === undefined) {
      return { row, column: this.name, value, reason: 'invalid-number', message: `row ${row} column '${this.name}': '${value}' is not a number` };
    }
    if (this.min !== undefined && number < this.min) {
      const message = `row ${row} column '${this.name}': ${number} is below the minimum ${this.min}`;
      return { row, column: this.name, value, reason: 'below-minimum', message };
    }
    return undefined;
  }

  push(value: string): void {
    const missing = this.tokens.isMissing(value);
    if (missing) this.missing += 1;
    this.#values.push(missing ? Number.NaN : Number(value.trim()));
  }

  finish(keep: Uint8Array, keptCount: number): FeatureColumn {
    return { name: this.name, type: 'numeric', inferred: false, values: this.#values.compact(keep, keptCount) };
  }
}

class BooleanWriter implements ColumnWriter {
  missing = 0;
  readonly #values: GrowableArray<Int8Array> = int8s();

  constructor(readonly name: string, readonly index: number, readonly tokens: MissingTokens) {}

  check(value: string, row: number): RejectedCell | undefined {
    if (this.tokens.isMissing(value) || parseBoolean(value) !== undefined) return undefined;
    const message = `row ${row} column '${this.name}': '${value}' is not a yes/no value; expected yes, no, true, false, 1 or 0`;
    return { row, column: this.name, value, reason: 'invalid-boolean', message };
  }

  push(value: string): void {
    const parsed = this.tokens.isMissing(value) ? undefined : parseBoolean(value);
    if (parsed === undefined) this.missing += 1;
    this.#values.push(parsed === undefined ? -1 : Number(parsed));
  }

  finish(keep: Uint8Array, keptCount: number): FeatureColumn {
    return { name: this.name, type: 'boolean', values: this.#values.compact(keep, keptCount) };
  }
}

class DateWriter implements ColumnWriter {
  missing = 0;
  readonly #days = float64s();

  constructor(readonly name: string, readonly index: number, readonly tokens: MissingTokens, readonly dates: DateParser) {}

  check(value: string, row: number): RejectedCell | undefined {
    if (this.tokens.isMissing(value) || this.dates.parseDay(value) !== undefined) return undefined;
    const message = `row ${row} column '${this.name}': '${value}' is not a date; expected ${this.dates.formats.join(' or ')}`;
    return { row, column: this.name, value, reason: 'invalid-date', message };
  }

  push(value: string): void {
    const day = this.tokens.isMissing(value) ? undefined : this.dates.parseDay(value);
    if (day === undefined) this.missing += 1;
    this.#days.push(day ?? Number.NaN);
  }

  finish(keep: Uint8Array, keptCount: number): FeatureColumn {
    return { name: this.name, type: 'date', days: this.#days.compact(keep, keptCount) };
  }
}

class TextWriter implements ColumnWriter {
  missing = 0;
  readonly #column = new DictionaryColumn();

  constructor(readonly name: string, readonly index: number, readonly tokens: MissingTokens, readonly inferType: boolean) {}

  check(): RejectedCell | undefined {
    return undefined;
  }

  push(value: string): void {
    const missing = this.tokens.isMissing(value);
    if (missing) this.missing += 1;
    this.#column.push(missing ? undefined : value.trim());
  }

  finish(keep: Uint8Array, keptCount: number): FeatureColumn {
    const codes = this.#column.codes.compact(keep, keptCount);
    const dictionary = this.#column.dictionary;
    const numbers = this.inferType ? dictionary.map(parseNumber) : [];
    if (this.inferType && dictionary.length > 0 && numbers.every((number) => number !== undefined)) {
      const values = Float64Array.from(codes, (code) => (code === -1 ? Number.NaN : numbers[code]!));
      return { name: this.name, type: 'numeric', inferred: true, values };
    }
    return { name: this.name, type: 'categorical', inferred: this.inferType, codes, dictionary };
  }
}
