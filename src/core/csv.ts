import { parse } from 'csv-parse/sync';

import { InvalidInputError } from './errors.ts';
import type { CsvDelimiter } from './import/csv-delimiter.ts';
import type { CsvEncoding } from './import/csv-encoding.ts';
import { openCsvStream } from './import/csv-stream.ts';

/** A CSV file read whole: the header and one string array per record. */
export interface CsvTable {
  header: string[];
  /** Records as read. A record may have more or fewer fields than the header (see fieldCountProblem). */
  rows: string[][];
  /** Row number of each record as a spreadsheet shows it: the header is row 1. */
  rowNumbers: number[];
}

/** Encoding and delimiter overrides for readCsvFile; each is detected when unset. */
export interface ReadCsvOptions {
  encoding?: CsvEncoding | undefined;
  delimiter?: CsvDelimiter | undefined;
}

/** A CSV file read by readCsvFile, with the encoding and delimiter it was read with. */
export interface CsvFile extends CsvTable {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
}

/**
 * Reads a whole CSV file, detecting its encoding (byte order mark, UTF-8, else Windows-1252 or
 * Shift_JIS) and its delimiter (comma, semicolon or tab) as the training import does. Quoted
 * fields, CRLF and LF are handled. A record with another field count than the header is kept
 * as read, so callers reject it by row number with fieldCountProblem instead of losing the file.
 * Throws CsvFormatError for a file with no header or a structure that cannot be parsed.
 */
export async function readCsvFile(filePath: string, options: ReadCsvOptions = {}): Promise<CsvFile> {
  const stream = await openCsvStream(filePath, options);
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for await (const record of stream.records) {
    rows.push(record.fields);
    rowNumbers.push(record.rowNumber);
  }
  return { header: stream.header, rows, rowNumbers, encoding: stream.encoding, delimiter: stream.delimiter };
}

/** Describes how row `index` of `table` breaks the header's field count, or returns undefined. */
export function fieldCountProblem(table: CsvTable, index: number): string | undefined {
  const fields = table.rows[index]!.length;
  if (fields === table.header.length) return undefined;
  return `the row has ${fields} ${fields === 1 ? 'field' : 'fields'} but the header has ${table.header.length}. Check for a missing or extra delimiter or an unclosed quote`;
}

/**
 * Parses UTF-8, comma-separated CSV text and throws InvalidInputError naming the row when a record
 * has the wrong number of fields. `sourceName` only labels error messages.
 */
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
