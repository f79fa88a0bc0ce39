import { InvalidArgumentError, type Command } from 'commander';

import { loadServerConfig } from '../config.ts';

import { formatImportSummary } from '../core/import/import-report.ts';
import type { CalibrationComparison, CalibrationMetrics } from '../core/recalibration-record.ts';
import { createImportProgressPrinter } from '../../training/import-progress.ts';
import { recalibrateModel, type RecalibrateResult } from '../../training/recalibrate.ts';
import { MINIMUM_OUTCOMES, type RecalibrationMethod } from '../../training/recalibration-fit.ts';

export interface RecalibrateCommandOptions {
  config: string;
  outcomes: string;
  out: string;
  model?: string;
  method?: RecalibrationMethod;
  activate?: boolean;
  force?: boolean;
}

function formatMetrics(metrics: CalibrationMetrics): string {
  return [
    `ECE ${metrics.ece.toFixed(4)}`,
    `Brier ${metrics.brier.toFixed(4)}`,
    `log loss ${metrics.logLoss.toFixed(4)}`,
    `AUC ${metrics.auc.toFixed(4)}`,
    `mean p ${metrics.meanProbability.toFixed(3)} / won rate ${metrics.positiveRate.toFixed(3)}`,
  ].join('  ');
}

function formatComparison(comparison: CalibrationComparison): string[] {
  return [`    before ${formatMetrics(comparison.before)}`, `    after  ${formatMetrics(comparison.after)}`];
}

/** Formats the result of a recalibration for the terminal: outcomes, metrics before and after, the new version. */
export function formatRecalibrationSummary(result: RecalibrateResult): string {
  const { record } = result;
  const { outcomes, order } = record;
  const lines = [
    `recalibrated ${record.sourceVersion} with ${record.method} on ${outcomes.leads} closed leads ` +
      `(won ${outcomes.wins}, lost ${outcomes.losses}; ${outcomes.rejected} rows rejected, ${outcomes.censored} censored), ` +
      `${order.by} ${order.first} to ${order.last}`,
  ];
  if ('skipped' in record.heldOut) {
    lines.push(`  held-out check skipped: ${record.heldOut.skipped}`);
  } else {
    const heldOut = record.heldOut;
    lines.push(
      `  held out: fitted on the older ${heldOut.fitLeads} leads, measured on the newest ${heldOut.after.rows} ` +
        `(from ${heldOut.from}, won ${(heldOut.after.positiveRate * 100).toFixed(1)} %)`,
      ...formatComparison(heldOut),
    );
  }
  lines.push(
    `  in sample: fitted and measured on all ${outcomes.leads} leads, so "after" is optimistic`,
    ...formatComparison(record.inSample),
    `model ${result.version} written to ${result.dir}`,
    result.activated ? `model ${result.version} is now active` : `not activated; activate it with --activate or POST /v1/models/${result.version}/activate`,
  );
  if (record.lowConfidence) lines.push(`LOW CONFIDENCE: recalibrated with --force on ${record.lowConfidence}`);
  return lines.join('\n');
}

/** Recalibrates a model on an export of recently closed leads and prints the summary. */
export async function runRecalibrate(options: RecalibrateCommandOptions): Promise<RecalibrateResult> {
  const result = await recalibrateModel({
    configPath: options.config,
    outcomesPath: options.outcomes,
    modelsDir: options.out,
    sourceVersion: options.model,
    method: options.method,
    activate: options.activate ?? false,
    force: options.force ?? false,
    onImportProgress: createImportProgressPrinter(),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');

  console.log(formatImportSummary(result.importReport));
  for (const warning of result.warnings) console.error(`warning: ${warning}`);
  console.log(formatRecalibrationSummary(result));
  return result;
}

/** Parses --method for commander, which prefixes the error with the option and the value. */
export function parseMethod(value: string): RecalibrationMethod {
  if (value === 'platt' || value === 'isotonic') return value;
  throw new InvalidArgumentError('Expected platt or isotonic.');
}

export function registerRecalibrateCommand(program: Command): void {
  program
    .command('recalibrate')
    .description('refit a model\'s calibration on recently closed leads and write it as a new version with the same networks')
    .requiredOption('-c, --config <file>', 'dataset config (JSON) of the model: label, leakage columns, encodings')
    .requiredOption('--outcomes <file>', 'CSV export of recently closed leads, in the layout the config describes')
    .option('-m, --model <version>', 'model version in the models folder to recalibrate (default: the active model)')
    .option('--method <name>', 'calibration to fit: platt or isotonic (default: platt)', parseMethod)
    .option('-o, --out <dir>', 'models folder with the source model, which receives the new version (default: MODELS_DIR, else "models")')
    .option(
      '--force',
      `fit even below ${MINIMUM_OUTCOMES.leads} closed leads, ${MINIMUM_OUTCOMES.wins} wins or ${MINIMUM_OUTCOMES.losses} losses; marks the model low-confidence`,
    )
    .option('--activate', 'make the new version the active model')
    .action(async (options: Omit<RecalibrateCommandOptions, 'out'> & { out?: string }) => {
      await runRecalibrate({ ...options, out: options.out ?? loadServerConfig().MODELS_DIR });
    });
}
