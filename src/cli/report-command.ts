import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';

import { columnsRead } from '../core/rules/compile-rules.ts';
import { buildCalibrationReport, type CalibrationReport, type CalibrationReportInputs } from '../report/calibration-report.ts';
import { renderReportHtml } from '../report/html-page.ts';
import { loadReportInputs } from '../report/load-report-inputs.ts';
import { renderReportMarkdown } from '../report/markdown-summary.ts';
import { parseCapacities } from '../report/ranking.ts';

/** Options of `leadscore report calibration`. */
export interface CalibrationReportOptions {
  model: string;
  rules: string;
  config: string;
  out: string;
  capacity: string;
  bandWidth: string;
  seed: string;
}

/** Files the calibration report writes into its output folder. */
export const REPORT_FILES = { html: 'calibration-report.html', json: 'calibration-report.json', markdown: 'calibration-report.md' } as const;

/** Builds the calibration report and writes its HTML page, JSON numbers and Markdown summary. */
export async function runCalibrationReport(options: CalibrationReportOptions): Promise<CalibrationReport> {
  const bandWidth = parsePositiveNumber('--band-width', options.bandWidth);
  const seed = parsePositiveNumber('--seed', options.seed);
  const inputs = await loadReportInputs({
    modelDir: options.model,
    rulesPath: options.rules,
    configPath: options.config,
    capacities: parseCapacities(options.capacity),
    bandWidth,
    seed,
  });
  warnAboutAbsentRuleColumns(inputs, options);
  const report = buildCalibrationReport(inputs);

  await mkdir(options.out, { recursive: true });
  await writeFile(path.join(options.out, REPORT_FILES.html), renderReportHtml(report));
  // JSON has no NaN: empty bins and bands come out as null.
  await writeFile(path.join(options.out, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(options.out, REPORT_FILES.markdown), renderReportMarkdown(report));
  return report;
}

/**
 * Warns on stderr when the rules read columns the dataset's leads lack, which usually means the
 * rules file was written for another dataset and its score will not rank these leads.
 */
function warnAboutAbsentRuleColumns(inputs: CalibrationReportInputs, options: CalibrationReportOptions): void {
  const absent = inputs.rulesColumnsAbsent ?? [];
  if (absent.length === 0) return;

  const read = columnsRead(inputs.rules).length;
  console.error(
    `warning: ${options.rules} reads ${absent.length} of its ${read} columns from leads that dataset '${inputs.datasetName}' ` +
      `does not provide (absent from ${options.config}'s export or excluded by it), so the rules treat them as missing on every lead: ` +
      `${absent.map((column) => `'${column}'`).join(', ')}. Check that the rules file was written for '${inputs.datasetName}'`,
  );
}

function parsePositiveNumber(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${option} ${JSON.stringify(text)} is invalid; expected a number above 0`);
  return value;
}

/** Registers `leadscore report calibration` and returns the `report` command for other reports. */
export function registerReportCommand(program: Command): Command {
  const report = program.command('report').description('write reports about a trained model and how it compares with other ways of scoring');
  report
    .command('calibration')
    .description('compare the model with a rules file on the held-out test leads: calibration, ranking, capacity, suggested points')
    .requiredOption('-m, --model <dir>', 'model folder, e.g. models/<version>')
    .requiredOption('-r, --rules <file>', 'rules file (JSON), e.g. data/rules/x-education.rules.json')
    .requiredOption('-c, --config <file>', 'dataset config the model was trained with')
    .option('-o, --out <dir>', 'folder for the HTML page, JSON numbers and Markdown summary', 'reports/calibration')
    .option('--capacity <list>', 'capacities for the capacity table: percentages of leads or numbers of leads', '5%,10%,20%,250')
    .option('--band-width <points>', 'width of the rule-score bands, in points', '10')
    .option('--seed <number>', 'seed for breaking ties between equal scores', '42')
    .action(async (options: CalibrationReportOptions) => {
      const result = await runCalibrationReport(options);
      console.log(`model AUC ${result.model.rankingAuc.toFixed(3)} ECE ${result.model.metrics.ece.toFixed(3)}; rules AUC ${result.rules.rankingAuc.toFixed(3)} ECE ${result.rules.metrics.ece.toFixed(3)}`);
      console.log(`report written to ${path.join(options.out, REPORT_FILES.html)}, ${REPORT_FILES.json} and ${REPORT_FILES.markdown}`);
    });
  return report;
}
