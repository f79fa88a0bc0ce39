import { readFileSync } from 'node:fs';

import { Command } from 'commander';

import { registerRecalibrateCommand } from './recalibrate-command.ts';
import { registerReportCommand } from './report-command.ts';
import { importanceReportCommand } from './importance-report-command.ts';
import { registerRetrainCommand } from './retrain-command.ts';
import { registerRulesCommand } from './rules-command.ts';
import { registerScoreCommand } from './score-command.ts';
import { registerKeysCommand } from './keys-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerStartCommand } from './start-command.ts';
import { registerTrainCommand } from './train-command.ts';

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

const program = new Command()
  .name('leadscore')
  .description('Predictive lead scoring: train on closed deals, serve calibrated close probabilities')
  .version(packageVersion(), '-V, --version', 'print the leadscore version')
  .showHelpAfterError();

registerTrainCommand(program);
registerRetrainCommand(program);
registerRecalibrateCommand(program);
registerServeCommand(program);
registerStartCommand(program);
registerRulesCommand(program);
registerReportCommand(program).addCommand(importanceReportCommand());
registerScoreCommand(program);
registerKeysCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Expected failures (a bad config, a missing model) carry a message written for the user.
  console.error(`leadscore: ${(error as Error).message}`);
  process.exitCode = 1;
}
