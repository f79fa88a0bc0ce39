import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { CalibratorState } from './calibration.ts';
import type { TierSpec } from './dataset-config.ts';
import { ModelNotFoundError } from './errors.ts';
import type { ClassificationMetrics } from './metrics.ts';
import type { NetworkArtifacts } from './models/network.ts';
import type { PreprocessorState } from './features.ts';

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
}

/** metrics.json: test-split metrics plus the sizes of the other splits. */
export interface ModelMetrics {
  test: ClassificationMetrics;
  calibrationSlice: ClassificationMetrics;
  trainRows: number;
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

/** Everything a trained model consists of, as written to models/<version>/. */
export interface ModelBundle {
  manifest: ModelManifest;
  preprocessing: PreprocessorState;
  calibration: CalibratorState;
  metrics: ModelMetrics;
  network: NetworkArtifacts;
  /** Absent in bundles written before reasons existed; such models score without reasons. */
  baseline?: FeatureBaseline;
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

/** Writes a bundle into `dir` (created if needed), one file per part. */
export async function writeModelBundle(dir: string, bundle: ModelBundle): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'leadscore',
    modelTopology: bundle.network.modelJson.modelTopology,
    weightsManifest: [{ paths: [FILES.weights], weights: bundle.network.modelJson.weightSpecs }],
  };
  await Promise.all([
    writeFile(path.join(dir, FILES.preprocessing), json(bundle.preprocessing)),
    writeFile(path.join(dir, FILES.calibration), json(bundle.calibration)),
    writeFile(path.join(dir, FILES.metrics), json(bundle.metrics)),
    writeFile(path.join(dir, FILES.modelJson), json(modelJson)),
    writeFile(path.join(dir, FILES.weights), bundle.network.weights),
    ...(bundle.baseline ? [writeFile(path.join(dir, FILES.baseline), json(bundle.baseline))] : []),
  ]);
  // The manifest goes last: a folder without one is an unfinished write and is never loaded.
  await writeFile(path.join(dir, FILES.manifest), json(bundle.manifest));
}

/** Reads a bundle written by writeModelBundle; throws ModelNotFoundError naming a missing file. */
export async function readModelBundle(dir: string): Promise<ModelBundle> {
  const readJson = async <T>(name: string): Promise<T> => {
    try {
      return JSON.parse(await readFile(path.join(dir, name), 'utf8')) as T;
    } catch (error) {
      throw new ModelNotFoundError(`model folder '${dir}' has no readable ${name}: ${(error as Error).message}`);
    }
  };

  let manifest: ModelManifest;
  try {
    manifest = await readJson<ModelManifest>(FILES.manifest);
  } catch (error) {
    throw new ModelNotFoundError(`${(error as Error).message}; a model folder is one version, such as models/<version>/, written by 'leadscore train'`);
  }
  const [preprocessing, calibration, metrics, modelJson] = await Promise.all([
    readJson<PreprocessorState>(FILES.preprocessing),
    readJson<CalibratorState>(FILES.calibration),
    readJson<ModelMetrics>(FILES.metrics),
    readJson<{ modelTopology: unknown; weightsManifest: { weights: NetworkArtifacts['modelJson']['weightSpecs'] }[] }>(
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
  const bundle: ModelBundle = { manifest, preprocessing, calibration, metrics, network: { modelJson: { modelTopology: modelJson.modelTopology, weightSpecs }, weights } };
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
