import path from 'node:path';

import { DateParser } from './cell-values.ts';
import { openCsvStream, type CsvStreamOptions } from './csv-stream.ts';
import type { RejectedCell } from './import-report.ts';
import type { WonDealsFile } from './import-settings.ts';
import { MissingTokens } from './missing-tokens.ts';

/** A lead's entry in the won-deals file: the day it was won, or why that row was rejected. */
export type WonDeal = { wonDay: number } | { rejection: RejectedCell };

export interface WonDealsTable {
  byKey: Map<string, WonDeal>;
  rowsRead: number;
  wins: number;
  rejected: RejectedCell[];
  latestDay: number;
}

/**
 * Reads a file of won deals into a map from lead key to won day (whole days since 1970-01-01).
 * A key listed twice keeps its earliest valid win. Rows with no key or an invalid date are kept
 * as rejections, so the lead they belong to is rejected too rather than counted as not won.
 */
export async function readWonDeals(
  spec: WonDealsFile,
  filePath: string,
  csv: CsvStreamOptions,
  dates: DateParser,
  missing: MissingTokens,
): Promise<WonDealsTable> {
  const stream = await openCsvStream(filePath, csv);
  const keyIndex = requireColumn(stream.header, spec.keyColumn, filePath);
  const dateIndex = requireColumn(stream.header, spec.wonDateColumn, filePath);
  const table: WonDealsTable = { byKey: new Map(), rowsRead: 0, wins: 0, rejected: [], latestDay: Number.NEGATIVE_INFINITY };

  for await (const { rowNumber, fields } of stream.records) {
    table.rowsRead += 1;
    const key = (fields[keyIndex] ?? '').trim();
    const value = fields[dateIndex] ?? '';
    if (key === '') continue;

    const wonDay = missing.isMissing(value) ? undefined : dates.parseDay(value);
    if (wonDay === undefined) {
      const rejection: RejectedCell = {
        row: rowNumber,
        column: spec.wonDateColumn,
        value,
        reason: missing.isMissing(value) ? 'missing-close-date' : 'invalid-date',
        message: `won-deals file row ${rowNumber}: '${value}' is not a date; expected ${dates.formats.join(' or ')}`,
      };
      table.rejected.push(rejection);
      if (!table.byKey.has(key)) table.byKey.set(key, { rejection });
      continue;
    }

    const previous = table.byKey.get(key);
    if (previous === undefined || 'rejection' in previous || wonDay < previous.wonDay) {
      if (previous === undefined || 'rejection' in previous) table.wins += 1;
      table.byKey.set(key, { wonDay });
    }
    table.latestDay = Math.max(table.latestDay, wonDay);
  }
  return table;
}

/** Returns the index of `column` in `header`, or throws naming the file and the columns it has. */
export function requireColumn(header: string[], column: string, filePath: string): number {
  const index = header.indexOf(column);
  if (index === -1) {
    const near = header.find((name) => name.trim().toLowerCase() === column.trim().toLowerCase());
    const suggestion = near === undefined ? '' : ` (did you mean '${near}'?)`;
    throw new Error(
      `column '${column}' not found in ${path.basename(filePath)}${suggestion}; its columns are ${header.map((name) => `'${name}'`).join(', ')}`,
    );
  }
  return index;
}
