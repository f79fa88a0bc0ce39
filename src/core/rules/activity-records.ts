import type { CsvTable } from '../csv.ts';
import { fieldCountProblem, rowToRecord } from '../csv.ts';
import type { Activity } from './conditions.ts';

/** A CSV row that could not be used, with its row number (the header is row 1). */
export interface RowProblem {
  row: number;
  message: string;
}

/** Columns of an activity export. */
export const ACTIVITY_COLUMNS = { leadId: 'lead_id', type: 'type', page: 'page', asset: 'asset', occurredAt: 'occurred_at' } as const;

/**
 * Groups an activity export (columns lead_id, type, occurred_at, and optionally page and asset)
 * by lead id. A row with another field count than the header, a missing lead id or type, or a
 * date that does not parse, is returned as a problem with its row number instead of being
 * dropped. Dates are ISO 8601; a date without a time zone is read as UTC.
 */
export function groupActivities(table: CsvTable, sourceName: string): { byLead: Map<string, Activity[]>; problems: RowProblem[] } {
  const missing = [ACTIVITY_COLUMNS.leadId, ACTIVITY_COLUMNS.type, ACTIVITY_COLUMNS.occurredAt].filter((column) => !table.header.includes(column));
  if (missing.length > 0) {
    throw new Error(`${sourceName}: missing column(s) ${missing.map((column) => `'${column}'`).join(', ')}; an activity export needs lead_id, type and occurred_at, and may add page and asset`);
  }

  const byLead = new Map<string, Activity[]>();
  const problems: RowProblem[] = [];
  table.rows.forEach((row, index) => {
    const record = rowToRecord(table.header, row);
    const rowNumber = table.rowNumbers[index]!;
    const fieldCount = fieldCountProblem(table, index);
    if (fieldCount !== undefined) {
      problems.push({ row: rowNumber, message: `${sourceName} row ${rowNumber}: ${fieldCount}` });
      return;
    }
    const leadId = record[ACTIVITY_COLUMNS.leadId]!.trim();
    const type = record[ACTIVITY_COLUMNS.type]!.trim();
    const occurredAt = parseDateTime(record[ACTIVITY_COLUMNS.occurredAt]!);

    if (leadId === '' || type === '') {
      problems.push({ row: rowNumber, message: `${sourceName} row ${rowNumber}: lead_id and type must not be blank` });
      return;
    }
    if (occurredAt === undefined) {
      problems.push({ row: rowNumber, message: `${sourceName} row ${rowNumber}: occurred_at ${JSON.stringify(record[ACTIVITY_COLUMNS.occurredAt])} is not a date; expected ISO 8601 such as 2024-05-31 or 2024-05-31T14:00:00Z` });
      return;
    }

    const activity: Activity = { type, page: record[ACTIVITY_COLUMNS.page] || undefined, asset: record[ACTIVITY_COLUMNS.asset] || undefined, occurredAt };
    const list = byLead.get(leadId) ?? [];
    list.push(activity);
    byLead.set(leadId, list);
  });
  return { byLead, problems };
}

/** Parses an ISO 8601 date or date-time, reading one without a zone as UTC; undefined when invalid. */
export function parseDateTime(text: string): Date | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) && trimmed.length > 10;
  const normalized = trimmed.replace(' ', 'T');
  const date = new Date(hasZone || normalized.length === 10 ? normalized : `${normalized}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
