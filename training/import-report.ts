/** One CSV row left out of training, with the reason. */
export interface RowRejection {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  column: string;
  value: string;
  reason: string;
}

/** What happened to every row of the export: rows read = rows used + rows rejected. */
export interface ImportReport {
  source: string;
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  rejections: RowRejection[];
}

/** Formats the report for a terminal: the counts and the first `limit` rejections. */
export function formatImportReport(report: ImportReport, limit = 10): string {
  const lines = [`rows read ${report.rowsRead}, used ${report.rowsUsed}, rejected ${report.rowsRejected}`];
  for (const rejection of report.rejections.slice(0, limit)) {
    lines.push(`  row ${rejection.row}, column '${rejection.column}', value '${rejection.value}': ${rejection.reason}`);
  }
  if (report.rejections.length > limit) lines.push(`  ... ${report.rejections.length - limit} more in import-report.json`);
  return lines.join('\n');
}
