import path from 'node:path';

import type { GrowableArray } from './column-store.ts';
import type { CsvStream } from './csv-stream.ts';
import { CENSORED, labelLead, type DealOutcome } from './deal-label.ts';
import type { ColumnWriter } from './feature-columns.ts';
import type { ImportReport, RejectedCell } from './import-report.ts';
import type { LeadTable, ImportLeadsOptions } from './import-leads.ts';
import type { LabelPlan } from './label-reader.ts';

export interface PendingColumns {
  created: GrowableArray<Float64Array>;
  closed: GrowableArray<Float64Array>;
  outcome: GrowableArray<Int8Array>;
  fixed: GrowableArray<Int8Array>;
}

export interface FinishedLabels {
  /** 1 for each pending row that is used, 0 for a censored one. */
  keep: Uint8Array;
  keptCount: number;
  labels: Uint8Array;
  won: number;
  censored: number;
}

/** Applies the close window at the as-of date to every pending row and marks censored rows to drop. */
export function finishLabels(pending: PendingColumns, closeWindowDays: number, asOfDay: number): FinishedLabels {
  const count = pending.created.length;
  const created = pending.created.view();
  const closed = pending.closed.view();
  const outcome = pending.outcome.view();
  const fixed = pending.fixed.view();

  const keep = new Uint8Array(count);
  const labelOfRow = new Int8Array(count);
  const rules = { closeWindowDays, asOfDay };
  let keptCount = 0;
  let won = 0;
  for (let index = 0; index < count; index += 1) {
    const label = fixed[index]! >= 0 ? fixed[index]! : labelLead(created[index]!, outcome[index] as DealOutcome, closed[index]!, rules);
    if (label === CENSORED) continue;
    keep[index] = 1;
    labelOfRow[index] = label;
    keptCount += 1;
    won += label;
  }

  const labels = new Uint8Array(keptCount);
  let target = 0;
  for (let index = 0; index < count; index += 1) {
    if (keep[index]) labels[target++] = labelOfRow[index]!;
  }
  return { keep, keptCount, labels, won, censored: count - keptCount };
}

interface ReportParts {
  options: ImportLeadsOptions;
  stream: CsvStream;
  plan: LabelPlan;
  rejected: RejectedCell[];
  writers: ColumnWriter[];
  table: LeadTable;
  matchedWonKeys: number;
}

/** Assembles the import report; counts and the as-of date are filled in by the caller. */
export function buildReport({ options, stream, plan, rejected, writers, table, matchedWonKeys }: ReportParts): ImportReport {
  const rejectedByReason: ImportReport['rejectedByReason'] = {};
  for (const cell of rejected) rejectedByReason[cell.reason] = (rejectedByReason[cell.reason] ?? 0) + 1;

  const report: ImportReport = {
    source: {
      file: path.basename(options.sourcePath),
      encoding: stream.encoding,
      encodingSource: stream.encodingSource,
      delimiter: stream.delimiter,
      delimiterSource: stream.delimiterSource,
      header: stream.header,
    },
    label:
      plan.mode === 'column'
        ? { mode: 'column', column: plan.column }
        : {
            mode: 'dates',
            createdColumn: plan.rules.createdColumn,
            closeWindowDays: plan.rules.closeWindowDays,
            asOf: null,
            asOfSource: 'latest-date-in-export',
          },
    counts: { rowsRead: 0, rowsUsed: 0, won: 0, lost: 0, censored: 0, rejected: 0 },
    rejectedByReason,
    rejected,
    columns: table.columns.map((column, index) => ({
      name: column.name,
      type: column.type,
      inferred: 'inferred' in column ? column.inferred : false,
      missing: writers[index]!.missing,
      ...(column.type === 'categorical' ? { distinct: column.dictionary.length } : {}),
    })),
    warnings: [],
  };
  if (plan.mode === 'dates' && !plan.wonDeals && !plan.rules.closedColumn) {
    report.warnings.push('no closedColumn is set, so every won deal counts as won within the close window');
  }

  if (plan.mode === 'dates' && plan.wonDeals && options.wonDealsPath) {
    report.wonDeals = {
      file: path.basename(options.wonDealsPath),
      rowsRead: plan.wonDeals.rowsRead,
      wins: plan.wonDeals.wins,
      rejected: plan.wonDeals.rejected,
      unmatchedKeys: plan.wonDeals.byKey.size - matchedWonKeys,
    };
  }
  return report;
}
