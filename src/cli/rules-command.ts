import { writeFile } from 'node:fs/promises';

import type { Command } from 'commander';

import { fieldCountProblem, readCsvFile, rowToRecord } from '../core/csv.ts';
import type { CsvDelimiter } from '../core/import/csv-delimiter.ts';
import type { CsvEncoding } from '../core/import/csv-encoding.ts';
import { groupActivities, parseDateTime, type RowProblem } from '../core/rules/activity-records.ts';
import { columnsRead } from '../core/rules/compile-rules.ts';
import { loadRulesFile } from '../core/rules/rules-file.ts';
import { LeadValueError, scoreLead, type RuleScore } from '../core/rules/score-lead.ts';
import { DELIMITER_HELP, ENCODING_HELP, parseDelimiterOption, parseEncodingOption } from './csv-input-options.ts';
import { formatCsv } from './csv-output.ts';

/** Options of `leadscore rules score`. */
export interface RulesScoreOptions {
  rules: string;
  data: string;
  out?: string;
  activities?: string;
  idColumn?: string;
  asOf?: string;
  /** Overrides encoding detection for --data and --activities. */
  encoding?: CsvEncoding;
  /** Overrides delimiter sniffing for --data and --activities. */
  delimiter?: CsvDelimiter;
}

/** Result of scoring a CSV: the output rows and every row that could not be scored. */
export interface RulesScoreResult {
  scored: number;
  problems: RowProblem[];
  csv: string;
}

/** Score columns appended to each output row, then the row's problem, if any. */
const SCORE_COLUMNS = ['rule_score', 'rule_fit', 'rule_engagement', 'rules_fired', 'error'];

/**
 * Scores every row of a CSV with a rules file and returns the rows with the score columns added.
 * A row that cannot be scored (a wrong field count, a count column with text) stays in place with
 * empty scores and its problem in the `error` column, and is listed in `problems` with its row
 * number. A row with fewer fields than the header is padded with empty cells. A row with more keeps
 * only as many cells as the header has, and its error gives the field count it had. Activity rows
 * that cannot be read (a bad date) are listed in `problems` and not counted.
 */
export async function scoreCsvWithRules(options: RulesScoreOptions): Promise<RulesScoreResult> {
  const rules = await loadRulesFile(options.rules);
  const table = await readCsvFile(options.data, { encoding: options.encoding, delimiter: options.delimiter });
  const absent = columnsRead(rules).filter((column) => !table.header.includes(column));
  if (absent.length > 0) {
    throw new Error(`${options.data}: missing column(s) ${absent.map((column) => `'${column}'`).join(', ')} read by ${options.rules}; check that the rules file matches this export`);
  }

  const asOf = options.asOf === undefined ? new Date() : parseDateTime(options.asOf);
  if (asOf === undefined) throw new Error(`--as-of ${JSON.stringify(options.asOf)} is not a date; expected ISO 8601 such as 2024-06-30`);
  const activities = await readActivities(options, table.header);

  const problems: RowProblem[] = [...activities.problems];
  const output: string[][] = [];
  let scored = 0;
  table.rows.forEach((row, index) => {
    const rowNumber = table.rowNumbers[index]!;
    const keep = (message: string) => {
      problems.push({ row: rowNumber, message: `${options.data} row ${rowNumber}: ${message}` });
      output.push([...fitToHeader(row, table.header.length), '', '', '', '', message]);
    };
    const fieldCount = fieldCountProblem(table, index);
    if (fieldCount !== undefined) {
      keep(fieldCount);
      return;
    }
    const record = rowToRecord(table.header, row);
    const leadActivities = options.idColumn ? (activities.byLead.get(record[options.idColumn]!.trim()) ?? []) : [];
    try {
      output.push([...row, ...scoreCells(scoreLead(rules, record, leadActivities, asOf)), '']);
      scored += 1;
    } catch (error) {
      if (!(error instanceof LeadValueError)) throw error;
      keep(error.message);
    }
  });

  return { scored, problems, csv: formatCsv([...table.header, ...SCORE_COLUMNS], output) };
}

async function readActivities(options: RulesScoreOptions, header: readonly string[]): Promise<ReturnType<typeof groupActivities>> {
  if (options.activities === undefined) return { byLead: new Map(), problems: [] };
  if (options.idColumn === undefined) throw new Error('--activities needs --id-column naming the lead id column of --data');
  if (!header.includes(options.idColumn)) throw new Error(`--id-column '${options.idColumn}' is not a column of ${options.data}`);
  const table = await readCsvFile(options.activities, { encoding: options.encoding, delimiter: options.delimiter });
  return groupActivities(table, options.activities);
}

/** Pads a short row with empty cells, or cuts a long one, to the header's field count. */
function fitToHeader(row: readonly string[], fields: number): string[] {
  return row.length >= fields ? row.slice(0, fields) : [...row, ...Array<string>(fields - row.length).fill('')];
}

function scoreCells(score: RuleScore): string[] {
  const fired = score.fired.map((rule) => `${rule.id}:${formatPoints(rule.points)}`).join(' ');
  return [formatPoints(score.total), formatPoints(score.fit), formatPoints(score.engagement), fired];
}

function formatPoints(points: number): string {
  const rounded = Math.round(points * 100) / 100;
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

/** Registers `leadscore rules score`. */
export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description('score leads with a hand-tuned rules file');
  rules
    .command('score')
    .description('add rule_score, rule_fit, rule_engagement, rules_fired and error columns to a CSV of leads')
    .requiredOption('-r, --rules <file>', 'rules file (JSON), e.g. data/rules/x-education.rules.json')
    .requiredOption('-d, --data <file>', 'CSV of leads, one per row')
    .option('-o, --out <file>', 'write the scored CSV here instead of standard output')
    .option('--activities <file>', 'CSV of dated activities: lead_id, type, page, asset, occurred_at')
    .option('--id-column <name>', 'column of --data matching lead_id in --activities')
    .option('--as-of <date>', 'score activities as of this ISO 8601 date (default: now)')
    .option('--encoding <name>', ENCODING_HELP, parseEncodingOption)
    .option('--delimiter <char>', DELIMITER_HELP, parseDelimiterOption)
    .action(async (options: RulesScoreOptions) => {
      const result = await scoreCsvWithRules(options);
      if (options.out) await writeFile(options.out, result.csv);
      else process.stdout.write(result.csv);

      for (const problem of result.problems) console.error(problem.message);
      const destination = options.out ? ` into ${options.out}` : '';
      console.error(`scored ${result.scored} leads${destination}; ${result.problems.length} invalid rows, each kept with its problem in the error column or listed above`);
      // The same status as `leadscore score`: 2 means the output is complete but some rows carry an error.
      if (result.problems.length > 0) process.exitCode = 2;
    });
}
