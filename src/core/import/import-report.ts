import { writeFile } from 'node:fs/promises';

/** Rejection reason of a row, as a stable code for tools that read the report. */
export type RejectionReason =
  | 'wrong-field-count'
  | 'missing-label'
  | 'unknown-label'
  | 'unknown-outcome'
  | 'missing-created-date'
  | 'invalid-date'
  | 'created-outside-range'
  | 'missing-close-date'
  | 'won-before-created'
  | 'closed-before-created'
  | 'invalid-won-deal'
  | 'invalid-number'
  | 'below-minimum'
  | 'invalid-boolean'
  | 'invalid-order-value'
  | 'invalid-for-model';

/** One problem cell. `row` counts CSV records with the header as row 1. */
export interface RejectedCell {
  row: number;
  column: string;
  value: string;
  reason: RejectionReason;
  message: string;
}

export interface ImportCounts {
  rowsRead: number;
  rowsUsed: number;
  won: number;
  lost: number;
  censored: number;
  rejected: number;
}

export interface ImportReport {
  source: {
    file: string;
    encoding: string;
    encodingSource: string;
    delimiter: string;
    delimiterSource: string;
    /** Column names of the export, in file order. */
    header: string[];
  };
  label:
    | { mode: 'column'; column: string }
    | {
        mode: 'dates';
        createdColumn: string;
        closeWindowDays: number;
        asOf: string | null;
        asOfSource: 'configured' | 'latest-date-in-export';
      };
  wonDeals?: { file: string; rowsRead: number; wins: number; rejected: RejectedCell[]; unmatchedKeys: number };
  /** Invariant: rowsRead = rowsUsed + censored + rejected, and rowsUsed = won + lost. */
  counts: ImportCounts;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
  /** Every problem cell of every rejected row; a row may contribute several. */
  rejected: RejectedCell[];
  columns: { name: string; type: string; inferred: boolean; missing: number; distinct?: number }[];
  warnings: string[];
}

/** Writes the report as indented JSON. */
export async function writeImportReport(filePath: string, report: ImportReport): Promise<void> {
  await writeFile(filePath, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * Formats the report for a terminal: counts, rejections by reason and the first few rejected
 * rows by row number and column. Cell values stay in the JSON file because they may be personal data.
 */
export function formatImportSummary(report: ImportReport, examplesPerReason = 3): string {
  const { counts } = report;
  const lines = [
    `import ${report.source.file}: ${report.source.encoding} (${report.source.encodingSource}), ` +
      `delimiter ${JSON.stringify(report.source.delimiter)} (${report.source.delimiterSource})`,
    `  rows read ${counts.rowsRead}: used ${counts.rowsUsed} (won ${counts.won}, lost ${counts.lost}), ` +
      `censored ${counts.censored}, rejected ${counts.rejected}`,
  ];
  if (report.label.mode === 'dates') {
    lines.push(
      `  label: won within ${report.label.closeWindowDays} days of ${report.label.createdColumn}; ` +
        `as of ${report.label.asOf ?? 'unknown'} (${report.label.asOfSource})`,
    );
  }
  if (report.wonDeals) {
    const won = report.wonDeals;
    lines.push(`  won deals ${won.file}: ${won.wins} wins, ${won.rejected.length} rejected, ${won.unmatchedKeys} without a lead`);
  }

  for (const [reason, count] of Object.entries(report.rejectedByReason)) {
    const examples = report.rejected
      .filter((cell) => cell.reason === reason)
      .slice(0, examplesPerReason)
      .map((cell) => `row ${cell.row} column '${cell.column}'`);
    lines.push(`  rejected ${reason}: ${count} (${examples.join('; ')})`);
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}
