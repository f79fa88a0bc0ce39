import { DateParser } from './import/cell-values.ts';
import type { RawValue } from './values.ts';

/** A date column: one feature per day of the week, plus "(missing)". */
export interface DateColumnState {
  kind: 'date';
  column: string;
  /** Formats tried in order at scoring time; ISO dates are always accepted as well. */
  formats: string[];
  /** The column's own "no answer" placeholders from the dataset config. */
  missingValues?: string[];
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const parsers = new Map<string, DateParser>();

function parserFor(state: DateColumnState): DateParser {
  const key = state.formats.join('\n');
  let parser = parsers.get(key);
  if (!parser) {
    parser = new DateParser(state.formats);
    parsers.set(key, parser);
  }
  return parser;
}

/**
 * Builds the state of a date column. Only the day of the week becomes a feature: month and year
 * would take values in the test period that training never saw, since the split is out of time.
 */
export function fitDateColumn(column: string, formats: readonly string[]): DateColumnState {
  return { kind: 'date', column, formats: formats.includes('ISO') ? [...formats] : [...formats, 'ISO'] };
}

/** Parses a raw date value into whole days since 1970-01-01, or undefined when it is not a date. */
export function parseDateValue(state: DateColumnState, raw: RawValue): number | undefined {
  return typeof raw === 'string' ? parserFor(state).parseDay(raw) : undefined;
}

/** Writes 7 weekday indicators and a missing indicator at `offset`; returns the next offset. */
export function writeDateFeatures(state: DateColumnState, raw: RawValue, missing: boolean, matrix: Float32Array, offset: number): number {
  const day = missing ? undefined : parseDateValue(state, raw);
  if (day === undefined) {
    matrix[offset + WEEKDAYS.length] = 1;
  } else {
    // 1970-01-01 was a Thursday, index 3 with Monday first.
    matrix[offset + (((day + 3) % 7) + 7) % 7] = 1;
  }
  return offset + WEEKDAYS.length + 1;
}
