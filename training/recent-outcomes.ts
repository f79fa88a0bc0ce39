import type { LoadedDatasetConfig } from '../src/core/dataset-config.ts';
import { DatasetConfigError } from '../src/core/errors.ts';
import type { ColumnState, PreprocessorState } from '../src/core/features.ts';
import type { LeadTable } from '../src/core/import/import-leads.ts';
import type { ImportReport } from '../src/core/import/import-report.ts';
import { validateLead } from '../src/core/lead-validation.ts';
import type { ModelManifest } from '../src/core/model-bundle.ts';
import { importFromConfig, leadOrder, recordsForRows, type ImportFromConfigOptions, type LeadOrder } from './lead-table.ts';
import { rejectForModel } from './train.ts';

/** Closed leads of an outcomes export that a model can score, oldest first. */
export interface RecentOutcomes {
  table: LeadTable;
  report: ImportReport;
  /** Table rows of the accepted leads, sorted by order value, then by CSV row. */
  rows: Int32Array;
  /** 0/1 outcome of each entry of `rows`. */
  labels: Float32Array;
  order: LeadOrder;
}

const VALIDATION_BATCH = 20_000;

/**
 * Imports an export of closed leads with the dataset config's import settings (labels, leakage
 * and ignored columns, encodings), as training does. Rows the import rejects, and rows with a
 * value the model cannot read, are listed in the report with their row numbers. Throws
 * DatasetConfigError when the export lacks a column the model reads, because a calibration fitted
 * on leads without it would not match the leads served with it.
 */
export async function importRecentOutcomes(
  loaded: LoadedDatasetConfig,
  manifest: ModelManifest,
  preprocessing: PreprocessorState,
  options: ImportFromConfigOptions = {},
): Promise<RecentOutcomes> {
  const { table, report } = await importFromConfig(loaded, options);
  const modelColumns = preprocessing.columns;
  const present = new Set(table.columns.map((column) => column.name));
  const absent = modelColumns.map((column) => column.column).filter((column) => !present.has(column));
  if (absent.length > 0) {
    throw new DatasetConfigError(
      `the outcomes export '${loaded.sourcePath}' lacks ${absent.length} columns that model ${manifest.version} reads: ` +
        `${absent.join(', ')}. Export them too, or retrain a model without them ('leadscore retrain')`,
    );
  }

  const order = leadOrder(table, loaded);
  const sorted = Int32Array.from({ length: table.rowCount }, (_, index) => index).sort(
    (a, b) => order.values[a]! - order.values[b]! || table.rowNumbers[a]! - table.rowNumbers[b]!,
  );
  const rows = Int32Array.from(acceptedRows(table, sorted, modelColumns, preprocessing.missingTokens, report));
  return { table, report, rows, labels: Float32Array.from(rows, (index) => table.labels[index]!), order };
}

/** Keeps the rows whose values the model can read, and moves the others to rejected in `report`. */
function acceptedRows(
  table: LeadTable,
  rows: Int32Array,
  modelColumns: readonly ColumnState[],
  missingTokens: string[],
  report: ImportReport,
): number[] {
  const accepted: number[] = [];
  for (let start = 0; start < rows.length; start += VALIDATION_BATCH) {
    const end = Math.min(rows.length, start + VALIDATION_BATCH);
    recordsForRows(table, rows, start, end).forEach((record, offset) => {
      const index = rows[start + offset]!;
      const issue = validateLead(record, modelColumns, missingTokens)[0];
      if (!issue) {
        accepted.push(index);
        return;
      }
      const column = String(issue.path[0]);
      rejectForModel(report, table, index, column, String(record[column]), issue.message);
    });
  }
  // Rejections were added in time order; the report lists rows in file order, as the import does.
  report.rejected.sort((a, b) => a.row - b.row);
  return accepted;
}
