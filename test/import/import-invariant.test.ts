import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { tmpdir } from 'node:os';

import { importLeads } from '../../src/core/import/import-leads.ts';
import { LabelFromDates } from '../../src/core/import/import-settings.ts';
import { writeSyntheticExport } from '../../training/synthetic-export.ts';

const rules = LabelFromDates.parse({
  createdColumn: 'created_date',
  outcomeColumn: 'stage',
  wonValues: ['Won'],
  lostValues: ['Lost'],
  openValues: ['Engaging', 'Prospecting'],
  closedColumn: 'close_date',
});

describe('import invariant', () => {
  for (const seed of [1, 2, 3]) {
    it(`adds up rows read for seed ${seed}`, async () => {
      const filePath = path.join(tmpdir(), `leadscore-invariant-${seed}-${process.pid}.csv`);
      await writeSyntheticExport(filePath, 5_000, seed);

      const { table, report } = await importLeads({
        sourcePath: filePath,
        label: { mode: 'dates', rules },
        missingTokens: ['Select', 'unknown', 'NA'],
        columns: { visits: { type: 'numeric', min: 0 } },
        excludeColumns: ['deal_id'],
      });
      const { counts } = report;

      expect(counts.rowsRead).toBe(5_000);
      expect(counts.rowsUsed + counts.censored + counts.rejected).toBe(counts.rowsRead);
      expect(counts.won + counts.lost).toBe(counts.rowsUsed);
      expect(table.rowCount).toBe(counts.rowsUsed);
      expect(new Set(report.rejected.map((cell) => cell.row)).size).toBe(counts.rejected);
      expect(counts.rejected).toBeGreaterThan(0);
      expect(counts.censored).toBeGreaterThan(0);
    });
  }
});
