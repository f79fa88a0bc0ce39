import { loadDatasetConfig, type LoadedDatasetConfig } from '../src/core/dataset-config.ts';
import { DatasetConfigError } from '../src/core/errors.ts';
import { parseIsoDay } from '../src/core/import/cell-values.ts';
import { validateLead } from '../src/core/lead-validation.ts';
import type { ModelManifest, ModelMetrics } from '../src/core/model-bundle.ts';
import type { PreprocessorState } from '../src/core/features.ts';
import type { LeadRecord } from '../src/core/values.ts';
import type { LeadTable } from '../src/core/import/import-leads.ts';
import { importFromConfig, leadOrder, recordsForRows } from './lead-table.ts';
import { splitTableOutOfTime } from './table-split.ts';

/** A labelled lead of an evaluation split. */
export interface EvaluationLead {
  record: LeadRecord;
  label: 0 | 1;
  /** Row of the lead in the export, as a spreadsheet shows it: the header is row 1. */
  rowNumber: number;
}

/** The train, calibration and test leads of a model's out-of-time split. */
export interface EvaluationSplit {
  train: EvaluationLead[];
  calibration: EvaluationLead[];
  test: EvaluationLead[];
  /** The dataset config the split was rebuilt from, to read columns the lead table leaves out. */
  dataset: LoadedDatasetConfig;
}

export interface EvaluationSplitOptions {
  configPath: string;
  manifest: ModelManifest;
  metrics: ModelMetrics;
  preprocessing: PreprocessorState;
  /** The row limit the model was trained with, if any; the split must match training's. */
  limitRows?: number;
}

/**
 * Rebuilds the out-of-time split a model was trained on, from its dataset config and the split
 * settings stored in its metrics, and keeps the leads whose values the model accepts (as training
 * did). Throws DatasetConfigError when the config names another dataset, another order column or
 * other feature columns than the model, or when the rebuilt test part starts elsewhere (the export
 * or the split settings changed).
 */
export async function loadEvaluationSplit(options: EvaluationSplitOptions): Promise<EvaluationSplit> {
  const loaded = await loadDatasetConfig(options.configPath);
  const { config } = loaded;
  const { manifest, metrics } = options;
  if (config.name !== manifest.dataset.name) {
    throw new DatasetConfigError(
      `dataset config '${options.configPath}' is for dataset '${config.name}', but model ${manifest.version} was trained on '${manifest.dataset.name}'; pass that dataset's config`,
    );
  }

  const { table } = await importFromConfig(loaded, { maxRows: options.limitRows });
  const modelColumns = options.preprocessing.columns.map((column) => column.column);
  const tableColumns = new Set(table.columns.map((column) => column.name));
  const missingColumns = modelColumns.filter((column) => !tableColumns.has(column));
  if (missingColumns.length > 0) {
    throw new DatasetConfigError(
      `dataset config '${options.configPath}' lacks columns that model ${manifest.version} reads: ${missingColumns.join(', ')}`,
    );
  }

  const order = leadOrder(table, loaded);
  if (order.orderBy !== metrics.split.orderColumn) {
    throw new DatasetConfigError(
      `dataset config '${options.configPath}' orders leads by '${order.orderBy}', but model ${manifest.version} was split by '${metrics.split.orderColumn}'`,
    );
  }
  const configuredCutoff = metrics.split.configuredCutoff ?? undefined;
  const split = splitTableOutOfTime(order, table.rowNumbers, {
    testFraction: metrics.split.testFraction,
    calibrationFraction: metrics.split.calibrationFraction,
    cutoffValue: configuredCutoff ? parseIsoDay(configuredCutoff) : undefined,
  });
  if (split.cutoff !== metrics.split.firstTestValue) {
    throw new DatasetConfigError(
      `the test part rebuilt from '${options.configPath}' starts at ${metrics.split.orderColumn} ${JSON.stringify(split.cutoff)}, but model ${manifest.version} was tested from ${JSON.stringify(metrics.split.firstTestValue)}; the export or the split settings changed since training`,
    );
  }

  const accepted = (rows: Int32Array) =>
    toLeads(table, rows).filter((lead) => validateLead(lead.record, options.preprocessing.columns, config.missingTokens).length === 0);
  return { train: accepted(split.train), calibration: accepted(split.calibration), test: accepted(split.test), dataset: loaded };
}

function toLeads(table: LeadTable, rows: Int32Array): EvaluationLead[] {
  return recordsForRows(table, rows).map((record, position) => ({
    record,
    label: table.labels[rows[position]!] as 0 | 1,
    rowNumber: table.rowNumbers[rows[position]!]!,
  }));
}
