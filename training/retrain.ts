import { DatasetConfigError, InvalidInputError } from '../src/core/errors.ts';
import { LeadModel } from '../src/core/lead-model.ts';
import { classificationMetrics, type ClassificationMetrics } from '../src/core/metrics.ts';
import { readModelBundle } from '../src/core/model-bundle.ts';
import { findActiveModelDir, listModels, setActiveVersion } from '../src/core/model-registry.ts';
import { appendRetrainDecision, readRetrainRegistry, type RetrainDecision } from '../src/core/retrain-registry.ts';
import { loadDatasetConfig } from '../src/core/dataset-config.ts';
import { recordsForRows } from './lead-table.ts';
import { trainModel, type HeldOutLeads, type TrainOptions, type TrainResult } from './train.ts';

export interface RetrainOptions extends TrainOptions {
  /** Overrides the config's promotion.aucMargin. */
  aucMargin?: number | undefined;
  /** Overrides the config's promotion.logLossMargin. */
  logLossMargin?: number | undefined;
}

export interface RetrainResult {
  training: TrainResult;
  decision: RetrainDecision;
}

const SCORE_BATCH = 20_000;

/**
 * Trains a challenger on a new export and scores it and the active model on the same held-out
 * leads, the most recent of the export. The challenger is promoted unless its AUC or log loss is
 * worse by more than the margins, and the decision is appended to models/registry.json.
 * The active model may have been trained on some of the held-out leads, which favours it; the
 * comparison therefore errs towards keeping the active model.
 */
export async function retrainModel(options: RetrainOptions): Promise<RetrainResult> {
  const { config } = await loadDatasetConfig(options.configPath, { sourceOverride: options.sourceOverride });
  const margins = {
    auc: options.aucMargin ?? config.promotion.aucMargin,
    logLoss: options.logLossMargin ?? config.promotion.logLossMargin,
  };
  assertValidMargin('aucMargin', margins.auc);
  assertValidMargin('logLossMargin', margins.logLoss);
  const activeDir = await findActiveModelDir(options.modelsDir);
  if (activeDir) await assertSameDataset(options.modelsDir, config.name, options.configPath);
  // Fails before any training when registry.json is damaged, rather than after the model is written.
  await readRetrainRegistry(options.modelsDir);

  const training = await trainModel(options);
  const active = activeDir ? await scoreActiveModel(activeDir, training.heldOut) : undefined;
  const challengerMetrics = training.metrics.test;
  const verdict = decidePromotion(challengerMetrics, active?.metrics, margins, training.metrics.lowConfidence);

  const decision: RetrainDecision = {
    decidedAt: (options.now?.() ?? new Date()).toISOString(),
    challenger: training.version,
    active: active?.version ?? null,
    promoted: verdict.promoted,
    reason: verdict.reason,
    heldOut: { rows: challengerMetrics.rows, wins: challengerMetrics.positives, cutoff: training.heldOut.cutoff },
    margins,
    metrics: { challenger: challengerMetrics, active: active?.metrics ?? null },
  };
  if (decision.promoted) await setActiveVersion(options.modelsDir, training.version);
  await appendRetrainDecision(options.modelsDir, decision);
  return { training, decision };
}

function assertValidMargin(name: string, margin: number): void {
  if (Number.isFinite(margin) && margin >= 0) return;
  throw new InvalidInputError(`${name} ${margin} is invalid: a margin must be a finite number of at least 0`);
}

/**
 * Throws DatasetConfigError when the active model in `modelsDir` was trained on another dataset
 * than `datasetName`. Its columns would not match the new export, so its held-out AUC would be
 * meaningless and the challenger would replace a model of another dataset.
 */
async function assertSameDataset(modelsDir: string, datasetName: string, configPath: string): Promise<void> {
  const models = await listModels(modelsDir);
  const active = models.find((model) => model.active);
  if (!active || active.manifest.dataset.name === datasetName) return;

  const sameDataset = models.filter((model) => model.manifest.dataset.name === datasetName).map((model) => model.version);
  const train = `run 'leadscore train --config ${configPath}' to train and activate a model of '${datasetName}'`;
  const fix = sameDataset.length > 0
    ? `Activate one of its models (${sameDataset.join(', ')}) with POST /v1/models/<version>/activate and retrain, or ${train}`
    : `No model of '${datasetName}' is in '${modelsDir}' yet, so ${train}`;
  throw new DatasetConfigError(
    `the active model ${active.version} was trained on dataset '${active.manifest.dataset.name}', but '${configPath}' ` +
      `is for dataset '${datasetName}', and retrain compares models of one dataset only. ${fix}`,
  );
}

async function scoreActiveModel(dir: string, heldOut: HeldOutLeads): Promise<{ version: string; metrics: ClassificationMetrics }> {
  const model = await LeadModel.fromBundle(await readModelBundle(dir));
  try {
    const probabilities = new Float64Array(heldOut.rows.length);
    for (let start = 0; start < heldOut.rows.length; start += SCORE_BATCH) {
      const end = Math.min(heldOut.rows.length, start + SCORE_BATCH);
      probabilities.set(model.predictProba(recordsForRows(heldOut.table, heldOut.rows, start, end)), start);
    }
    return { version: model.version, metrics: classificationMetrics(heldOut.labels, probabilities) };
  } finally {
    model.dispose();
  }
}

/**
 * Decides whether a challenger replaces the active model: promoted when there is no active model,
 * or when its AUC is at most `margins.auc` below and its log loss at most `margins.logLoss` above
 * the active model's on the same leads. A challenger forced below the minimum data never
 * replaces an active model.
 */
export function decidePromotion(
  challenger: ClassificationMetrics,
  active: ClassificationMetrics | undefined,
  margins: { auc: number; logLoss: number },
  lowConfidence?: string,
): { promoted: boolean; reason: string } {
  if (!active) return { promoted: true, reason: 'no active model to compare with' };
  if (lowConfidence) return { promoted: false, reason: `the challenger is low-confidence (${lowConfidence})` };

  const auc = `AUC ${challenger.auc.toFixed(4)} vs ${active.auc.toFixed(4)}`;
  const logLoss = `log loss ${challenger.logLoss.toFixed(4)} vs ${active.logLoss.toFixed(4)}`;
  const failures: string[] = [];
  if (challenger.auc < active.auc - margins.auc) failures.push(`${auc} is lower by more than ${margins.auc}`);
  if (challenger.logLoss > active.logLoss + margins.logLoss) failures.push(`${logLoss} is higher by more than ${margins.logLoss}`);
  if (failures.length > 0) return { promoted: false, reason: `the challenger is worse: ${failures.join('; ')}` };
  return { promoted: true, reason: `the challenger is not worse: ${auc}, ${logLoss} (margins ${margins.auc} and ${margins.logLoss})` };
}
