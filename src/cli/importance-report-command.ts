import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { Command } from 'commander';

import { renderImportanceHtml } from '../report/importance-html.ts';
import { buildImportanceReport, ruleScoreFromFile } from '../report/importance-report.ts';

export interface ImportanceCommandOptions {
  model: string;
  config: string;
  out?: string;
  rules?: string;
  repeats: string;
  seed: string;
  /** The row limit the model was trained with; tests train on part of the export. */
  limitRows?: number;
}

/** Builds the importance report and writes importance.html and importance.json; returns their paths. */
export async function runImportanceReport(options: ImportanceCommandOptions): Promise<{ html: string; json: string }> {
  const repeats = parseWhole('--repeats', options.repeats, 1, 100);
  const seed = parseWhole('--seed', options.seed, 0, 2 ** 32 - 1);
  const ruleScore = options.rules ? await ruleScoreFromFile(options.rules) : undefined;
  const report = await buildImportanceReport({
    modelDir: options.model,
    configPath: options.config,
    repeats,
    seed,
    limitRows: options.limitRows,
    ...(ruleScore ? { ruleScore } : {}),
  });

  const outDir = options.out ?? path.join(options.model, 'reports');
  await mkdir(outDir, { recursive: true });
  const html = path.join(outDir, 'importance.html');
  const json = path.join(outDir, 'importance.json');
  await writeFile(html, renderImportanceHtml(report));
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  return { html, json };
}

function parseWhole(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${option} '${text}' is invalid; expected a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Builds `leadscore report importance`, to be added under the `report` command. */
export function importanceReportCommand(): Command {
  return new Command('importance')
    .description('measure which export columns drive a model on its held-out leads; writes importance.html and importance.json')
    .requiredOption('-m, --model <dir>', 'model folder (models/<version>)')
    .requiredOption('-c, --config <file>', 'dataset config the model was trained with')
    .option('-o, --out <dir>', 'folder for the report files (default: <model>/reports)')
    .option('-r, --rules <file>', 'rules file (JSON) whose score inputs are measured beside the model, e.g. data/rules/x-education.rules.json')
    .option('--repeats <count>', 'shuffles per column for permutation importance', '5')
    .option('--seed <number>', 'seed of the shuffles', '42')
    .action(async (options: ImportanceCommandOptions) => {
      const written = await runImportanceReport(options);
      console.log(`importance report written to ${written.html} and ${written.json}`);
    });
}
