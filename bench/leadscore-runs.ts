import { DatasetConfig } from '../src/core/dataset-config.ts';
import { fitPreprocessor, type Preprocessor } from '../src/core/features.ts';
import { fitCalibratedEnsemble, leadMatrix, predictEnsemble } from '../training/fit.ts';
import type { BenchSplit } from './datasets.ts';

export interface ScoredRun {
  probabilities: ArrayLike<number>;
  seconds: number;
}

/** Builds the dataset config leadscore would use for a split: defaults plus its column types. */
export function benchConfig(split: BenchSplit): DatasetConfig {
  return DatasetConfig.parse({
    name: split.name,
    source: '-',
    idColumn: '-',
    labelColumn: '-',
    orderColumn: '-',
    columns: split.columns,
    missingTokens: split.missingTokens,
  });
}

/** Fits the feature transform on every lead before the test part, as `trainModel` does. */
export function fitSplitPreprocessor(split: BenchSplit, config: DatasetConfig): Preprocessor {
  return fitPreprocessor(
    split.leads.slice(0, split.testStart).map((lead) => lead.record),
    {
      featureColumns: split.featureColumns,
      declaredColumns: config.columns,
      missingTokens: config.missingTokens,
      minCategoryCount: config.features.minCategoryCount,
      maxCategories: config.features.maxCategories,
    },
  );
}

/**
 * Trains leadscore's calibrated model on a split with one seed and scores its test part. The
 * seconds cover the feature transform, the networks, early stopping and calibration, not reading
 * the files.
 */
export async function runLeadscore(split: BenchSplit, config: DatasetConfig, seed: number): Promise<ScoredRun> {
  const started = performance.now();
  const preprocessor = fitSplitPreprocessor(split, config);
  const ensemble = await fitCalibratedEnsemble(split.leads.slice(0, split.testStart), {
    preprocessor,
    settings: { ...config.model, seed },
    calibration: config.calibration,
    calibrationFraction: config.split.calibrationFraction,
  });
  const probabilities = predictEnsemble(ensemble.members, leadMatrix(preprocessor, split.leads.slice(split.testStart)));
  const seconds = (performance.now() - started) / 1000;
  for (const member of ensemble.members) member.network.dispose();
  return { probabilities, seconds };
}
