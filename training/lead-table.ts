import { access, constants } from 'node:fs/promises';

import type { LoadedDatasetConfig } from '../src/core/dataset-config.ts';
import { DatasetConfigError } from '../src/core/errors.ts';
import { fitPreprocessor, Preprocessor } from '../src/core/features.ts';
import { formatDay } from '../src/core/import/cell-values.ts';
import type { CsvStreamOptions } from '../src/core/import/csv-stream.ts';
import type { FeatureColumn } from '../src/core/import/feature-columns.ts';
import { importLeads, type ImportLeadsOptions, type LeadImport, type LeadTable } from '../src/core/import/import-leads.ts';
import type { LabelPlan } from '../src/core/import/label-reader.ts';
import type { LeadRecord, RawValue } from '../src/core/values.ts';

export interface ImportFromConfigOptions {
  onProgress?: ImportLeadsOptions['onProgress'];
  maxRows?: number | undefined;
}

/** The encoding and delimiter settings of a dataset config, as openCsvStream takes them. */
export function csvStreamOptions(loaded: LoadedDatasetConfig): CsvStreamOptions {
  const { csv } = loaded.config;
  return {
    encoding: csv.encoding === 'auto' ? undefined : csv.encoding,
    fallbackEncoding: csv.fallbackEncoding,
    delimiter: csv.delimiter === 'auto' ? undefined : csv.delimiter,
  };
}

/** Streams the export named by a loaded dataset config into a lead table and an import report. */
export async function importFromConfig(loaded: LoadedDatasetConfig, options: ImportFromConfigOptions = {}): Promise<LeadImport> {
  const { config } = loaded;
  if (loaded.sourceOverridden) await requireGivenFile(loaded.sourcePath);
  else await requireFile(loaded.sourcePath, 'source', loaded.configPath);
  if (loaded.wonDealsPath) await requireFile(loaded.wonDealsPath, 'labelFromDates.wonDeals.source', loaded.configPath);
  const label: LabelPlan = config.labelFromDates
    ? {
        mode: 'dates',
        rules: config.labelFromDates,
        leadKeyColumn: config.labelFromDates.wonDeals?.leadKeyColumn ?? config.idColumn,
      }
    : { mode: 'column', column: config.labelColumn!, positiveValues: config.positiveValues, negativeValues: config.negativeValues };

  return importLeads({
    sourcePath: loaded.sourcePath,
    wonDealsPath: loaded.wonDealsPath,
    csv: csvStreamOptions(loaded),
    label,
    missingTokens: config.missingTokens,
    columns: config.columns,
    excludeColumns: [
      ...(config.idColumn ? [config.idColumn] : []),
      ...(config.orderColumn ? [config.orderColumn] : []),
      ...config.ignoreColumns,
      ...config.leakageColumns.map((entry) => entry.column),
    ],
    optionalExclusions: loaded.optionalExclusions,
    dateFormats: config.labelFromDates?.dateFormats,
    orderColumn: config.orderColumn,
    maxRows: options.maxRows,
    onProgress: options.onProgress,
  });
}

async function requireFile(filePath: string, setting: string, configPath: string): Promise<void> {
  try {
    await access(filePath, constants.R_OK);
  } catch {
    throw new DatasetConfigError(`${setting} in '${configPath}' names '${filePath}', which does not exist or cannot be read; fix the path (relative paths start at the config file's folder) or pass --source`);
  }
}

/** Checks an export given on the command line, which no config setting names. */
async function requireGivenFile(filePath: string): Promise<void> {
  try {
    await access(filePath, constants.R_OK);
  } catch {
    throw new DatasetConfigError(`the export '${filePath}' given on the command line does not exist or cannot be read; check the path`);
  }
}

/** Time order of the leads: its name and each lead's order value. */
export interface LeadOrder {
  /** Human-readable name of the ordering, for metrics and the terminal. */
  orderBy: string;
  values: Float64Array;
  /** Formats an order value for reports (a date, a number or a row). */
  format: (value: number) => string;
}

/**
 * Orders leads by the config's order column, else by created date when the label comes from
 * dates, else by row in the export (`split.fileOrder`).
 */
export function leadOrder(table: LeadTable, loaded: LoadedDatasetConfig): LeadOrder {
  const { config } = loaded;
  if (config.orderColumn) {
    const isDate = config.columns[config.orderColumn]?.type === 'date';
    return { orderBy: config.orderColumn, values: table.orderValues, format: isDate ? formatDay : String };
  }
  if (config.labelFromDates) {
    return { orderBy: config.labelFromDates.createdColumn, values: table.createdDays, format: formatDay };
  }
  return { orderBy: 'row in the export', values: Float64Array.from(table.rowNumbers), format: (row) => `row ${row}` };
}

/** Returns the raw value of one stored cell as scoring would receive it: number, boolean, text or null. */
function cellValue(column: FeatureColumn, index: number): RawValue {
  switch (column.type) {
    case 'numeric': {
      const value = column.values[index]!;
      return Number.isNaN(value) ? null : value;
    }
    case 'categorical': {
      const code = column.codes[index]!;
      return code === -1 ? null : column.dictionary[code]!;
    }
    case 'boolean': {
      const value = column.values[index]!;
      return value === -1 ? null : value === 1;
    }
    case 'date': {
      const day = column.days[index]!;
      return Number.isNaN(day) ? null : formatDay(day);
    }
  }
}

/** Builds lead records for the given table rows; call in batches to keep memory flat. */
export function recordsForRows(table: LeadTable, rows: ArrayLike<number>, start = 0, end = rows.length): LeadRecord[] {
  const records: LeadRecord[] = [];
  for (let position = start; position < end; position += 1) {
    const index = rows[position]!;
    const record: LeadRecord = {};
    for (const column of table.columns) record[column.name] = cellValue(column, index);
    records.push(record);
  }
  return records;
}

export type FitOnTableOptions = Omit<Parameters<typeof fitPreprocessor>[1], 'featureColumns'>;

/**
 * Fits the feature transform on the training rows one column at a time, so that only one
 * column's values exist as JavaScript objects at once instead of a record per lead.
 */
export function fitPreprocessorOnTable(table: LeadTable, trainRows: Int32Array, options: FitOnTableOptions): Preprocessor {
  const fitted = table.columns.map((column) => {
    const records = Array.from(trainRows, (index): LeadRecord => ({ [column.name]: cellValue(column, index) }));
    return fitPreprocessor(records, { ...options, featureColumns: [column.name] });
  });
  const columns = fitted.flatMap((preprocessor) => preprocessor.state.columns);
  if (columns.length === 0) {
    throw new Error('the export has no feature columns left after excluding the id, label, ignored and leakage columns');
  }
  return new Preprocessor({ formatVersion: 1, missingTokens: options.missingTokens, columns });
}
