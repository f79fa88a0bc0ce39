import { DatasetConfig } from '../src/core/dataset-config.ts';
import { fitPreprocessor, type Preprocessor } from '../src/core/features.ts';
import type { FeatureMatrix } from '../src/core/models/network.ts';
import { fitCalibratedEnsemble, predictEnsemble } from '../training/fit.ts';
import type { BenchSplit, LabelledLead } from './datasets.ts';

export interface ScoredRun {
  probabilities: ArrayLike<number>;
  seconds: number;
}

/**
 * Builds the dataset config leadscore would use for a split: the split's column types and missing
 * tokens, plus the model, feature and calibration settings of the dataset config shipped for
 * that export (`shippedConfig`), when there is one. The split itself always comes from the
 * benchmark, so every model is measured on the same leads.
 */
export function benchConfig(split: BenchSplit, shippedConfig?: DatasetConfig): DatasetConfig {
  const shipped = shippedConfig
    ? {
        model: shippedConfig.model,
        features: shippedConfig.features,
        calibration: shippedConfig.calibration,
        split: { calibrationFraction: shippedConfig.split.calibrationFraction },
      }
    : {};
  return DatasetConfig.parse({
    name: split.name,
    source: '-',
    idColumn: '-',
    labelColumn: '-',
    orderColumn: '-',
    columns: split.columns,
    missingTokens: split.missingTokens,
    ...shipped,
  });
}

/**
 * Fits the feature transform as `trainModel` does: on the leads before the calibration slice,
 * which for an ensemble are the older 80 % of its history.
 */
export function fitSplitPreprocessor(split: BenchSplit, config: DatasetConfig): Preprocessor {
  return fitPreprocessor(
    split.leads.slice(0, calibrationStart(split, config)).map((lead) => lead.record),
    {
      featureColumns: split.featureColumns,
      declaredColumns: config.columns,
      missingTokens: config.missingTokens,
      minCategoryCount: config.features.minCategoryCount,
      maxCategories: config.features.maxCategories,
      clipPercentile: config.features.clipPercentile,
    },
  );
}

function calibrationStart(split: BenchSplit, config: DatasetConfig): number {
  return Math.round(split.testStart * (1 - config.split.calibrationFraction));
}

/** Transforms a split's leads into the feature matrix the networks read. */
export function leadMatrix(preprocessor: Preprocessor, leads: readonly LabelledLead[]): FeatureMatrix {
  return { values: preprocessor.transform(leads.map((lead) => lead.record)), rows: leads.length, columns: preprocessor.featureCount };
}

/**
 * Trains leadscore's calibrated model on a split with one seed and scores its test part. The
 * seconds cover the feature transform, the networks, early stopping and calibration, not reading
 * the files.
 */
export async function runLeadscore(split: BenchSplit, config: DatasetConfig, seed: number): Promise<ScoredRun> {
  const started = performance.now();
  const preprocessor = fitSplitPreprocessor(split, config);
  const history = split.leads.slice(0, split.testStart);
  const ensemble = await fitCalibratedEnsemble(leadMatrix(preprocessor, history), Float32Array.from(history, (lead) => lead.label), {
    settings: { ...config.model, seed },
    calibration: config.calibration,
    calibrationStart: calibrationStart(split, config),
  });
  const probabilities = predictEnsemble(ensemble.members, leadMatrix(preprocessor, split.leads.slice(split.testStart)));
  const seconds = (performance.now() - started) / 1000;
  for (const member of ensemble.members) member.network.dispose();
  return { probabilities, seconds };
}
