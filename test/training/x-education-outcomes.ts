import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { formatCsvRecord } from '../../src/core/csv-writer.ts';
import { createRandom } from '../../training/synthetic-export.ts';

const LEADS_CSV = path.resolve(import.meta.dirname, '../../data/x-education/Leads.csv');

export interface ShiftedLeadsOptions {
  /** First and last data row of the bundled export to copy, counting data rows from 0. */
  from: number;
  to: number;
  /** Chance that a converted lead stays converted; the others become lost, so the won rate drops. */
  keepWinChance: number;
  seed: number;
  /** Cell values to overwrite, keyed by CSV row number of the written file (the header is row 1). */
  cells?: Record<number, Record<string, string>>;
}

/**
 * Writes a slice of the bundled X Education export with a lower won rate: each converted lead
 * stays converted with `keepWinChance`. Its columns still rank the leads as before, but the
 * probability level of a model trained on the original rates is too high.
 */
export function writeShiftedLeads(filePath: string, options: ShiftedLeadsOptions): { rows: number; wins: number } {
  const [header, ...records] = parse(readFileSync(LEADS_CSV, 'utf8'), { bom: true }) as string[][];
  const labelIndex = header!.indexOf('Converted');
  const random = createRandom(options.seed);
  let wins = 0;
  const lines = [formatCsvRecord(header!)];
  records.slice(options.from, options.to + 1).forEach((record, offset) => {
    const row = [...record];
    if (row[labelIndex] === '1' && random() >= options.keepWinChance) row[labelIndex] = '0';
    for (const [column, value] of Object.entries(options.cells?.[offset + 2] ?? {})) row[header!.indexOf(column)] = value;
    wins += row[labelIndex] === '1' ? 1 : 0;
    lines.push(formatCsvRecord(row));
  });
  writeFileSync(filePath, lines.join(''));
  return { rows: lines.length - 1, wins };
}
