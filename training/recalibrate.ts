import { stat } from 'node:fs/promises';
import path from 'node:path';

import { loadDatasetConfig } from '../src/core/dataset-config.ts';
import { DatasetConfigError, InvalidInputError, ModelNotFoundError } from '../src/core/errors.ts';
import type { ImportReport } from '../src/core/import/import-report.ts';
import { writeImportReport } from '../src/core/import/import-report.ts';
import { readModelBundle, writeModelBundle, type ModelBundle } from '../src/core/model-bundle.ts';
import { findActiveModelDir, listModels, setActiveVersion } from '../src/core/model-registry.ts';
import type { RecalibrationRecord } from '../src/core/recalibration-record.ts';
import { quartileTiers } from '../src/core/tiers.ts';
import { fitOnOutcomes } from './calibration-refit.ts';
import type { ImportFromConfigOptions } from './lead-table.ts';
import { importRecentOutcomes, type RecentOutcomes } from './recent-outcomes.ts';
import { checkOutcomeCounts, countOutcomes, type RecalibrationMethod } from './recalibration-fit.ts';
import { formatTimestamp } from './train.ts';

export interface RecalibrateOptions {
  configPath: string;
  /** CSV export of recently closed leads, read with the config's settings in place of its `source`. */
  outcomesPath: string;
  /** Models folder that contains the source model and receives the new version. */
  modelsDir: string;
  /** Version in `modelsDir` to recalibrate; the active model when unset. */
  sourceVersion?: string | undefined;
  /** Default 'platt': recent outcomes are usually too few for isotonic regression. */
  method?: RecalibrationMethod | undefined;
  /** Makes the new version the active model. */
  activate?: boolean;
  /** Fits below MINIMUM_OUTCOMES and marks the new model low-confidence. */
  force?: boolean;
  /** Newest fraction of the outcomes held out to compare the calibrations; default 0.2. */
  heldOutFraction?: number;
  onImportProgress?: ImportFromConfigOptions['onProgress'];
  /** Clock for the version name and createdAt; tests pass a fixed one. */
  now?: () => Date;
}

export interface RecalibrateResult {
  version: string;
  dir: string;
  activated: boolean;
  record: RecalibrationRecord;
  importReport: ImportReport;
  /** Cautions for the user, such as isotonic regression on few outcomes. */
  warnings: string[];
}

const DEFAULT_HELD_OUT_FRACTION = 0.2;

/**
 * Refits a model's calibration on recently closed leads and writes the result as a new version
 * with the source's networks and preprocessing. Each ensemble member gets its own calibrator,
 * fitted on its raw network outputs. Before the final fit on every outcome, calibrations fitted
 * on the older part are compared with the source's on the newest `heldOutFraction`, the only
 * comparison that does not favour the new calibration. The source folder is never written.
 */
export async function recalibrateModel(options: RecalibrateOptions): Promise<RecalibrateResult> {
  const started = performance.now();
  const method = options.method ?? 'platt';
  const heldOutFraction = options.heldOutFraction ?? DEFAULT_HELD_OUT_FRACTION;
  checkSettings(method, heldOutFraction);
  const loaded = await loadDatasetConfig(options.configPath, { sourceOverride: options.outcomesPath });
  const bundle = await readModelBundle(await findSourceModelDir(options.modelsDir, options.sourceVersion));
  checkSameDataset(bundle, loaded.config.name, options.configPath);

  const now = options.now?.() ?? new Date();
  const version = `${bundle.manifest.dataset.name}-${formatTimestamp(now)}-${bundle.manifest.modelType}-recalibrated`;
  const dir = path.join(options.modelsDir, version);
  await checkFolderIsNew(dir);

  const outcomes = await importRecentOutcomes(loaded, bundle.manifest, bundle.preprocessing, { onProgress: options.onImportProgress });
  const lowConfidence = checkOutcomeCounts(countOutcomes(outcomes.labels), options.force ?? false);
  const fitted = await fitOnOutcomes(bundle, outcomes, method, heldOutFraction);
  const { recalibrated } = fitted;

  const record: RecalibrationRecord = {
    sourceVersion: bundle.manifest.version,
    method,
    outcomesFile: path.basename(loaded.sourcePath),
    ...describeOutcomes(outcomes),
    heldOut: fitted.heldOut,
    inSample: fitted.inSample,
    secondsTaken: Math.round((performance.now() - started) / 10) / 100,
    ...(lowConfidence ? { lowConfidence } : {}),
  };
  // NOTE: metrics.json stays the source's: its test metrics were measured with the old
  // calibration on the source's test leads. The new calibration's metrics are in the manifest.
  recalibrated.manifest = {
    ...recalibrated.manifest,
    version,
    createdAt: now.toISOString(),
    calibration: method,
    tiers: loaded.config.tiers ?? quartileTiers(fitted.probabilities),
    recalibration: record,
  };
  const lowConfidenceNotes = [bundle.manifest.lowConfidence, lowConfidence && `recalibrated on ${lowConfidence}`].filter(Boolean);
  if (lowConfidenceNotes.length > 0) recalibrated.manifest.lowConfidence = lowConfidenceNotes.join('; ');

  await writeModelBundle(dir, recalibrated);
  await writeImportReport(path.join(dir, 'import-report.json'), outcomes.report);
  if (options.activate) await setActiveVersion(options.modelsDir, version);
  return { version, dir, activated: options.activate ?? false, record, importReport: outcomes.report, warnings: fitted.warnings };
}

/** Returns the counts and the time range of the outcomes for the recalibration record. */
function describeOutcomes(outcomes: RecentOutcomes): Pick<RecalibrationRecord, 'outcomes' | 'order'> {
  const { order, rows, report } = outcomes;
  const formatAt = (index: number) => order.format(order.values[index]!);
  return {
    outcomes: { ...countOutcomes(outcomes.labels), rejected: report.counts.rejected, censored: report.counts.censored },
    order: { by: order.orderBy, first: formatAt(rows[0]!), last: formatAt(rows.at(-1)!) },
  };
}

function checkSettings(method: string, heldOutFraction: number): void {
  if (method !== 'platt' && method !== 'isotonic') {
    throw new InvalidInputError(`calibration method '${method}' is invalid; expected platt or isotonic`);
  }
  if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
    throw new InvalidInputError(`held-out fraction ${heldOutFraction} is invalid; expected a number from 0 up to, but not including, 1`);
  }
}

/** Returns the folder of `version` in `modelsDir`, or of the active model when no version is given. */
async function findSourceModelDir(modelsDir: string, version: string | undefined): Promise<string> {
  const models = await listModels(modelsDir);
  const known = models.map((model) => model.version).join(', ') || 'none';
  if (version !== undefined) {
    const model = models.find((entry) => entry.version === version);
    if (!model) throw new ModelNotFoundError(`model version '${version}' is not in '${modelsDir}'; available: ${known}`);
    return model.dir;
  }
  const active = await findActiveModelDir(modelsDir);
  if (!active) {
    throw new ModelNotFoundError(`'${modelsDir}' has no active model; pass --model <version> (available: ${known}) or train one with 'leadscore train'`);
  }
  return active;
}

function checkSameDataset(bundle: ModelBundle, datasetName: string, configPath: string): void {
  const modelDataset = bundle.manifest.dataset.name;
  if (modelDataset === datasetName) return;
  throw new DatasetConfigError(
    `model ${bundle.manifest.version} was trained on dataset '${modelDataset}', but '${configPath}' is for dataset '${datasetName}'; ` +
      `pass the config of '${modelDataset}', or --model with a model of '${datasetName}'`,
  );
}

async function checkFolderIsNew(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing) throw new InvalidInputError(`'${dir}' already exists and is never overwritten; wait a second and run recalibrate again`);
}

