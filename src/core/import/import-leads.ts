import path from 'node:path';

import { DateParser, formatDay, parseIsoDay, parseNumber } from './cell-values.ts';
import { float64s, int32s, int8s } from './column-store.ts';
import { DealOutcome } from './deal-label.ts';
import { buildReport, finishLabels } from './import-finish.ts';
import type { CsvStreamOptions } from './csv-stream.ts';
import { openCsvStream } from './csv-stream.ts';
import { createColumnWriter, type ColumnWriter, type FeatureColumn } from './feature-columns.ts';
import type { ImportReport, RejectedCell } from './import-report.ts';
import type { ImportColumnSpec } from './import-settings.ts';
import { LabelReader, type LabelPlan, type LabelReadResult } from './label-reader.ts';
import { MissingTokens } from './missing-tokens.ts';
import { readWonDeals, requireColumn } from './won-deals.ts';

export interface ImportLeadsOptions {
  sourcePath: string;
  csv?: CsvStreamOptions;
  label: LabelPlan;
  /** Path of the won-deals file when `label.rules.wonDeals` is set. */
  wonDealsPath?: string | undefined;
  missingTokens?: string[];
  /** Declared column types; other columns are stored as text and inferred at the end. */
  columns?: Record<string, ImportColumnSpec>;
  /** Columns never used as features: the id, ignored and leakage columns. Label columns are added. */
  excludeColumns?: string[];
  /** Excluded columns that may be absent from the export; every other excluded name must exist. */
  optionalExclusions?: ReadonlySet<string>;
  /** Formats for date-typed feature columns when the label does not come from dates. */
  dateFormats?: string[];
  /** Column whose value (a number or a date) orders leads in time; stored as `orderValues`. */
  orderColumn?: string | undefined;
  /** Stops after this many data records, for quick runs; the report counts only those read. */
  maxRows?: number | undefined;
  /** Called every `progressEvery` rows with the rows read and the bytes consumed so far. */
  onProgress?: (progress: { rowsRead: number; bytesRead: number; totalBytes: number }) => void;
  progressEvery?: number;
}

/** Used leads in file order, stored by column; censored and rejected rows are not in here. */
export interface LeadTable {
  rowCount: number;
  /** CSV row number of each lead (header is row 1). */
  rowNumbers: Int32Array;
  labels: Uint8Array;
  /** Creation day of each lead in days since 1970-01-01; NaN everywhere when the label is a column. */
  createdDays: Float64Array;
  /** Value of the order column (a number, or days since 1970-01-01 for a date); NaN without one. */
  orderValues: Float64Array;
  columns: FeatureColumn[];
}

export interface LeadImport {
  table: LeadTable;
  report: ImportReport;
}

/**
 * Streams a CRM export into a compact column table and an import report. Each row ends as used
 * (labelled 0 or 1), censored (open and younger than the close window at the as-of date) or
 * rejected (reported with row, column, value and reason), so rows read always equals used plus
 * censored plus rejected. The as-of date is the configured one or the latest valid date seen.
 */
export async function importLeads(options: ImportLeadsOptions): Promise<LeadImport> {
  const missing = new MissingTokens(options.missingTokens ?? ['']);
  const rules = options.label.mode === 'dates' ? options.label.rules : undefined;
  const dates = new DateParser(rules?.dateFormats ?? options.dateFormats ?? ['ISO']);

  let plan = options.label;
  if (plan.mode === 'dates' && plan.rules.wonDeals) {
    if (!options.wonDealsPath) throw new Error('label.wonDeals is set but no won-deals file path was given');
    const wonDeals = await readWonDeals(plan.rules.wonDeals, options.wonDealsPath, options.csv ?? {}, dates, missing);
    plan = { ...plan, wonDeals, leadKeyColumn: plan.leadKeyColumn ?? plan.rules.wonDeals.leadKeyColumn };
    if (!plan.leadKeyColumn) throw new Error('label.wonDeals needs leadKeyColumn (or the config idColumn) to join on');
  }

  const stream = await openCsvStream(options.sourcePath, options.csv);
  const labels = new LabelReader(plan, stream.header, options.sourcePath, missing, dates);
  const writers = createWriters(stream.header, options, labels.columns, missing, dates);
  const pending = { rowNumbers: int32s(), created: float64s(), closed: float64s(), outcome: int8s(), fixed: int8s(), order: float64s() };
  const orderIndex = options.orderColumn ? requireColumn(stream.header, options.orderColumn, options.sourcePath) : -1;
  const rejected: RejectedCell[] = [];
  let rowsRead = 0;
  let rejectedRows = 0;
  let latestDay = plan.mode === 'dates' && plan.wonDeals ? plan.wonDeals.latestDay : Number.NEGATIVE_INFINITY;
  const progressEvery = options.progressEvery ?? 50_000;

  for await (const { rowNumber, fields } of stream.records) {
    if (options.maxRows !== undefined && rowsRead >= options.maxRows) break;
    rowsRead += 1;
    if (options.onProgress && rowsRead % progressEvery === 0) {
      options.onProgress({ rowsRead, bytesRead: stream.bytesRead(), totalBytes: stream.totalBytes });
    }

    const { issues, pending: label } = readRow(fields, rowNumber, stream.header, labels, writers);
    const order = orderIndex === -1 ? Number.NaN : readOrder(fields[orderIndex] ?? '', dates);
    if (Number.isNaN(order) && orderIndex !== -1 && fields.length === stream.header.length) {
      const value = fields[orderIndex] ?? '';
      const message = `row ${rowNumber} column '${options.orderColumn}': '${value}' is neither a number nor a date (${dates.formats.join(' or ')})`;
      issues.push({ row: rowNumber, column: options.orderColumn!, value, reason: 'invalid-order-value', message });
    }
    if (issues.length > 0) {
      rejectedRows += 1;
      for (const issue of issues) rejected.push(issue);
      continue;
    }

    for (const writer of writers) writer.push(fields[writer.index] ?? '');
    pending.rowNumbers.push(rowNumber);
    pending.created.push(label!.createdDay);
    pending.closed.push(label!.closedDay);
    pending.outcome.push(label!.outcome);
    pending.fixed.push(label!.fixedLabel);
    pending.order.push(order);
    // An open deal's close date is often a forecast (HubSpot, Salesforce), so only closed deals date the export.
    const closedDay = label!.outcome === DealOutcome.open || Number.isNaN(label!.closedDay) ? latestDay : label!.closedDay;
    latestDay = Math.max(latestDay, label!.createdDay, closedDay);
  }
  options.onProgress?.({ rowsRead, bytesRead: stream.bytesRead(), totalBytes: stream.totalBytes });

  const asOfDay = rules?.asOf ? parseIsoDay(rules.asOf) : latestDay;
  const finished = finishLabels(pending, rules?.closeWindowDays ?? 0, asOfDay);
  const table: LeadTable = {
    rowCount: finished.keptCount,
    rowNumbers: pending.rowNumbers.compact(finished.keep, finished.keptCount),
    labels: finished.labels,
    createdDays: pending.created.compact(finished.keep, finished.keptCount),
    orderValues: pending.order.compact(finished.keep, finished.keptCount),
    columns: writers.map((writer) => writer.finish(finished.keep, finished.keptCount)),
  };

  const report = buildReport({ options, stream, plan, rejected, writers, table, matchedWonKeys: labels.matchedWonKeys.size });
  if (labels.unlistedOutcomes.size > 0 && rules?.outcomeColumn) report.warnings.push(unlistedOutcomesWarning(rules.outcomeColumn, labels.unlistedOutcomes));
  report.counts = {
    rowsRead,
    rowsUsed: finished.keptCount,
    won: finished.won,
    lost: finished.keptCount - finished.won,
    censored: finished.censored,
    rejected: rejectedRows,
  };
  report.warnings.push(...identifierLikeWarnings(report));
  if (report.label.mode === 'dates') {
    report.label.asOf = Number.isFinite(asOfDay) ? formatDay(asOfDay) : null;
    report.label.asOfSource = rules?.asOf ? 'configured' : 'latest-date-in-export';
  }
  return { table, report };
}

function createWriters(
  header: string[],
  options: ImportLeadsOptions,
  labelColumns: string[],
  missing: MissingTokens,
  dates: DateParser,
): ColumnWriter[] {
  // A label column declared as a date (the created date, say) may also serve as a feature.
  const labelOnly = labelColumns.filter((name) => options.columns?.[name]?.type !== 'date');
  const excluded = new Set([...(options.excludeColumns ?? []), ...labelOnly]);
  for (const name of Object.keys(options.columns ?? {})) requireColumn(header, name, options.sourcePath);
  // A misspelt leakage or ignored column would silently become a feature, so every name must exist.
  for (const name of options.excludeColumns ?? []) {
    if (!options.optionalExclusions?.has(name)) requireColumn(header, name, options.sourcePath);
  }
  checkHeaderNames(header, options.sourcePath);
  // Exports written with a trailing delimiter end in a nameless, empty column; it is no feature.
  return header.flatMap((name, index) =>
    excluded.has(name) || name === '' ? [] : [createColumnWriter(name, index, options.columns?.[name], missing, dates)],
  );
}

/** Throws when two header columns share a name, since a lead's fields are looked up by name. */
function checkHeaderNames(header: string[], filePath: string): void {
  const duplicates = header.filter((name, index) => name !== '' && header.indexOf(name) !== index);
  if (duplicates.length > 0) {
    const names = [...new Set(duplicates)].map((name) => `'${name}'`).join(', ');
    throw new Error(`${path.basename(filePath)}: the header repeats column ${names}; rename the copies so that each column name is unique`);
  }
}

function readOrder(value: string, dates: DateParser): number {
  const number = parseNumber(value);
  if (number !== undefined) return number;
  return dates.parseDay(value) ?? Number.NaN;
}

/** Checks every cell of a row; a row with any issue is rejected whole. */
function readRow(fields: string[], row: number, header: string[], labels: LabelReader, writers: ColumnWriter[]): LabelReadResult {
  if (fields.length !== header.length) {
    const message = `row ${row}: has ${fields.length} fields but the header has ${header.length}; check quoting and the delimiter`;
    return { issues: [{ row, column: '(row)', value: `${fields.length} fields`, reason: 'wrong-field-count', message }] };
  }
  const result = labels.read(fields, row);
  const issues = [...result.issues];
  for (const writer of writers) {
    const issue = writer.check(fields[writer.index] ?? '', row);
    if (issue) issues.push(issue);
  }
  return issues.length > 0 ? { issues } : result;
}

/** Names the outcome values counted as open, most frequent first, so that a misspelt stage shows. */
function unlistedOutcomesWarning(column: string, counts: ReadonlyMap<string, number>): string {
  const listed = [...counts].sort((a, b) => b[1] - a[1]);
  const examples = listed.slice(0, 10).map(([value, count]) => `'${value}' (${count})`);
  const more = listed.length > 10 ? ` and ${listed.length - 10} more` : '';
  return (
    `labelFromDates.openValues is not set, so these values of '${column}' count as open deals: ${examples.join(', ')}${more}; ` +
    'list the open stages in openValues to reject any other value, such as a misspelt won stage'
  );
}

// A text column with more distinct values than this share of the rows used is an id, an email
// address or free text, not a category that leads share.
const IDENTIFIER_DISTINCT_SHARE = 0.5;
const IDENTIFIER_MIN_ROWS = 50;

/**
 * Warns about categorical columns that look like identifiers or personal data: nearly every lead
 * has its own value, so the model cannot learn from them, and a reason would echo the value.
 */
function identifierLikeWarnings(report: ImportReport): string[] {
  const rows = report.counts.rowsUsed;
  if (rows < IDENTIFIER_MIN_ROWS) return [];
  return report.columns
    .filter((column) => column.type === 'categorical' && (column.distinct ?? 0) > rows * IDENTIFIER_DISTINCT_SHARE)
    .map(
      (column) =>
        `column '${column.name}' has ${column.distinct} distinct values in ${rows} leads, so it looks like an id, an email address or free text; ` +
        'add it to ignoreColumns unless its values repeat across leads',
    );
}
