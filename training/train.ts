import path from 'node:path';

import { loadDatasetConfig, type DatasetConfig } from '../src/core/dataset-config.ts';
import type { Preprocessor } from '../src/core/features.ts';
import { parseIsoDay } from '../src/core/import/cell-values.ts';
import type { LeadTable } from '../src/core/import/import-leads.ts';
import { writeImportReport, type ImportReport } from '../src/core/import/import-report.ts';
import { validateLead } from '../src/core/lead-validation.ts';
import { classificationMetrics } from '../src/core/metrics.ts';
import { writeModelBundle, type ModelBundle, type ModelMetrics } from '../src/core/model-bundle.ts';
import { saveNetwork, type EpochProgress, type FeatureMatrix } from '../src/core/models/network.ts';
import { columnMeans } from '../src/core/explain/baseline.ts';
import { initBackend } from '../src/core/tf-backend.ts';
import { quartileTiers, tierProblems } from '../src/core/tiers.ts';
import { checkMinimumData } from './data-guard.ts';
import { concatRows, fitCalibratedEnsemble, predictEnsemble, type CalibratedMember } from './fit.ts';
import { fitPreprocessorOnTable, importFromConfig, leadOrder, recordsForRows, type ImportFromConfigOptions } from './lead-table.ts';
import { splitTableOutOfTime } from './table-split.ts';

export interface TrainOptions {
  configPath: string;
  /** Folder that receives models/<version>/. */
  modelsDir: string;
  /** Overrides for the config's model settings, for tests and quick runs. */
  modelOverrides?: Partial<DatasetConfig['model']>;
  /** Keeps only the first N leads of the export (in file order) when set. */
  limitRows?: number;
  /** Export to read in place of the config's `source` (for large exports kept outside data/). */
  sourceOverride?: string | undefined;
  /** Trains below the minimum data and marks the model low-confidence. */
  force?: boolean;
  onEpoch?: (progress: EpochProgress) => void;
  onImportProgress?: ImportFromConfigOptions['onProgress'];
  /** Clock for the version name and createdAt; tests pass a fixed one. */
  now?: () => Date;
}

/** The most recent labelled leads, held out from training: the rows a retrain compares models on. */
export interface HeldOutLeads {
  table: LeadTable;
  rows: Int32Array;
  labels: Float32Array;
  cutoff: string;
}

export interface TrainResult {
  version: string;
  dir: string;
  metrics: ModelMetrics;
  importReport: ImportReport;
  heldOut: HeldOutLeads;
}

/** One part of the split, its invalid rows removed, as a matrix with labels. */
interface PreparedPart {
  rows: Int32Array;
  x: FeatureMatrix;
  y: Float32Array;
}

const TRANSFORM_BATCH = 20_000;

/**
 * Trains a model end to end from a dataset config: streams and labels the export, checks there is
 * enough data, splits it out of time, fits the feature transform and the network on the training
 * part, calibrates on the calibration slice, measures the test part, and writes models/<version>/.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const backend = await initBackend();
  const loaded = await loadDatasetConfig(options.configPath, { sourceOverride: options.sourceOverride });
  const config = { ...loaded.config, model: { ...loaded.config.model, ...options.modelOverrides } };
  checkTiers(config);

  const { table, report } = await importFromConfig(loaded, { maxRows: options.limitRows, onProgress: options.onImportProgress });
  const lowConfidence = checkMinimumData(report.counts, config.minimumData, options.force ?? false);
  const order = leadOrder(table, loaded);
  const split = splitTableOutOfTime(order, table.rowNumbers, {
    testFraction: config.split.testFraction,
    calibrationFraction: config.split.calibrationFraction,
    cutoffValue: config.split.cutoff ? parseIsoDay(config.split.cutoff) : undefined,
  });

  const preprocessor = fitPreprocessorOnTable(table, split.train, {
    declaredColumns: config.columns,
    missingTokens: config.missingTokens,
    minCategoryCount: config.features.minCategoryCount,
    maxCategories: config.features.maxCategories,
    clipPercentile: config.features.clipPercentile,
    dateFormats: config.labelFromDates?.dateFormats,
  });
  const prepare = (rows: Int32Array) => preparePart(table, rows, preprocessor, config.missingTokens, report);
  const train = prepare(split.train);
  const calibrationSlice = prepare(split.calibration);
  const test = prepare(split.test);
  checkSplitSizes(train, calibrationSlice, test);

  const history = concatRows(train, calibrationSlice);
  const ensemble = await fitCalibratedEnsemble(history.x, history.y, {
    settings: config.model,
    calibration: config.calibration,
    calibrationStart: train.rows.length,
    onEpoch: options.onEpoch,
  });
  const [first, ...others] = ensemble.members as [CalibratedMember, ...CalibratedMember[]];
  const calibrated = (part: PreparedPart) => predictEnsemble(ensemble.members, part.x);

  const metrics: ModelMetrics = {
    test: classificationMetrics(test.y, calibrated(test)),
    calibrationSlice: classificationMetrics(history.y.subarray(ensemble.heldOutStart), ensemble.heldOutProbabilities),
    trainRows: ensemble.trainRows,
    networks: ensemble.members.length,
    split: {
      orderColumn: order.orderBy,
      testFraction: config.split.testFraction,
      calibrationFraction: config.split.calibrationFraction,
      firstTestValue: split.cutoff,
      cutoff: split.cutoff,
      configuredCutoff: config.split.cutoff ?? null,
    },
    labels: { ...report.counts, asOf: report.label.mode === 'dates' ? report.label.asOf : null },
    ...(lowConfidence ? { lowConfidence } : {}),
  };

  const now = options.now?.() ?? new Date();
  const version = `${config.name}-${formatTimestamp(now)}-${config.model.type}`;
  const dir = path.join(options.modelsDir, version);
  const bundle: ModelBundle = {
    manifest: {
      formatVersion: 1,
      version,
      createdAt: now.toISOString(),
      modelType: config.model.type,
      dataset: { name: config.name, configFile: path.basename(loaded.configPath), sourceFile: path.basename(loaded.sourcePath) },
      labelColumn: describeLabel(config),
      idColumn: config.idColumn ?? '',
      featureColumns: table.columns.map((column) => column.name),
      excludedColumns: config.leakageColumns,
      exportColumns: report.source.header,
      tiers: config.tiers ?? quartileTiers(calibrated(train)),
      calibration: first.calibrator.state.method,
      backend,
      trainingSeconds: Math.round((performance.now() - started) / 10) / 100,
      ...(lowConfidence ? { lowConfidence } : {}),
    },
    preprocessing: preprocessor.state,
    calibration: first.calibrator.state,
    metrics,
    network: await saveNetwork(first.network),
    baseline: { featureMeans: columnMeans(train.x) },
  };
  if (others.length > 0) {
    bundle.moreMembers = await Promise.all(
      others.map(async (member) => ({ network: await saveNetwork(member.network), calibration: member.calibrator.state })),
    );
  }
  for (const member of ensemble.members) member.network.dispose();

  await writeModelBundle(dir, bundle);
  await writeImportReport(path.join(dir, 'import-report.json'), report);
  return { version, dir, metrics, importReport: report, heldOut: { table, rows: test.rows, labels: test.y, cutoff: split.cutoff } };
}

/**
 * Transforms a part of the split in batches. Rows whose values the fitted transform cannot read
 * (say, text in a column inferred as numeric from the training rows) move from used to rejected.
 */
function preparePart(
  table: LeadTable,
  rows: Int32Array,
  preprocessor: Preprocessor,
  missingTokens: string[],
  report: ImportReport,
): PreparedPart {
  const width = preprocessor.featureCount;
  const values = new Float32Array(rows.length * width);
  const kept: number[] = [];
  for (let start = 0; start < rows.length; start += TRANSFORM_BATCH) {
    const end = Math.min(rows.length, start + TRANSFORM_BATCH);
    const records = recordsForRows(table, rows, start, end).filter((record, offset) => {
      const index = rows[start + offset]!;
      const issue = validateLead(record, preprocessor.state.columns, missingTokens)[0];
      if (issue) rejectForModel(report, table, index, String(issue.path[0]), String(record[String(issue.path[0])]), issue.message);
      else kept.push(index);
      return !issue;
    });
    values.set(preprocessor.transform(records), (kept.length - records.length) * width);
  }

  const keptRows = Int32Array.from(kept);
  return {
    rows: keptRows,
    x: { values: values.subarray(0, keptRows.length * width), rows: keptRows.length, columns: width },
    y: Float32Array.from(keptRows, (index) => table.labels[index]!),
  };
}

/** Moves a used row to rejected in the import report, with the cell the model cannot read. */
export function rejectForModel(report: ImportReport, table: LeadTable, index: number, column: string, value: string, message: string): void {
  const row = table.rowNumbers[index]!;
  report.rejected.push({ row, column, value, reason: 'invalid-for-model', message: `row ${row}: ${message}` });
  report.rejectedByReason['invalid-for-model'] = (report.rejectedByReason['invalid-for-model'] ?? 0) + 1;
  report.counts.rejected += 1;
  report.counts.rowsUsed -= 1;
  if (table.labels[index] === 1) report.counts.won -= 1;
  else report.counts.lost -= 1;
}

function describeLabel(config: DatasetConfig): string {
  const rules = config.labelFromDates;
  return rules ? `won within ${rules.closeWindowDays} days of ${rules.createdColumn}` : config.labelColumn!;
}

function checkTiers(config: DatasetConfig): void {
  if (!config.tiers) return;
  const problems = tierProblems(config.tiers);
  if (problems.length > 0) throw new Error(`dataset config tiers are invalid: ${problems.join('; ')}`);
}

function checkSplitSizes(train: PreparedPart, calibration: PreparedPart, test: PreparedPart): void {
  for (const [name, part] of [['training', train], ['calibration', calibration], ['test', test]] as const) {
    const positives = part.y.reduce((sum, label) => sum + label, 0);
    if (positives === 0 || positives === part.rows.length) {
      throw new Error(
        `the ${name} part has ${part.rows.length} leads and ${positives} wins; every part needs both won and lost leads, so the export needs more rows`,
      );
    }
  }
}

/** Formats a date as the UTC timestamp of model versions, such as 20260115-100000. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
