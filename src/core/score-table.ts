import type { CsvTable } from './csv.ts';
import { fieldCountProblem, rowToRecord } from './csv.ts';
import { InvalidInputError } from './errors.ts';
import { canExplain, explainLeads, formatReason, topReasons, type LeadExplanation } from './explain/lead-reasons.ts';
import type { LeadModel } from './lead-model.ts';
import { validateLead } from './lead-validation.ts';

/** One invalid row of the input: its spreadsheet row number and what is wrong with it. */
export interface RejectedRow {
  row: number;
  message: string;
}

export interface ScoredTable {
  header: string[];
  rows: (string | number)[][];
  scored: number;
  rejected: RejectedRow[];
  /** False when the model carries no baseline, so the reason columns are empty. */
  reasonsIncluded: boolean;
}

export interface ScoreTableOptions {
  /** Column copied to the output to identify each lead; empty writes a `row` column with CSV row numbers. */
  idColumn: string;
  /** Reasons for and against per lead; 0 leaves out the reason columns. */
  reasons: number;
}

// Leads explained per call: bounds the feature matrices of a large export.
const CHUNK_ROWS = 2000;

/**
 * Scores every row of a CSV export for re-import into a CRM: the id column (or `row`, the CSV row
 * number, when `idColumn` is empty), probability, score, tier, `reason_for_1..N` and
 * `reason_against_1..N` as text such as "Lead Origin = Lead Add Form (+0.21)" (calibrated
 * probability units), and an `error` column. Invalid rows stay in place,
 * in input order, with empty scores and the problem in `error`, and are listed in `rejected`. A row
 * with another field count than the header is invalid too.
 */
export function scoreTable(model: LeadModel, table: CsvTable, options: ScoreTableOptions): ScoredTable {
  if (options.idColumn !== '' && !table.header.includes(options.idColumn)) {
    throw new InvalidInputError(
      `id column '${options.idColumn}' is not in the file; its columns are: ${table.header.join(', ')}. Name the id column with --id-column`,
    );
  }
  const { columns, missingTokens } = model.preprocessor.state;
  const reasonsIncluded = options.reasons > 0 && canExplain(model);
  const reasonHeader = reasonColumnNames(options.reasons);
  // An export without an id column (the bank one) is matched back by its CSV row number.
  const idHeader = options.idColumn === '' ? 'row' : options.idColumn;
  const header = [idHeader, 'probability', 'score', 'tier', ...reasonHeader, 'error'];

  const records = table.rows.map((row) => rowToRecord(table.header, row));
  const rejected: RejectedRow[] = [];
  const outputRows: (string | number)[][] = records.map((record, index) =>
    options.idColumn === '' ? [table.rowNumbers[index]!] : [record[options.idColumn] ?? ''],
  );
  const valid: number[] = [];
  records.forEach((record, index) => {
    // A shifted row would put values under the wrong columns, so it is not scored at all.
    const fieldCount = fieldCountProblem(table, index);
    const issues = fieldCount === undefined ? validateLead(record, columns, missingTokens).map((issue) => issue.message) : [fieldCount];
    if (issues.length === 0) {
      valid.push(index);
      return;
    }
    const message = issues.join('; ');
    rejected.push({ row: table.rowNumbers[index]!, message });
    outputRows[index]!.push('', '', '', ...reasonHeader.map(() => ''), message);
  });

  for (let start = 0; start < valid.length; start += CHUNK_ROWS) {
    const indices = valid.slice(start, start + CHUNK_ROWS);
    const leads = indices.map((index) => records[index]!);
    const predictions = model.scoreLeads(leads);
    const explained = reasonsIncluded ? explainLeads(model, leads).leads : [];
    indices.forEach((recordIndex, position) => {
      const prediction = predictions[position]!;
      const reasons = reasonCells(explained[position], options.reasons);
      outputRows[recordIndex]!.push(prediction.probability, prediction.score, prediction.tier, ...reasons, '');
    });
  }
  return { header, rows: outputRows, scored: valid.length, rejected, reasonsIncluded };
}

function reasonColumnNames(count: number): string[] {
  return [
    ...Array.from({ length: count }, (_, index) => `reason_for_${index + 1}`),
    ...Array.from({ length: count }, (_, index) => `reason_against_${index + 1}`),
  ];
}

/** The reason texts of one lead, `count` for then `count` against, padded with empty cells. */
function reasonCells(explanation: LeadExplanation | undefined, count: number): string[] {
  const reasons = explanation ? topReasons(explanation, count) : { for: [], against: [] };
  const pad = (texts: string[]) => [...texts, ...Array<string>(count - texts.length).fill('')];
  return [...pad(reasons.for.map((entry) => formatReason(entry))), ...pad(reasons.against.map((entry) => formatReason(entry)))];
}
