import type { Command } from 'commander';

import { loadServerConfig } from '../config.ts';
import { startServer } from '../server.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the scoring API on HOST:PORT (default 127.0.0.1:3000)')
    .option('-m, --model <dir>', 'model folder to serve (default: the active model in MODELS_DIR)')
    .option('-r, --rules <file>', 'rules file whose scores are returned beside the model\'s (default: RULES_FILE)')
    .action(async (options: { model?: string; rules?: string }) => {
      const config = loadServerConfig();
      await startServer(config, { ...(options.model ? { modelDir: options.model } : {}), ...(options.rules ? { rulesFile: options.rules } : {}) });
    });
}
