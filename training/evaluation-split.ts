import { loadDatasetConfig } from '../src/core/dataset-config.ts';
import { DatasetConfigError } from '../src/core/errors.ts';
import { validateLead } from '../src/core/lead-validation.ts';
import type { ModelManifest, ModelMetrics } from '../src/core/model-bundle.ts';
import type { PreprocessorState } from '../src/core/features.ts';
import { loadLabelledLeads, type LabelledLead } from './dataset.ts';
import { splitOutOfTime, type TimeSplit } from './split.ts';

export interface EvaluationSplitOptions {
  configPath: string;
  manifest: ModelManifest;
  metrics: ModelMetrics;
  preprocessing: PreprocessorState;
  /** The row limit the model was trained with, if any; the split must match training's. */
  limitRows?: number;
}

/**
 * Rebuilds the out-of-time split a model was trained on, from its dataset config, and keeps the
 * leads whose values the model accepts (as training did). Throws DatasetConfigError when the
 * config names another dataset or other feature columns than the model, or when the rebuilt test
 * part differs from the one in the model's metrics (the export or the split settings changed).
 */
export async function loadEvaluationSplit(options: EvaluationSplitOptions): Promise<TimeSplit> {
  const loaded = await loadDatasetConfig(options.configPath);
  const { config } = loaded;
  const { manifest } = options;
  if (config.name !== manifest.dataset.name) {
    throw new DatasetConfigError(
      `dataset config '${options.configPath}' is for dataset '${config.name}', but model ${manifest.version} was trained on '${manifest.dataset.name}'; pass that dataset's config`,
    );
  }
  const dataset = await loadLabelledLeads(loaded, options.limitRows);
  if (dataset.featureColumns.join('\u0000') !== manifest.featureColumns.join('\u0000')) {
    throw new DatasetConfigError(
      `dataset config '${options.configPath}' yields feature columns [${dataset.featureColumns.join(', ')}], but model ${manifest.version} reads [${manifest.featureColumns.join(', ')}]`,
    );
  }

  const split = splitOutOfTime(dataset.leads, config.split.testFraction, config.split.calibrationFraction);
  const accepted = (part: LabelledLead[]) =>
    part.filter((lead) => validateLead(lead.record, options.preprocessing.columns, config.missingTokens).length === 0);
  const rebuilt = { train: accepted(split.train), calibration: accepted(split.calibration), test: accepted(split.test) };

  const firstTestValue = rebuilt.test[0]?.record[config.orderColumn]?.toString() ?? '';
  if (rebuilt.test.length !== options.metrics.test.rows || firstTestValue !== options.metrics.split.firstTestValue) {
    throw new DatasetConfigError(
      `the test part rebuilt from '${options.configPath}' has ${rebuilt.test.length} leads from ${config.orderColumn} ${firstTestValue}, but model ${manifest.version} was tested on ${options.metrics.test.rows} leads from ${options.metrics.split.firstTestValue}; the export or the split settings changed since training`,
    );
  }
  return rebuilt;
}
