import { readCsvFile, rowToRecord } from '../src/core/csv.ts';
import type { LoadedDatasetConfig } from '../src/core/dataset-config.ts';
import { DatasetConfigError } from '../src/core/errors.ts';
import { isMissing, missingTokenSet, parseNumber, type LeadRecord } from '../src/core/values.ts';
import type { RowRejection } from './import-report.ts';

/** A lead from the export with its label and its place in time. */
export interface LabelledLead {
  row: number;
  record: LeadRecord;
  label: 0 | 1;
  order: number;
}

export interface LoadedDataset {
  leads: LabelledLead[];
  header: string[];
  featureColumns: string[];
  rowsRead: number;
  rejections: RowRejection[];
}

/**
 * Reads the export named by a dataset config, labels each lead, and picks the feature columns:
 * every column but the id, label, order, ignored and leakage columns. Rows without a label or
 * order value are rejected with their row number, not dropped silently. `limitRows` keeps only
 * the first N records, for quick runs and tests.
 */
export async function loadLabelledLeads(loaded: LoadedDatasetConfig, limitRows?: number): Promise<LoadedDataset> {
  const { config } = loaded;
  const table = await readCsvFile(loaded.sourcePath);
  if (limitRows !== undefined) {
    table.rows = table.rows.slice(0, limitRows);
    table.rowNumbers = table.rowNumbers.slice(0, limitRows);
  }
  checkColumnsExist(table.header, loaded);

  const excluded = new Set([
    config.idColumn,
    config.labelColumn,
    config.orderColumn,
    ...config.ignoreColumns,
    ...config.leakageColumns.map((entry) => entry.column),
  ]);
  const featureColumns = table.header.filter((column) => !excluded.has(column));
  const positives = new Set(config.positiveValues.map((value) => value.trim()));
  const missingTokens = missingTokenSet(config.missingTokens);

  const leads: LabelledLead[] = [];
  const rejections: RowRejection[] = [];
  table.rows.forEach((row, index) => {
    const rowNumber = table.rowNumbers[index]!;
    const record = rowToRecord(table.header, row);
    const labelValue = record[config.labelColumn] ?? '';
    const orderValue = record[config.orderColumn] ?? '';
    if (isMissing(labelValue, missingTokens)) {
      rejections.push({ row: rowNumber, column: config.labelColumn, value: labelValue, reason: 'the label is missing' });
      return;
    }
    const order = parseOrder(orderValue);
    if (order === null) {
      rejections.push({
        row: rowNumber,
        column: config.orderColumn,
        value: orderValue,
        reason: 'the order value is neither a number nor a date (YYYY-MM-DD)',
      });
      return;
    }
    leads.push({ row: rowNumber, record, label: positives.has(labelValue.trim()) ? 1 : 0, order });
  });

  return { leads, header: table.header, featureColumns, rowsRead: table.rows.length, rejections };
}

function parseOrder(value: string): number | null {
  const number = parseNumber(value);
  if (number !== null) return number;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return null;
  const time = Date.parse(value.trim());
  return Number.isFinite(time) ? time : null;
}

function checkColumnsExist(header: readonly string[], loaded: LoadedDatasetConfig): void {
  const { config } = loaded;
  const named = [
    ['idColumn', config.idColumn],
    ['labelColumn', config.labelColumn],
    ['orderColumn', config.orderColumn],
    ...Object.keys(config.columns).map((column) => [`columns.${column}`, column]),
  ] as const;
  const columns = new Set(header);
  const missing = named.filter(([, column]) => !columns.has(column));
  if (missing.length > 0) {
    const list = missing.map(([setting, column]) => `${setting} '${column}'`).join(', ');
    throw new DatasetConfigError(
      `${list} not found in '${loaded.sourcePath}'; the export's columns are: ${header.join(', ')}`,
    );
  }
}
