import path from 'node:path';
import { writeFile } from 'node:fs/promises';

import { fitIsotonic, fitPlatt, type Calibrator } from '../src/core/calibration.ts';
import { loadDatasetConfig, type DatasetConfig } from '../src/core/dataset-config.ts';
import { fitPreprocessor, type Preprocessor } from '../src/core/features.ts';
import { validateLead } from '../src/core/lead-validation.ts';
import { classificationMetrics } from '../src/core/metrics.ts';
import { writeModelBundle, type ModelBundle, type ModelMetrics } from '../src/core/model-bundle.ts';
import { fitNetwork, predictNetwork, saveNetwork, type EpochProgress, type FeatureMatrix } from '../src/core/models/network.ts';
import { initBackend } from '../src/core/tf-backend.ts';
import { quartileTiers, tierProblems } from '../src/core/tiers.ts';
import { loadLabelledLeads, type LabelledLead } from './dataset.ts';
import type { ImportReport, RowRejection } from './import-report.ts';
import { splitOutOfTime } from './split.ts';

export interface TrainOptions {
  configPath: string;
  /** Folder that receives models/<version>/. */
  modelsDir: string;
  /** Overrides for the config's model settings, for tests and quick runs. */
  modelOverrides?: Partial<DatasetConfig['model']>;
  /** Keeps only the first N leads of the export (in file order) when set. */
  limitRows?: number;
  onEpoch?: (progress: EpochProgress) => void;
  /** Clock for the version name and createdAt; tests pass a fixed one. */
  now?: () => Date;
}

export interface TrainResult {
  version: string;
  dir: string;
  metrics: ModelMetrics;
  importReport: ImportReport;
}

/**
 * Trains a model end to end from a dataset config: reads and labels the export, splits it out of
 * time, fits the feature transform and the network on the training part, calibrates on the
 * calibration slice, measures the test part, and writes models/<version>/.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const backend = await initBackend();
  const loaded = await loadDatasetConfig(options.configPath);
  const config = { ...loaded.config, model: { ...loaded.config.model, ...options.modelOverrides } };
  checkTiers(config);

  const dataset = await loadLabelledLeads(loaded, options.limitRows);
  const split = splitOutOfTime(dataset.leads, config.split.testFraction, config.split.calibrationFraction);

  const preprocessor = fitPreprocessor(
    split.train.map((lead) => lead.record),
    {
      featureColumns: dataset.featureColumns,
      declaredColumns: config.columns,
      missingTokens: config.missingTokens,
      minCategoryCount: config.features.minCategoryCount,
      maxCategories: config.features.maxCategories,
    },
  );
  const rejections = [...dataset.rejections];
  const keep = (part: LabelledLead[]) => rejectInvalidLeads(part, preprocessor, config.missingTokens, rejections);
  const train = keep(split.train);
  const calibrationSlice = keep(split.calibration);
  const test = keep(split.test);
  checkSplitSizes(train, calibrationSlice, test);

  const toMatrix = (part: LabelledLead[]): FeatureMatrix => ({
    values: preprocessor.transform(part.map((lead) => lead.record)),
    rows: part.length,
    columns: preprocessor.featureCount,
  });
  const toLabels = (part: LabelledLead[]) => Float32Array.from(part, (lead) => lead.label);

  const network = await fitNetwork(toMatrix(train), toLabels(train), {
    settings: config.model,
    validation: { x: toMatrix(calibrationSlice), y: toLabels(calibrationSlice) },
    onEpoch: options.onEpoch,
  });

  const calibrationRaw = predictNetwork(network, toMatrix(calibrationSlice));
  const calibrator = fitCalibrator(config.calibration, calibrationRaw, toLabels(calibrationSlice));
  const calibrated = (part: LabelledLead[]) => calibrator.calibrateAll(predictNetwork(network, toMatrix(part)));

  const metrics: ModelMetrics = {
    test: classificationMetrics(toLabels(test), calibrated(test)),
    calibrationSlice: classificationMetrics(toLabels(calibrationSlice), calibrator.calibrateAll(calibrationRaw)),
    trainRows: train.length,
    split: {
      orderColumn: config.orderColumn,
      testFraction: config.split.testFraction,
      calibrationFraction: config.split.calibrationFraction,
      firstTestValue: test[0]?.record[config.orderColumn]?.toString() ?? '',
    },
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
      labelColumn: config.labelColumn,
      idColumn: config.idColumn,
      featureColumns: dataset.featureColumns,
      excludedColumns: config.leakageColumns,
      tiers: config.tiers ?? quartileTiers(calibrated(train)),
      calibration: calibrator.state.method,
      backend,
      trainingSeconds: Math.round((performance.now() - started) / 10) / 100,
    },
    preprocessing: preprocessor.state,
    calibration: calibrator.state,
    metrics,
    network: await saveNetwork(network),
  };
  network.dispose();

  const importReport: ImportReport = {
    source: path.basename(loaded.sourcePath),
    rowsRead: dataset.rowsRead,
    rowsUsed: train.length + calibrationSlice.length + test.length,
    rowsRejected: rejections.length,
    rejections: rejections.sort((a, b) => a.row - b.row),
  };
  await writeModelBundle(dir, bundle);
  await writeFile(path.join(dir, 'import-report.json'), `${JSON.stringify(importReport, null, 2)}\n`);
  return { version, dir, metrics, importReport };
}

/** Removes leads whose feature values break the column types, recording one rejection each. */
function rejectInvalidLeads(
  leads: LabelledLead[],
  preprocessor: Preprocessor,
  missingTokens: string[],
  rejections: RowRejection[],
): LabelledLead[] {
  return leads.filter((lead) => {
    const issues = validateLead(lead.record, preprocessor.state.columns, missingTokens);
    const first = issues[0];
    if (!first) return true;
    const column = String(first.path[0]);
    rejections.push({ row: lead.row, column, value: String(lead.record[column] ?? ''), reason: issues.map((issue) => issue.message).join('; ') });
    return false;
  });
}

function fitCalibrator(method: DatasetConfig['calibration'], raw: Float32Array, labels: Float32Array): Calibrator {
  return method === 'isotonic' ? fitIsotonic(raw, labels) : fitPlatt(raw, labels);
}

function checkTiers(config: DatasetConfig): void {
  if (!config.tiers) return;
  const problems = tierProblems(config.tiers);
  if (problems.length > 0) throw new Error(`dataset config tiers are invalid: ${problems.join('; ')}`);
}

function checkSplitSizes(train: LabelledLead[], calibration: LabelledLead[], test: LabelledLead[]): void {
  for (const [name, part] of [['training', train], ['calibration', calibration], ['test', test]] as const) {
    const positives = part.filter((lead) => lead.label === 1).length;
    if (positives === 0 || positives === part.length) {
      throw new Error(
        `the ${name} part has ${part.length} leads and ${positives} wins; every part needs both won and lost leads, so the export needs more rows`,
      );
    }
  }
}

function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
