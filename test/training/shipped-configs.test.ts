import { describe, expect, it } from 'vitest';

import { loadDatasetConfig } from '../../src/core/dataset-config.ts';
import { importFromConfig } from '../../training/lead-table.ts';

// Exact label counts of the bundled exports; a change here changes every shipped model.
const EXPECTED = [
  { config: 'data/x-education.config.json', counts: { rowsRead: 9240, rowsUsed: 9240, won: 3561, censored: 0, rejected: 0 } },
  { config: 'data/olist.config.json', counts: { rowsRead: 8000, rowsUsed: 5997, won: 677, censored: 0, rejected: 2003 } },
  {
    config: 'data/crm-sales-pipeline.config.json',
    counts: { rowsRead: 8800, rowsUsed: 7005, won: 2931, censored: 110, rejected: 1685 },
  },
  { config: 'data/bank-marketing.config.json', counts: { rowsRead: 41188, rowsUsed: 41188, won: 4640, censored: 0, rejected: 0 } },
];

describe('shipped dataset configs', () => {
  for (const { config, counts } of EXPECTED) {
    it(`imports ${config} with exact counts`, async () => {
      const { report, table } = await importFromConfig(await loadDatasetConfig(config));

      expect(report.counts).toMatchObject(counts);
      expect(report.counts.rowsUsed + report.counts.censored + report.counts.rejected).toBe(report.counts.rowsRead);
      expect(table.rowCount).toBe(counts.rowsUsed);
    });
  }

  it('keeps leakage columns out of the features', async () => {
    const olist = await importFromConfig(await loadDatasetConfig('data/olist.config.json'));
    const crm = await importFromConfig(await loadDatasetConfig('data/crm-sales-pipeline.config.json'));
    const bank = await importFromConfig(await loadDatasetConfig('data/bank-marketing.config.json'));

    expect(olist.table.columns.map((column) => column.name)).toEqual(['first_contact_date', 'landing_page_id', 'origin']);
    expect(crm.table.columns.map((column) => column.name)).not.toContain('close_value');
    expect(bank.table.columns.map((column) => column.name)).not.toContain('duration');
  });

  it('reads the bank pdays placeholder 999 as missing', async () => {
    const { report, table } = await importFromConfig(await loadDatasetConfig('data/bank-marketing.config.json'));

    // 39,673 of the 41,188 calls reached clients never contacted before, whose pdays is 999.
    expect(report.columns.find((column) => column.name === 'pdays')).toMatchObject({ type: 'numeric', missing: 39_673 });
    const pdays = table.columns.find((column) => column.name === 'pdays') as { values: Float64Array };
    expect(Math.max(...pdays.values.filter((value) => !Number.isNaN(value)))).toBe(27);
  });

  it('rejects the Olist deal won before first contact', async () => {
    const { report } = await importFromConfig(await loadDatasetConfig('data/olist.config.json'));

    const early = report.rejected.filter((cell) => cell.reason === 'won-before-created');
    expect(early).toHaveLength(1);
    expect(early[0]!.row).toBe(6359);
    expect(report.wonDeals).toMatchObject({ wins: 842, unmatchedKeys: 0 });
  });
});
