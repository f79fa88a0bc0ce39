import { InvalidArgumentError, type Command } from 'commander';

import { loadServerConfig } from '../config.ts';

import { formatImportSummary } from '../core/import/import-report.ts';
import type { ClassificationMetrics } from '../core/metrics.ts';
import { createImportProgressPrinter } from '../../training/import-progress.ts';
import { createEpochPrinter, formatMetrics } from '../../training/progress.ts';
import { retrainModel, type RetrainResult } from '../../training/retrain.ts';

export interface RetrainCommandOptions {
  config: string;
  out: string;
  source?: string;
  force?: boolean;
  aucMargin?: number;
  logLossMargin?: number;
}

function formatHeldOutMetrics(name: string, metrics: ClassificationMetrics | null): string {
  if (!metrics) return `  ${name.padEnd(10)} none`;
  const values = [`AUC ${metrics.auc.toFixed(4)}`, `log loss ${metrics.logLoss.toFixed(4)}`, `Brier ${metrics.brier.toFixed(4)}`, `ECE ${metrics.ece.toFixed(4)}`];
  return `  ${name.padEnd(10)} ${values.join('  ')}`;
}

/** Retrains from a new export, compares with the active model and prints the decision. */
export async function runRetrain(options: RetrainCommandOptions): Promise<RetrainResult> {
  const result = await retrainModel({
    configPath: options.config,
    modelsDir: options.out,
    sourceOverride: options.source,
    force: options.force ?? false,
    aucMargin: options.aucMargin,
    logLossMargin: options.logLossMargin,
    onImportProgress: createImportProgressPrinter(),
    onEpoch: createEpochPrinter(),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');

  const { decision } = result;
  console.log(formatImportSummary(result.training.importReport));
  console.log(formatMetrics(result.training.metrics));
  console.log(`held-out leads: ${decision.heldOut.rows} (won ${decision.heldOut.wins}), from ${decision.heldOut.cutoff} on`);
  console.log(formatHeldOutMetrics('challenger', decision.metrics.challenger));
  console.log(formatHeldOutMetrics('active', decision.metrics.active));
  const verdict = decision.promoted ? `promoted ${decision.challenger}` : `kept ${decision.active}`;
  console.log(`${verdict}: ${decision.reason}`);
  return result;
}

/**
 * Parses a promotion margin option, in the units of its metric (AUC or log loss). Throws
 * InvalidArgumentError unless the value is a finite number of at least 0, and commander prefixes
 * that message with the option name and the value.
 */
export function parseMargin(value: string): number {
  const margin = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(margin) || margin < 0) {
    throw new InvalidArgumentError('A margin must be a finite number of at least 0, such as 0.005.');
  }
  return margin;
}

export function registerRetrainCommand(program: Command): void {
  program
    .command('retrain')
    .description('train a challenger on a new export and promote it only if it is not worse than the active model')
    .requiredOption('-c, --config <file>', 'dataset config (JSON) naming the export, label and columns')
    .option('-o, --out <dir>', 'models folder with the active model and registry.json (default: MODELS_DIR, else "models")')
    .option('-s, --source <file>', "export to read in place of the config's source")
    .option('--force', 'train even below the minimum data; the low-confidence challenger is not promoted over an active model')
    .option('--auc-margin <number>', 'how much lower the challenger AUC may be (default: config promotion.aucMargin)', parseMargin)
    .option('--log-loss-margin <number>', 'how much higher the challenger log loss may be (default: config promotion.logLossMargin)', parseMargin)
    .action(async (options: Omit<RetrainCommandOptions, 'out'> & { out?: string }) => {
      await runRetrain({ ...options, out: options.out ?? loadServerConfig().MODELS_DIR });
    });
}
