import { DatasetConfig } from '../src/core/dataset-config.ts';
import { fitPreprocessor, type Preprocessor } from '../src/core/features.ts';
import { predictNetwork, type FeatureMatrix } from '../src/core/models/network.ts';
import { fitCalibratedEnsemble, predictEnsemble, type CalibratedMember } from '../training/fit.ts';
import { fitMemberCalibrators } from '../training/recalibration-fit.ts';
import type { BenchSplit, LabelledLead } from './datasets.ts';

export interface ScoredRun {
  probabilities: ArrayLike<number>;
  seconds: number;
  /**
   * With `recentOutcomes` set: the probabilities of the test leads after the first
   * `recentOutcomes`, from the networks recalibrated on those first leads.
   */
  recalibrated?: Float64Array;
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
 * the files. With `recentOutcomes`, it also refits each network's calibration on the first
 * `recentOutcomes` test leads, as `leadscore recalibrate` does with Platt scaling, and scores the
 * remaining test leads with it.
 */
export async function runLeadscore(split: BenchSplit, config: DatasetConfig, seed: number, recentOutcomes?: number): Promise<ScoredRun> {
  const started = performance.now();
  const preprocessor = fitSplitPreprocessor(split, config);
  const history = split.leads.slice(0, split.testStart);
  const ensemble = await fitCalibratedEnsemble(leadMatrix(preprocessor, history), Float32Array.from(history, (lead) => lead.label), {
    settings: { ...config.model, seed },
    calibration: config.calibration,
    calibrationStart: calibrationStart(split, config),
  });
  const testLeads = split.leads.slice(split.testStart);
  const probabilities = predictEnsemble(ensemble.members, leadMatrix(preprocessor, testLeads));
  const seconds = (performance.now() - started) / 1000;
  const recalibrated = recentOutcomes === undefined ? undefined : recalibrateOnRecent(ensemble.members, preprocessor, testLeads, recentOutcomes);
  for (const member of ensemble.members) member.network.dispose();
  return { probabilities, seconds, ...(recalibrated ? { recalibrated } : {}) };
}

/** Fits new member calibrations on the first `recent` leads and scores the later ones with them. */
function recalibrateOnRecent(members: readonly CalibratedMember[], preprocessor: Preprocessor, leads: readonly LabelledLead[], recent: number): Float64Array {
  const recentMatrix = leadMatrix(preprocessor, leads.slice(0, recent));
  const raw = members.map((member) => predictNetwork(member.network, recentMatrix));
  const calibrators = fitMemberCalibrators(raw, Float32Array.from(leads.slice(0, recent), (lead) => lead.label), 'platt');
  const recalibrated = members.map((member, index) => ({ network: member.network, calibrator: calibrators[index]! }));
  return predictEnsemble(recalibrated, leadMatrix(preprocessor, leads.slice(recent)));
}
