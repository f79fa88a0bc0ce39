import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { CalibratorState } from './calibration.ts';
import type { TierSpec } from './dataset-config.ts';
import { ModelNotFoundError } from './errors.ts';
import type { ClassificationMetrics } from './metrics.ts';
import type { NetworkArtifacts } from './models/network.ts';
import type { PreprocessorState } from './features.ts';
import type { RecalibrationRecord } from './recalibration-record.ts';

/** Identity and provenance of a trained model: manifest.json. */
export interface ModelManifest {
  formatVersion: 1;
  version: string;
  createdAt: string;
  modelType: 'logistic' | 'mlp';
  dataset: { name: string; configFile: string; sourceFile: string };
  labelColumn: string;
  /** Empty when the export has no id column. */
  idColumn: string;
  /** Export columns the model reads, in order. */
  featureColumns: string[];
  excludedColumns: { column: string; reason: string }[];
  /** Every column of the training export; absent in bundles written before it was recorded. */
  exportColumns?: string[];
  tiers: TierSpec[];
  calibration: CalibratorState['method'];
  backend: string;
  trainingSeconds: number;
  /** Set when training was forced below the minimum data: what was short. */
  lowConfidence?: string;
  /**
   * Networks in the bundle; the served probability is the mean of their calibrated outputs.
   * Absent in bundles written before ensembles, which hold one network.
   */
  ensembleSize?: number;
  /** Set on a model made by `leadscore recalibrate`: its source model and the outcomes it was fitted on. */
  recalibration?: RecalibrationRecord;
}

/** metrics.json: test-split metrics plus the sizes of the other splits. */
export interface ModelMetrics {
  test: ClassificationMetrics;
  /** Metrics of the calibrated held-out predictions: the slice, or every block of an ensemble. */
  calibrationSlice: ClassificationMetrics;
  /** Leads each network trained on. */
  trainRows: number;
  /** Networks in the model; absent in bundles written before ensembles, which hold one. */
  networks?: number;
  split: {
    orderColumn: string;
    testFraction: number;
    calibrationFraction: number;
    firstTestValue: string;
    /** Order value (a date for date-ordered exports) of the first test lead. */
    cutoff?: string;
    configuredCutoff?: string | null;
  };
  /** Rows of the export by outcome: read = used + censored + rejected, used = won + lost. */
  labels?: { rowsRead: number; rowsUsed: number; won: number; lost: number; censored: number; rejected: number; asOf: string | null };
  /** Set when training was forced below the minimum data: what was short. */
  lowConfidence?: string;
}

/** baseline.json: the reference lead that reasons are measured from. */
export interface FeatureBaseline {
  /** Mean of each model input over the training leads, in feature order. */
  featureMeans: number[];
}

/** One network of an ensemble with the calibration fitted on the leads it did not train on. */
export interface EnsembleMember {
  network: NetworkArtifacts;
  calibration: CalibratorState;
}

/**
 * Everything a trained model consists of, as written to models/<version>/. `network` and
 * `calibration` are the first ensemble member, and `moreMembers` contains the others, if any.
 */
export interface ModelBundle {
  manifest: ModelManifest;
  preprocessing: PreprocessorState;
  calibration: CalibratorState;
  metrics: ModelMetrics;
  network: NetworkArtifacts;
  moreMembers?: EnsembleMember[];
  /** Absent in bundles written before reasons existed; such models score without reasons. */
  baseline?: FeatureBaseline;
}

/** Returns every ensemble member of a bundle, the first one included. */
export function bundleMembers(bundle: ModelBundle): EnsembleMember[] {
  return [{ network: bundle.network, calibration: bundle.calibration }, ...(bundle.moreMembers ?? [])];
}

const FILES = {
  manifest: 'manifest.json',
  preprocessing: 'preprocessing.json',
  calibration: 'calibration.json',
  metrics: 'metrics.json',
  modelJson: 'model.json',
  weights: 'weights.bin',
  baseline: 'baseline.json',
} as const;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Folder of ensemble member `index`, counting the members after the first from 1. */
function memberDir(dir: string, index: number): string {
  return path.join(dir, `member-${index}`);
}

async function writeMember(dir: string, member: EnsembleMember): Promise<void> {
  await mkdir(dir, { recursive: true });
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'leadscore',
    modelTopology: member.network.modelJson.modelTopology,
    weightsManifest: [{ paths: [FILES.weights], weights: member.network.modelJson.weightSpecs }],
  };
  await Promise.all([
    writeFile(path.join(dir, FILES.calibration), json(member.calibration)),
    writeFile(path.join(dir, FILES.modelJson), json(modelJson)),
    writeFile(path.join(dir, FILES.weights), member.network.weights),
  ]);
}

/**
 * Writes a bundle into `dir` (created if needed), one file per part. The first ensemble member
 * is written to `dir` itself, so a one-network bundle keeps the layout older readers expect.
 * Further members go to member-1/, member-2/ and so on.
 */
export async function writeModelBundle(dir: string, bundle: ModelBundle): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, FILES.preprocessing), json(bundle.preprocessing)),
    writeFile(path.join(dir, FILES.metrics), json(bundle.metrics)),
    writeMember(dir, { network: bundle.network, calibration: bundle.calibration }),
    ...(bundle.moreMembers ?? []).map((member, index) => writeMember(memberDir(dir, index + 1), member)),
    ...(bundle.baseline ? [writeFile(path.join(dir, FILES.baseline), json(bundle.baseline))] : []),
  ]);
  // The manifest goes last: a folder without one is an unfinished write and is never loaded.
  const manifest = { ...bundle.manifest, ensembleSize: 1 + (bundle.moreMembers?.length ?? 0) };
  await writeFile(path.join(dir, FILES.manifest), json(manifest));
}

async function readJson<T>(dir: string, name: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path.join(dir, name), 'utf8')) as T;
  } catch (error) {
    throw new ModelNotFoundError(`model folder '${dir}' has no readable ${name}: ${(error as Error).message}`);
  }
}

async function readMember(dir: string): Promise<EnsembleMember> {
  const [calibration, modelJson] = await Promise.all([
    readJson<CalibratorState>(dir, FILES.calibration),
    readJson<{ modelTopology: unknown; weightsManifest: { weights: NetworkArtifacts['modelJson']['weightSpecs'] }[] }>(
      dir,
      FILES.modelJson,
    ),
  ]);
  let weights: Uint8Array;
  try {
    weights = await readFile(path.join(dir, FILES.weights));
  } catch (error) {
    throw new ModelNotFoundError(`model folder '${dir}' has no readable ${FILES.weights}: ${(error as Error).message}`);
  }

  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  return { calibration, network: { modelJson: { modelTopology: modelJson.modelTopology, weightSpecs }, weights } };
}

/** Reads a bundle written by writeModelBundle; throws ModelNotFoundError naming a missing file. */
export async function readModelBundle(dir: string): Promise<ModelBundle> {
  let manifest: ModelManifest;
  try {
    manifest = await readJson<ModelManifest>(dir, FILES.manifest);
  } catch (error) {
    throw new ModelNotFoundError(`${(error as Error).message}; a model folder is one version, such as models/<version>/, written by 'leadscore train'`);
  }
  const extraCount = Math.max(0, (manifest.ensembleSize ?? 1) - 1);
  const [preprocessing, metrics, first, ...moreMembers] = await Promise.all([
    readJson<PreprocessorState>(dir, FILES.preprocessing),
    readJson<ModelMetrics>(dir, FILES.metrics),
    readMember(dir),
    ...Array.from({ length: extraCount }, (_, index) => readMember(memberDir(dir, index + 1))),
  ]);
  const bundle: ModelBundle = { manifest, preprocessing, metrics, calibration: first.calibration, network: first.network };
  if (moreMembers.length > 0) bundle.moreMembers = moreMembers;
  const baseline = await readOptionalJson<FeatureBaseline>(path.join(dir, FILES.baseline));
  if (baseline) bundle.baseline = baseline;
  return bundle;
}

async function readOptionalJson<T>(filePath: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelNotFoundError(`'${filePath}' could not be read: ${(error as Error).message}`);
  }
  return JSON.parse(text) as T;
}
