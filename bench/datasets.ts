import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

import { loadDatasetConfig, type ColumnSpec, type DatasetConfig } from '../src/core/dataset-config.ts';
import type { LeadRecord } from '../src/core/values.ts';

/** A lead with its outcome and its place in time. */
export interface LabelledLead {
  /** Row number in the source file, the header being row 1. */
  row: number;
  record: LeadRecord;
  label: 0 | 1;
  order: number;
}

/**
 * One benchmark split: leads in time order with their labels, and the index of the first test
 * lead. Every lead before `testStart` may be used for training and calibration.
 */
export interface BenchSplit {
  name: string;
  description: string;
  leads: LabelledLead[];
  testStart: number;
  featureColumns: string[];
  columns: Record<string, ColumnSpec>;
  missingTokens: string[];
  /** Rows left out of the split and why, for the benchmark page. */
  exclusions: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Reads a delimited file into records keyed by the header's column names. */
async function readRecords(filePath: string, delimiter = ','): Promise<Record<string, string>[]> {
  const text = await readFile(filePath, 'utf8');
  return parse(text, { bom: true, columns: true, delimiter, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

function parseDay(value: string, field: string, row: number): number {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value.slice(0, 10)) : Number.NaN;
  if (!Number.isFinite(time)) {
    throw new Error(`column '${field}' row ${row}: '${value}' is not a date; expected YYYY-MM-DD`);
  }
  return time;
}

function byOrder(leads: LabelledLead[]): LabelledLead[] {
  return leads.sort((a, b) => a.order - b.order || a.row - b.row);
}

function firstIndexAtOrAfter(leads: readonly LabelledLead[], order: number): number {
  const index = leads.findIndex((lead) => lead.order >= order);
  return index === -1 ? leads.length : index;
}

/**
 * X Education with the shipped dataset config's columns: the id, label, order, ignored and
 * leakage columns are not features, and the last 20 % by Lead Number are the test part.
 */
export async function loadXEducation(configPath: string): Promise<{ split: BenchSplit; config: DatasetConfig }> {
  const loaded = await loadDatasetConfig(configPath);
  const { config } = loaded;
  const labelColumn = config.labelColumn ?? '';
  const orderColumn = config.orderColumn ?? '';
  const records = await readRecords(loaded.sourcePath);
  const excluded = new Set([config.idColumn, labelColumn, orderColumn, ...config.ignoreColumns, ...config.leakageColumns.map((entry) => entry.column)]);
  const featureColumns = Object.keys(records[0] ?? {}).filter((column) => !excluded.has(column));
  const positives = new Set(config.positiveValues);

  const leads = records.map((record, index): LabelledLead => {
    const row = index + 2;
    const order = Number(record[orderColumn]);
    if (!Number.isFinite(order)) throw new Error(`column '${orderColumn}' row ${row}: '${record[orderColumn]}' is not a number`);
    return { row, record, label: positives.has(record[labelColumn] ?? '') ? 1 : 0, order };
  });
  const sorted = byOrder(leads);
  const split: BenchSplit = {
    name: 'x-education',
    description: 'X Education leads, leakage columns dropped; test = last 20 % by Lead Number',
    leads: sorted,
    testStart: Math.round(sorted.length * (1 - config.split.testFraction)),
    featureColumns,
    columns: config.columns,
    missingTokens: config.missingTokens,
    exclusions: [],
  };
  return { split, config };
}

/**
 * Olist MQLs first contacted in 2018, won = a closed deal within 90 days of first contact. Only
 * origin, landing page and the contact date's month and weekday are known for every lead. The
 * closed-deal columns exist for won leads alone, so they are left out.
 */
export async function loadOlist(folder: string): Promise<BenchSplit> {
  const mqls = await readRecords(path.join(folder, 'olist_marketing_qualified_leads_dataset.csv'));
  const deals = await readRecords(path.join(folder, 'olist_closed_deals_dataset.csv'));
  const wonDates = new Map(deals.map((deal, index) => [deal.mql_id!, parseDay(deal.won_date!, 'won_date', index + 2)]));

  const leads: LabelledLead[] = [];
  let before2018 = 0;
  mqls.forEach((mql, index) => {
    const row = index + 2;
    const contact = parseDay(mql.first_contact_date!, 'first_contact_date', row);
    const date = new Date(contact);
    if (date.getUTCFullYear() !== 2018) {
      before2018 += 1;
      return;
    }
    const won = wonDates.get(mql.mql_id!);
    const label = won !== undefined && won - contact <= 90 * DAY_MS ? 1 : 0;
    const record: LeadRecord = {
      origin: mql.origin,
      landing_page_id: mql.landing_page_id,
      contact_month: String(date.getUTCMonth() + 1),
      contact_weekday: WEEKDAYS[date.getUTCDay()],
    };
    leads.push({ row, record, label, order: contact });
  });

  const sorted = byOrder(leads);
  return {
    name: 'olist-2018-90d',
    description: 'Olist MQLs of 2018, won within 90 days of first contact; test = contact on or after 2018-04-01',
    leads: sorted,
    testStart: firstIndexAtOrAfter(sorted, Date.parse('2018-04-01')),
    featureColumns: ['origin', 'landing_page_id', 'contact_month', 'contact_weekday'],
    columns: { contact_month: { type: 'numeric' } },
    missingTokens: ['', 'unknown'],
    exclusions: [`${before2018} MQLs first contacted before 2018 (deals were recorded from December 2017 on)`],
  };
}

/** UCI bank telemarketing (2014 version) in file order, without the call duration. */
export async function loadBank(folder: string): Promise<BenchSplit> {
  const records = await readRecords(path.join(folder, 'bank-additional-full.csv'), ';');
  const featureColumns = Object.keys(records[0] ?? {}).filter((column) => column !== 'y' && column !== 'duration');
  const leads = records.map((record, index): LabelledLead => {
    const features: LeadRecord = {};
    for (const column of featureColumns) features[column] = record[column];
    return { row: index + 2, record: features, label: record.y === 'yes' ? 1 : 0, order: index };
  });
  return {
    name: 'bank-no-duration',
    description: 'UCI bank marketing calls, duration dropped; test = last 20 % in file order',
    leads,
    testStart: Math.round(leads.length * 0.8),
    featureColumns,
    // pdays is 999 for a client never contacted before, not a day count.
    columns: { pdays: { type: 'numeric', missingValues: ['999'] } },
    missingTokens: ['', 'unknown'],
    exclusions: [],
  };
}

export { loadCrmPipeline } from './crm-pipeline.ts';
