import type { LoadedDatasetConfig } from '../src/core/dataset-config.ts';
import { openCsvStream } from '../src/core/import/csv-stream.ts';
import { csvStreamOptions } from './lead-table.ts';

/**
 * Reads the values of `column` at the given CSV row numbers (the header is row 1) of the export
 * named by a dataset config, streaming the file once. The lead table leaves out the id column, so
 * reports that show a few leads read their ids here. Rows absent from the file, and every row when
 * the export has no such column, are left out of the map.
 */
export async function readCellsAtRows(loaded: LoadedDatasetConfig, column: string, rowNumbers: readonly number[]): Promise<Map<number, string>> {
  const cells = new Map<number, string>();
  const stream = await openCsvStream(loaded.sourcePath, csvStreamOptions(loaded));
  const index = stream.header.indexOf(column);
  const wanted = new Set(rowNumbers);

  for await (const record of stream.records) {
    if (index < 0 || cells.size === wanted.size) continue;
    const value = record.fields[index];
    if (wanted.has(record.rowNumber) && value !== undefined) cells.set(record.rowNumber, value);
  }
  return cells;
}
