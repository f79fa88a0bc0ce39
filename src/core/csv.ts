import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

import { InvalidInputError } from './errors.ts';

/** A CSV file read whole: the header and one string array per record. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** Row number of each record as a spreadsheet shows it: the header is row 1. */
  rowNumbers: number[];
}

/**
 * Reads a UTF-8 CSV file (comma-separated, optional BOM, quoted fields, CRLF or LF).
 * Throws InvalidInputError naming the row when a record has the wrong number of fields.
 */
export async function readCsvFile(filePath: string): Promise<CsvTable> {
  const text = await readFile(filePath, 'utf8');
  return parseCsvText(text, filePath);
}

/** Parses CSV text; `sourceName` only labels error messages. */
export function parseCsvText(text: string, sourceName = 'CSV'): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as typeof records;
  } catch (error) {
    throw new InvalidInputError(`${sourceName}: ${(error as Error).message}`);
  }

  const [first, ...rest] = records;
  if (!first) throw new InvalidInputError(`${sourceName}: the file is empty; expected a header row`);

  const header = first.record.map((name) => name.trim());
  return {
    header,
    rows: rest.map((entry) => entry.record),
    rowNumbers: rest.map((_, index) => index + 2),
  };
}

/** Turns a table row into a record keyed by column name. */
export function rowToRecord(header: readonly string[], row: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  header.forEach((name, index) => {
    record[name] = row[index] ?? '';
  });
  return record;
}
