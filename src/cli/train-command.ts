import type { Command } from 'commander';

import { loadServerConfig } from '../config.ts';

import { formatImportSummary } from '../core/import/import-report.ts';
import { setActiveVersion } from '../core/model-registry.ts';
import { createImportProgressPrinter } from '../../training/import-progress.ts';
import { createEpochPrinter, formatMetrics } from '../../training/progress.ts';
import { trainModel, type TrainResult } from '../../training/train.ts';

export interface TrainCommandOptions {
  config: string;
  out: string;
  activate: boolean;
  source?: string;
  force?: boolean;
}

/** Trains from a dataset config, prints progress and the result, and activates the new model. */
export async function runTrain(options: TrainCommandOptions): Promise<TrainResult> {
  const result = await trainModel({
    configPath: options.config,
    modelsDir: options.out,
    sourceOverride: options.source,
    force: options.force ?? false,
    onImportProgress: createImportProgressPrinter(),
    onEpoch: createEpochPrinter(),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');

  console.log(formatImportSummary(result.importReport));
  console.log(`model ${result.version} written to ${result.dir}`);
  console.log(formatMetrics(result.metrics));
  if (options.activate) {
    await setActiveVersion(options.out, result.version);
    console.log(`model ${result.version} is now active`);
  }
  return result;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train a model from a dataset config and write it to the models folder')
    .requiredOption('-c, --config <file>', 'dataset config (JSON) naming the export, label and columns (required)')
    .option('-o, --out <dir>', 'models folder that receives <version>/ (default: MODELS_DIR, else "models")')
    .option('-s, --source <file>', "export to read in place of the config's source (for large files kept outside data/)")
    .option('--force', 'train even below the minimum number of labelled leads and wins; marks the model low-confidence')
    .option('--no-activate', 'write the model without making it the active one')
    .action(async (options: Omit<TrainCommandOptions, 'out'> & { out?: string }) => {
      await runTrain({ ...options, out: options.out ?? loadServerConfig().MODELS_DIR });
    });
}
