import type { Command } from 'commander';

import { loadServerConfig } from '../config.ts';
import { findActiveModelDir } from '../core/model-registry.ts';
import { loadRulesFile } from '../core/rules/rules-file.ts';
import { startServer } from '../server.ts';
import { runTrain } from './train-command.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('train on DATASET_CONFIG when no model is active yet, then serve the API')
    .option('-r, --rules <file>', 'rules file whose scores are returned beside the model\'s (default: RULES_FILE)')
    .action(async (options: { rules?: string }) => {
      const config = loadServerConfig();
      const rulesFile = options.rules ?? config.RULES_FILE;
      // Checks the rules file before a possibly long training run.
      if (rulesFile) await loadRulesFile(rulesFile);
      const activeDir = config.MODEL_DIR ?? (await findActiveModelDir(config.MODELS_DIR));
      if (activeDir) {
        console.log(`serving the trained model in ${activeDir}`);
      } else {
        console.log(`no trained model in ${config.MODELS_DIR}; training on ${config.DATASET_CONFIG} first`);
        await runTrain({ config: config.DATASET_CONFIG, out: config.MODELS_DIR, activate: true });
      }
      await startServer(config, options.rules ? { rulesFile: options.rules } : {});
    });
}
