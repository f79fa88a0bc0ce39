import type { Command } from 'commander';

import { loadServerConfig } from '../config.ts';
import { findActiveModelDir } from '../core/model-registry.ts';
import { startServer } from '../server.ts';
import { runTrain } from './train-command.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('train on DATASET_CONFIG when no model is active yet, then serve the API')
    .action(async () => {
      const config = loadServerConfig();
      const activeDir = config.MODEL_DIR ?? (await findActiveModelDir(config.MODELS_DIR));
      if (activeDir) {
        console.log(`serving the trained model in ${activeDir}`);
      } else {
        console.log(`no trained model in ${config.MODELS_DIR}; training on ${config.DATASET_CONFIG} first`);
        await runTrain({ config: config.DATASET_CONFIG, out: config.MODELS_DIR, activate: true });
      }
      await startServer(config);
    });
}
