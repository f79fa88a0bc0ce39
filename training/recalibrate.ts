import { stat } from 'node:fs/promises';
import path from 'node:path';

import type { Calibrator } from '../src/core/calibration.ts';
import { loadDatasetConfig } from '../src/core/dataset-config.ts';
import { DatasetConfigError, InvalidInputError, ModelNotFoundError } from '../src/core/errors.ts';
import type { ImportReport } from '../src/core/import/import-report.ts';
import { writeImportReport } from '../src/core/import/import-report.ts';
import { classificationMetrics } from '../src/core/metrics.ts';
import type { CalibrationMetrics } from '../src/core/recalibration-record.ts';
import { bundleMembers, readModelBundle, writeModelBundle, type ModelBundle } from '../src/core/model-bundle.ts';
import { findActiveModelDir, listModels, setActiveVersion } from '../src/core/model-registry.ts';
import type { CalibrationComparison, RecalibrationRecord } from '../src/core/recalibration-record.ts';
import { quartileTiers } from '../src/core/tiers.ts';
import type { ImportFromConfigOptions } from './lead-table.ts';
import { importRecentOutcomes, type RecentOutcomes } from './recent-outcomes.ts';
import {
  checkOutcomeCounts,
  countOutcomes,
  fitMemberCalibrators,
  ISOTONIC_WARNING_LEADS,
  type RecalibrationMethod,
} from './recalibration-fit.ts';
import { predictBundle, scoreMembers, type MemberScores } from './recalibration-scoring.ts';
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
  const counts = countOutcomes(outcomes.labels);
  const lowConfidence = checkOutcomeCounts(counts, options.force ?? false);
  const warnings: string[] = [];
  if (method === 'isotonic' && counts.leads < ISOTONIC_WARNING_LEADS) {
    warnings.push(`isotonic regression on ${counts.leads} closed leads overfits (it needs about ${ISOTONIC_WARNING_LEADS}); Platt scaling suits so few`);
  }

  const scores = await scoreMembers(bundle, outcomes.table, outcomes.rows);
  const heldOut = await compareOnNewest(bundle, outcomes, scores, method, heldOutFraction);
  const calibrators = fitMemberCalibrators(scores.raw, outcomes.labels, method);
  warnings.push(...reversedRankingWarnings(calibrators));
  const recalibrated = withCalibrators(bundle, calibrators);
  const after = await predictBundle(recalibrated, outcomes.table, outcomes.rows);

  const { order, rows, report } = outcomes;
  const record: RecalibrationRecord = {
    sourceVersion: bundle.manifest.version,
    method,
    outcomesFile: path.basename(loaded.sourcePath),
    outcomes: { ...counts, rejected: report.counts.rejected, censored: report.counts.censored },
    order: { by: order.orderBy, first: order.format(order.values[rows[0]!]!), last: order.format(order.values[rows.at(-1)!]!) },
    heldOut,
    inSample: { before: calibrationMetrics(outcomes.labels, scores.probabilities), after: calibrationMetrics(outcomes.labels, after) },
    secondsTaken: Math.round((performance.now() - started) / 10) / 100,
    ...(lowConfidence ? { lowConfidence } : {}),
  };
  recalibrated.manifest = {
    ...recalibrated.manifest,
    version,
    createdAt: now.toISOString(),
    calibration: method,
    tiers: loaded.config.tiers ?? quartileTiers(after),
    recalibration: record,
  };
  const lowConfidenceNotes = [bundle.manifest.lowConfidence, lowConfidence && `recalibrated on ${lowConfidence}`].filter(Boolean);
  if (lowConfidenceNotes.length > 0) recalibrated.manifest.lowConfidence = lowConfidenceNotes.join('; ');

  await writeModelBundle(dir, recalibrated);
  await writeImportReport(path.join(dir, 'import-report.json'), report);
  if (options.activate) await setActiveVersion(options.modelsDir, version);
  return { version, dir, activated: options.activate ?? false, record, importReport: report, warnings };
}

/**
 * Warns about Platt fits with a slope of 0 or below: they flatten or reverse the network's
 * ranking, which happens when the network ranks the outcomes no better than chance.
 */
function reversedRankingWarnings(calibrators: readonly Calibrator[]): string[] {
  return calibrators.flatMap((calibrator, index) => {
    const state = calibrator.state;
    if (state.method !== 'platt' || state.slope > 0) return [];
    return [
      `network ${index + 1} got a Platt slope of ${state.slope.toFixed(3)}, which flattens or reverses its ranking: ` +
        'it ranks these outcomes no better than chance, so retrain rather than recalibrate',
    ];
  });
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

/** Returns a copy of the bundle whose members carry the given calibrators, in member order. */
function withCalibrators(bundle: ModelBundle, calibrators: readonly Calibrator[]): ModelBundle {
  const members = bundleMembers(bundle).map((member, index) => ({ ...member, calibration: calibrators[index]!.state }));
  const [first, ...others] = members;
  const copy: ModelBundle = { ...bundle, manifest: { ...bundle.manifest }, calibration: first!.calibration };
  if (others.length > 0) copy.moreMembers = others;
  return copy;
}

/**
 * Fits calibrations on all but the newest `fraction` of the outcomes and compares them with the
 * source's on the newest part. Skipped, with the reason, when either part lacks a win or a loss.
 */
async function compareOnNewest(
  bundle: ModelBundle,
  outcomes: RecentOutcomes,
  scores: MemberScores,
  method: RecalibrationMethod,
  fraction: number,
): Promise<(CalibrationComparison & { fitLeads: number; from: string }) | { skipped: string }> {
  const { rows, labels, order } = outcomes;
  const fitLeads = Math.round(rows.length * (1 - fraction));
  const fitCounts = countOutcomes(labels.subarray(0, fitLeads));
  const heldOutCounts = countOutcomes(labels.subarray(fitLeads));
  if (heldOutCounts.leads === 0) return { skipped: 'no leads held out (held-out fraction 0 or too few outcomes)' };
  for (const [part, counts] of [['older', fitCounts], ['newest', heldOutCounts]] as const) {
    if (counts.wins === 0 || counts.losses === 0) {
      return { skipped: `the ${part} part has ${counts.wins} wins and ${counts.losses} losses; a comparison needs both` };
    }
  }

  const calibrators = fitMemberCalibrators(scores.raw.map((raw) => raw.subarray(0, fitLeads)), labels.subarray(0, fitLeads), method);
  const heldOutRows = rows.subarray(fitLeads);
  const after = await predictBundle(withCalibrators(bundle, calibrators), outcomes.table, heldOutRows);
  const heldOutLabels = labels.subarray(fitLeads);
  return {
    fitLeads,
    from: order.format(order.values[heldOutRows[0]!]!),
    before: calibrationMetrics(heldOutLabels, scores.probabilities.subarray(fitLeads)),
    after: calibrationMetrics(heldOutLabels, after),
  };
}

function calibrationMetrics(labels: ArrayLike<number>, probabilities: Float64Array): CalibrationMetrics {
  const meanProbability = probabilities.reduce((sum, probability) => sum + probability, 0) / probabilities.length;
  return { ...classificationMetrics(labels, probabilities), meanProbability };
}
