import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

import type { LeadRecord } from '../src/core/values.ts';
import type { BenchSplit, LabelledLead } from './datasets.ts';

/** Engage dates on or after this day are the test part of the CRM pipeline split. */
export const CRM_TEST_FROM = '2017-07-01';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

async function readTable(filePath: string): Promise<Record<string, string>[]> {
  const text = await readFile(filePath, 'utf8');
  return parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

function indexBy(rows: Record<string, string>[], key: string): Map<string, Record<string, string>> {
  return new Map(rows.map((row) => [normalizeName(row[key] ?? ''), row]));
}

/** The pipeline spells "GTXPro" where the product list has "GTX Pro"; spaces are dropped to join. */
function normalizeName(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}

/**
 * The simulated B2B pipeline: closed opportunities (Won or Lost) ordered by engage date, joined
 * with the agent's team, the product and the account's firmographics. Open deals have no outcome
 * and are left out; close_value is 0 for every lost deal, and close_date is known only at the end,
 * so both are leakage and are not features.
 */
export async function loadCrmPipeline(folder: string): Promise<BenchSplit> {
  const pipeline = await readTable(path.join(folder, 'sales_pipeline.csv'));
  const accounts = indexBy(await readTable(path.join(folder, 'accounts.csv')), 'account');
  const products = indexBy(await readTable(path.join(folder, 'products.csv')), 'product');
  const teams = indexBy(await readTable(path.join(folder, 'sales_teams.csv')), 'sales_agent');

  const leads: LabelledLead[] = [];
  const open = new Map<string, number>();
  pipeline.forEach((deal, index) => {
    const row = index + 2;
    const stage = deal.deal_stage ?? '';
    if (stage !== 'Won' && stage !== 'Lost') {
      open.set(stage, (open.get(stage) ?? 0) + 1);
      return;
    }
    const engage = Date.parse(deal.engage_date ?? '');
    if (!Number.isFinite(engage)) {
      throw new Error(`sales_pipeline.csv row ${row}: engage_date '${deal.engage_date}' is not a date; expected YYYY-MM-DD`);
    }
    leads.push({ row, record: dealRecord(deal, engage, accounts, products, teams), label: stage === 'Won' ? 1 : 0, order: engage });
  });

  leads.sort((a, b) => a.order - b.order || a.row - b.row);
  const testFrom = Date.parse(CRM_TEST_FROM);
  const testStart = leads.findIndex((lead) => lead.order >= testFrom);
  return {
    name: 'crm-pipeline',
    description: `CRM sales pipeline, Won vs Lost by engage date; test = engaged on or after ${CRM_TEST_FROM}`,
    leads,
    testStart: testStart === -1 ? leads.length : testStart,
    featureColumns: Object.keys(leads[0]?.record ?? {}),
    columns: { year_established: { type: 'numeric' }, revenue: { type: 'numeric', log: true }, employees: { type: 'numeric', log: true } },
    missingTokens: [''],
    exclusions: [...open].map(([stage, count]) => `${count} open deals in stage ${stage} (no outcome yet)`),
  };
}

function dealRecord(
  deal: Record<string, string>,
  engage: number,
  accounts: Map<string, Record<string, string>>,
  products: Map<string, Record<string, string>>,
  teams: Map<string, Record<string, string>>,
): LeadRecord {
  const account = accounts.get(normalizeName(deal.account ?? ''));
  const product = products.get(normalizeName(deal.product ?? ''));
  const team = teams.get(normalizeName(deal.sales_agent ?? ''));
  const date = new Date(engage);
  return {
    sales_agent: deal.sales_agent,
    manager: team?.manager,
    regional_office: team?.regional_office,
    product: product?.product ?? deal.product,
    series: product?.series,
    sales_price: product?.sales_price,
    account: deal.account,
    sector: account?.sector,
    year_established: account?.year_established,
    revenue: account?.revenue,
    employees: account?.employees,
    office_location: account?.office_location,
    subsidiary_of: account?.subsidiary_of,
    // No engage month: the history spans nine months, so a calendar month names a cohort (whose
    // closed deals are skewed by when the export was taken), not a season.
    engage_weekday: WEEKDAYS[date.getUTCDay()],
  };
}
