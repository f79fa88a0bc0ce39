import { writeFile } from 'node:fs/promises';

import type { Command } from 'commander';

import { readCsvFile } from '../core/csv.ts';
import type { CsvDelimiter } from '../core/import/csv-delimiter.ts';
import type { CsvEncoding } from '../core/import/csv-encoding.ts';
import { formatCsvRecord } from '../core/csv-writer.ts';
import { LeadModel } from '../core/lead-model.ts';
import { InvalidInputError } from '../core/errors.ts';
import { readModelBundle, type ModelManifest } from '../core/model-bundle.ts';
import { scoreTable } from '../core/score-table.ts';
import { DELIMITER_HELP, ENCODING_HELP, parseDelimiterOption, parseEncodingOption } from './csv-input-options.ts';

export interface ScoreCommandOptions {
  model: string;
  data: string;
  out: string;
  reasons: string;
  idColumn?: string;
  /** Overrides encoding detection. */
  encoding?: CsvEncoding;
  /** Overrides delimiter sniffing. */
  delimiter?: CsvDelimiter;
  /** Scores a file that has none of the model's columns instead of rejecting it. */
  force?: boolean;
}

// Rejected rows printed one by one before the rest are only counted.
const PRINTED_REJECTIONS = 20;

/** Scores a CSV export with a model folder and writes the scored CSV; returns the rejected count. */
export async function runScore(options: ScoreCommandOptions): Promise<number> {
  const reasons = Number(options.reasons);
  if (!Number.isInteger(reasons) || reasons < 0 || reasons > 10) {
    throw new Error(`--reasons '${options.reasons}' is invalid; expected a whole number from 0 to 10`);
  }
  const bundle = await readModelBundle(options.model);
  const model = await LeadModel.fromBundle(bundle);
  const table = await readCsvFile(options.data, { encoding: options.encoding, delimiter: options.delimiter });
  checkModelColumns(bundle.manifest, table.header, options);

  const scored = scoreTable(model, table, { idColumn: options.idColumn ?? bundle.manifest.idColumn, reasons });
  model.dispose();
  const text = [scored.header, ...scored.rows].map(formatCsvRecord).join('');
  try {
    await writeFile(options.out, text);
  } catch (error) {
    throw new Error(`--out '${options.out}' could not be written: ${(error as Error).message}; check that its folder exists and is writable`);
  }

  for (const rejection of scored.rejected.slice(0, PRINTED_REJECTIONS)) {
    console.error(`row ${rejection.row}: ${rejection.message}`);
  }
  if (scored.rejected.length > PRINTED_REJECTIONS) {
    console.error(`... and ${scored.rejected.length - PRINTED_REJECTIONS} more invalid rows, each with its problem in the error column`);
  }
  if (reasons > 0 && !scored.reasonsIncluded) {
    console.error(`model ${model.version} has no baseline.json, so the reason columns are empty; retrain it to get reasons`);
  }
  console.log(
    `scored ${scored.scored} of ${table.rows.length} leads with model ${model.version}; ${scored.rejected.length} invalid rows kept with an error; written to ${options.out}`,
  );
  return scored.rejected.length;
}

/**
 * Warns on stderr about model columns absent from the file, which every lead is then scored
 * without. Throws InvalidInputError when all of them are absent unless `options.force` is set,
 * because every lead would then get the same all-missing score.
 */
function checkModelColumns(manifest: ModelManifest, header: readonly string[], options: ScoreCommandOptions): void {
  const absent = manifest.featureColumns.filter((column) => !header.includes(column));
  if (absent.length === 0) return;

  const names = absent.map((column) => `'${column}'`).join(', ');
  const model = `model ${manifest.version} (dataset '${manifest.dataset.name}')`;
  if (absent.length === manifest.featureColumns.length && !options.force) {
    throw new InvalidInputError(
      `${options.data} has none of the ${absent.length} columns that ${model} reads: ${names}. ` +
        `Every lead would get the same all-missing score. Check that the file is an export of '${manifest.dataset.name}', or pass --force to score it anyway`,
    );
  }
  console.error(`warning: ${options.data} lacks ${absent.length} of the ${manifest.featureColumns.length} columns that ${model} reads, so every lead is scored as missing them: ${names}`);
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('score a CSV export of leads and write probability, score, tier and reasons per lead')
    .requiredOption('-m, --model <dir>', 'model folder (models/<version>)')
    .requiredOption('-d, --data <file>', 'CSV export of leads, with the columns the model was trained on')
    .requiredOption('-o, --out <file>', 'scored CSV to write')
    .option('-r, --reasons <count>', 'reasons for and against per lead (0 to 10)', '3')
    .option('--id-column <name>', "column that identifies a lead (default: the model's id column)")
    .option('--encoding <name>', ENCODING_HELP, parseEncodingOption)
    .option('--delimiter <char>', DELIMITER_HELP, parseDelimiterOption)
    .option('--force', "score a file that has none of the model's columns, which gives every lead the same score")
    .action(async (options: ScoreCommandOptions) => {
      const rejected = await runScore(options);
      // Invalid rows are in the file, but a script should still notice them.
      if (rejected > 0) process.exitCode = 2;
    });
}
