import type { EpochProgress } from '../src/core/models/network.ts';
import type { ModelMetrics } from '../src/core/model-bundle.ts';

/**
 * Returns an epoch callback that prints training progress to `stream`: a bar redrawn in place on
 * a terminal, one line per epoch otherwise (logs, CI).
 */
export function createEpochPrinter(stream: NodeJS.WriteStream = process.stderr): (progress: EpochProgress) => void {
  return (progress) => {
    const text = `epoch ${String(progress.epoch).padStart(3)}/${progress.epochs}  loss ${progress.loss.toFixed(4)}  validation loss ${progress.validationLoss.toFixed(4)}`;
    if (stream.isTTY) {
      const width = 20;
      const filled = Math.round((progress.epoch / progress.epochs) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
    } else {
      stream.write(`${text}\n`);
    }
  };
}

/** Formats test metrics as aligned lines for the end of a training run. */
export function formatMetrics(metrics: ModelMetrics): string {
  const test = metrics.test;
  const networks = metrics.networks ?? 1;
  const sizes =
    networks === 1
      ? `training leads ${metrics.trainRows}, calibration leads ${metrics.calibrationSlice.rows}`
      : `${networks} networks over ${metrics.calibrationSlice.rows} earlier leads, each trained on about ${metrics.trainRows} and calibrated on the rest`;
  const lines = [
    `test leads ${test.rows} (won ${test.positives}, ${(test.positiveRate * 100).toFixed(1)} %), ${sizes}`,
    `AUC ${test.auc.toFixed(4)}  PR-AUC ${test.prAuc.toFixed(4)}  Brier ${test.brier.toFixed(4)}  ECE ${test.ece.toFixed(4)}  log loss ${test.logLoss.toFixed(4)}`,
    `out-of-time split by ${metrics.split.orderColumn}: test leads from ${metrics.split.cutoff ?? metrics.split.firstTestValue}`,
  ];
  if (metrics.lowConfidence) lines.push(`LOW CONFIDENCE: trained with --force on ${metrics.lowConfidence}`);
  return lines.join('\n');
}
