import { describe, expect, it } from 'vitest';

import { importLeads, type ImportLeadsOptions } from '../../src/core/import/import-leads.ts';
import { LabelFromDates } from '../../src/core/import/import-settings.ts';
import type { FeatureColumn } from '../../src/core/import/feature-columns.ts';
import { writeCsv } from './csv-fixtures.ts';

const pipelineRules = LabelFromDates.parse({
  createdColumn: 'engage_date',
  outcomeColumn: 'deal_stage',
  wonValues: ['Won'],
  lostValues: ['Lost'],
  openValues: ['Engaging', 'Prospecting'],
  closedColumn: 'close_date',
  closeWindowDays: 90,
});

// As of 2024-06-30 (the latest date in the file), leads engaged before 2024-04-01 have a full window.
const PIPELINE = [
  'id,sector,employees,deal_stage,engage_date,close_date,close_value',
  '1,retail,10,Won,2024-01-01,2024-01-31,500', // won in 30 days -> 1
  '2,retail,20,Won,2024-01-01,2024-04-30,700', // won in 120 days -> 0
  '3,finance,,Lost,2024-01-05,2024-02-01,0', // lost -> 0
  '4,Select,30,Engaging,2024-01-10,,', // open, window passed -> 0
  '5,finance,40,Engaging,2024-06-01,,', // open, 29 days old -> censored
  '6,retail,50,Prospecting,2024-05-15,,', // open, young -> censored
  '7,retail,60,Won,2024-03-10,2024-03-01,900', // won before created -> rejected
  '8,retail,70,Won,2024-13-01,2024-03-01,900', // invalid created date -> rejected
  '9,retail,80,Won,2024-02-01,,900', // won without close date -> rejected
  '10,retail,90,Paused,2024-02-01,,', // unknown outcome -> rejected
  '11,retail,many,Lost,2024-02-01,2024-02-20,0', // employees not a number -> rejected
  '12,retail,100', // wrong field count -> rejected
  '13,"multi\nline",110,won,2024-06-29,2024-06-30,100', // won in 1 day, lower case -> 1
  ',retail,120,Lost,,2024-06-10,0', // created date missing -> rejected
  '15,NA,130,Lost,2024-05-01,2024-04-01,0', // closed before created -> rejected
].join('\r\n');

function pipelineOptions(overrides: Partial<ImportLeadsOptions> = {}): ImportLeadsOptions {
  return {
    sourcePath: writeCsv(PIPELINE),
    label: { mode: 'dates', rules: pipelineRules },
    missingTokens: ['', 'Select', 'unknown', 'NA'],
    columns: { employees: { type: 'numeric', min: 0 } },
    excludeColumns: ['id', 'close_value'],
    ...overrides,
  };
}

function column(columns: FeatureColumn[], name: string): FeatureColumn {
  const found = columns.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`column ${name} missing`);
  return found;
}

describe('importLeads with a deal pipeline', () => {
  it('counts used, censored and rejected rows exactly', async () => {
    const { report } = await importLeads(pipelineOptions());

    expect(report.counts).toEqual({ rowsRead: 15, rowsUsed: 5, won: 2, lost: 3, censored: 2, rejected: 8 });
    expect(report.counts.rowsRead).toBe(report.counts.rowsUsed + report.counts.censored + report.counts.rejected);
    expect(report.label).toMatchObject({ mode: 'dates', asOf: '2024-06-30', asOfSource: 'latest-date-in-export' });
  });

  it('reports each rejected row with row, column, value and reason', async () => {
    const { report } = await importLeads(pipelineOptions());

    const summary = report.rejected.map(({ row, column, value, reason }) => [row, column, value, reason]);
    expect(summary).toEqual([
      [8, 'close_date', '2024-03-01', 'won-before-created'],
      [9, 'engage_date', '2024-13-01', 'invalid-date'],
      [10, 'close_date', '', 'missing-close-date'],
      [11, 'deal_stage', 'Paused', 'unknown-outcome'],
      [12, 'employees', 'many', 'invalid-number'],
      [13, '(row)', '3 fields', 'wrong-field-count'],
      [15, 'engage_date', '', 'missing-created-date'],
      [16, 'close_date', '2024-04-01', 'closed-before-created'],
    ]);
  });

  it('stores used leads by column with labels in file order', async () => {
    const { table } = await importLeads(pipelineOptions());

    expect(Array.from(table.rowNumbers)).toEqual([2, 3, 4, 5, 14]);
    expect(Array.from(table.labels)).toEqual([1, 0, 0, 0, 1]);
    expect(table.columns.map((feature) => feature.name)).toEqual(['sector', 'employees']);
    const sector = column(table.columns, 'sector');
    if (sector.type !== 'categorical') throw new Error('sector should be categorical');
    const decoded = Array.from(sector.codes, (code) => (code === -1 ? null : sector.dictionary[code]));
    expect(decoded).toEqual(['retail', 'retail', 'finance', null, 'multi\nline']);
    const employees = column(table.columns, 'employees');
    if (employees.type !== 'numeric') throw new Error('employees should be numeric');
    expect(Array.from(employees.values)).toEqual([10, 20, Number.NaN, 30, 110]);
  });

  it('lists outcome values counted as open without openValues', async () => {
    const rules = { ...pipelineRules, openValues: undefined };
    const { report } = await importLeads(pipelineOptions({ label: { mode: 'dates', rules } }));

    const warning = report.warnings.find((entry) => entry.includes('openValues is not set'));
    expect(warning).toBeDefined();
    expect(warning).toContain("'Paused' (1)");
    expect(report.rejected.some((entry) => entry.reason === 'unknown-outcome')).toBe(false);
  });

  it('warns about no outcome values when openValues is set', async () => {
    const { report } = await importLeads(pipelineOptions());

    expect(report.warnings.some((entry) => entry.includes('openValues is not set'))).toBe(false);
  });

  it('labels more leads when the as-of date is configured later', async () => {
    const rules = { ...pipelineRules, asOf: '2024-09-30' };
    const { report } = await importLeads(pipelineOptions({ label: { mode: 'dates', rules } }));

    expect(report.counts).toMatchObject({ rowsUsed: 7, won: 2, lost: 5, censored: 0, rejected: 8 });
    expect(report.label).toMatchObject({ asOf: '2024-09-30', asOfSource: 'configured' });
  });

  it('rejects leads created outside the configured range', async () => {
    const rules = { ...pipelineRules, createdFrom: '2024-01-06' };
    const { report } = await importLeads(pipelineOptions({ label: { mode: 'dates', rules } }));

    expect(report.rejectedByReason['created-outside-range']).toBe(3);
    expect(report.counts).toMatchObject({ rowsRead: 15, rowsUsed: 2, censored: 2, rejected: 11 });
  });

  it('treats a closed flag as lost when no lost value is listed', async () => {
    const text = 'Id,IsWon,IsClosed,CreatedDate,CloseDate\n1,true,true,2024-01-01,2024-01-20\n2,false,true,2024-01-01,2024-01-25\n3,false,false,2024-06-01,2024-07-30\n4,false,false,2024-01-01,2024-06-30\n';
    const rules = LabelFromDates.parse({
      createdColumn: 'CreatedDate',
      outcomeColumn: 'IsWon',
      wonValues: ['true'],
      isClosedColumn: 'IsClosed',
      closedColumn: 'CloseDate',
    });
    const { table, report } = await importLeads({ sourcePath: writeCsv(text), label: { mode: 'dates', rules }, excludeColumns: ['Id'] });

    expect(report.counts).toEqual({ rowsRead: 4, rowsUsed: 3, won: 1, lost: 2, censored: 1, rejected: 0 });
    expect(Array.from(table.rowNumbers)).toEqual([2, 3, 5]);
  });
});

describe('importLeads with a won-deals file', () => {
  const leads = [
    'mql_id,first_contact_date,origin,landing_page_id',
    'a,2018-01-02,paid_search,p1', // won 2018-01-20 -> 1
    'b,2018-01-03,unknown,p2', // won 2018-06-01, 149 days -> 0
    'c,2018-01-04,organic_search,p1', // never won, window passed -> 0
    'd,2018-01-05,,p3', // won 2018-01-01, before contact -> rejected
    'e,2018-05-30,social,p1', // never won, 169 days before as-of: 0
    'f,2017-11-01,social,p1', // before createdFrom -> rejected
    'g,2018-02-01,social,p1', // its won deal has an invalid date -> rejected
  ].join('\n');
  const wonDeals = 'mql_id,seller_id,won_date\na,s1,2018-01-20 10:00:00\nb,s2,2018-06-01 09:00:00\nd,s3,2018-01-01 00:00:00\nz,s4,2018-11-14 12:00:00\ng,s5,not a date\n';
  const rules = LabelFromDates.parse({
    createdColumn: 'first_contact_date',
    wonDeals: { source: 'won.csv', keyColumn: 'mql_id', wonDateColumn: 'won_date' },
    dateFormats: ['ISO'],
    createdFrom: '2018-01-01',
  });

  it('joins wins by key and labels by the close window', async () => {
    const { table, report } = await importLeads({
      sourcePath: writeCsv(leads),
      wonDealsPath: writeCsv(wonDeals),
      label: { mode: 'dates', rules, leadKeyColumn: 'mql_id' },
      missingTokens: ['', 'unknown'],
      excludeColumns: ['mql_id'],
    });

    expect(report.counts).toEqual({ rowsRead: 7, rowsUsed: 4, won: 1, lost: 3, censored: 0, rejected: 3 });
    expect(Array.from(table.labels)).toEqual([1, 0, 0, 0]);
    expect(report.label).toMatchObject({ asOf: '2018-11-14' });
    expect(report.rejected.map((cell) => [cell.row, cell.reason])).toEqual([
      [5, 'won-before-created'],
      [7, 'created-outside-range'],
      [8, 'invalid-won-deal'],
    ]);
    expect(report.wonDeals).toMatchObject({ rowsRead: 5, wins: 4, unmatchedKeys: 1 });
    expect(report.wonDeals!.file).toMatch(/\.csv$/);
    expect(report.wonDeals!.rejected[0]).toMatchObject({ row: 6, column: 'won_date', value: 'not a date' });
  });
});

describe('importLeads with a label column', () => {
  it('reads 0/1 labels, missing tokens and inferred types', async () => {
    const text = 'Prospect ID;Converted;TotalVisits;Specialization;Do Not Email\nx1;1;5;Select;No\nx2;0;NA;Finance;Yes\nx3;;2;Finance;No\nx4;0;3.5;Select;No\n';
    const { table, report } = await importLeads({
      sourcePath: writeCsv(text, 'utf-16le', true),
      label: { mode: 'column', column: 'Converted', positiveValues: ['1'], negativeValues: ['0'] },
      missingTokens: ['Select', 'NA'],
      columns: { 'Do Not Email': { type: 'boolean' } },
      excludeColumns: ['Prospect ID'],
    });

    expect(report.source).toMatchObject({ encoding: 'utf-16le', encodingSource: 'bom', delimiter: ';' });
    expect(report.counts).toEqual({ rowsRead: 4, rowsUsed: 3, won: 1, lost: 2, censored: 0, rejected: 1 });
    expect(report.rejected[0]).toMatchObject({ row: 4, column: 'Converted', reason: 'missing-label' });
    expect(column(table.columns, 'TotalVisits')).toMatchObject({ type: 'numeric', inferred: true });
    expect(Array.from((column(table.columns, 'Do Not Email') as { values: Int8Array }).values)).toEqual([0, 1, 0]);
    expect(report.columns.find((entry) => entry.name === 'Specialization')).toMatchObject({ missing: 2, distinct: 1 });
  });
});

describe('importLeads type and order checks', () => {
  it('rejects bad labels, minimums, booleans and order values', async () => {
    const text = [
      'id,order,won,visits,opted_in',
      '1,10,yes,3,Yes',
      '2,11,maybe,3,No', // label outside the listed values
      '3,12,no,-1,No', // below the minimum of 0
      '4,13,no,2,perhaps', // not a yes/no value
      '5,soon,yes,1,Yes', // order value neither number nor date
      '6,2024-01-05,no,0,', // a date is a valid order value, a blank boolean is missing
    ].join('\n');

    const { table, report } = await importLeads({
      sourcePath: writeCsv(text),
      label: { mode: 'column', column: 'won', positiveValues: ['yes'], negativeValues: ['no'] },
      columns: { visits: { type: 'numeric', min: 0 }, opted_in: { type: 'boolean' } },
      excludeColumns: ['id', 'order'],
      orderColumn: 'order',
    });

    expect(report.counts).toEqual({ rowsRead: 6, rowsUsed: 2, won: 1, lost: 1, censored: 0, rejected: 4 });
    expect(report.rejected.map((cell) => [cell.row, cell.column, cell.reason])).toEqual([
      [3, 'won', 'unknown-label'],
      [4, 'visits', 'below-minimum'],
      [5, 'opted_in', 'invalid-boolean'],
      [6, 'order', 'invalid-order-value'],
    ]);
    expect(Array.from(table.orderValues)).toEqual([10, 19727]);
  });
});

describe('importLeads column placeholders', () => {
  it('stores missingValues as missing before checking the minimum', async () => {
    const text = ['id,won,days_since_contact', '1,yes,4', '2,no,-1', '3,no,9999', '4,yes,-2'].join('\n');
    const { table, report } = await importLeads({
      sourcePath: writeCsv(text),
      label: { mode: 'column', column: 'won', positiveValues: ['yes'], negativeValues: ['no'] },
      columns: { days_since_contact: { type: 'numeric', min: 0, missingValues: ['-1', '9999'] } },
      excludeColumns: ['id'],
    });

    expect(report.counts).toMatchObject({ rowsUsed: 3, rejected: 1 });
    expect(report.rejected.map((cell) => [cell.row, cell.reason])).toEqual([[5, 'below-minimum']]);
    expect(Array.from((column(table.columns, 'days_since_contact') as { values: Float64Array }).values)).toEqual([4, Number.NaN, Number.NaN]);
    expect(report.columns.find((entry) => entry.name === 'days_since_contact')).toMatchObject({ missing: 2 });
  });
});

describe('importLeads header checks', () => {
  const label = { mode: 'column' as const, column: 'won', positiveValues: ['1'] };

  it('rejects a repeated column name', async () => {
    const sourcePath = writeCsv('id,won,source,source\n1,1,web,ad\n');
    await expect(importLeads({ sourcePath, label })).rejects.toThrow(/repeats column 'source'/);
  });

  it('skips the nameless column of a trailing delimiter', async () => {
    const { table, report } = await importLeads({ sourcePath: writeCsv('id,won,source,\n1,1,web,\n2,0,ad,\n'), label, excludeColumns: ['id'] });

    expect(table.columns.map((column) => column.name)).toEqual(['source']);
    expect(report.counts).toMatchObject({ rowsRead: 2, rowsUsed: 2, rejected: 0 });
  });

  it('warns about a column that looks like an id or an email address', async () => {
    const rows = Array.from({ length: 60 }, (_, index) => `${index},lead${index}@example.com,${index % 3 === 0 ? 'web' : 'event'},${index % 2 === 0 ? 'yes' : 'no'}`);
    const { report } = await importLeads({
      sourcePath: writeCsv(['id,email,source,won', ...rows].join('\n')),
      label: { mode: 'column', column: 'won', positiveValues: ['yes'], negativeValues: ['no'] },
      excludeColumns: ['id'],
    });

    const warnings = report.warnings.filter((warning) => warning.includes('looks like an id'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("column 'email' has 60 distinct values in 60 leads");
  });
});
