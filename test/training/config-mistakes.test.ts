import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadDatasetConfig } from '../../src/core/dataset-config.ts';
import { checkMinimumData } from '../../training/data-guard.ts';
import { importFromConfig } from '../../training/lead-table.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-mistakes-'));
writeFileSync(path.join(folder, 'leads.csv'), 'id,n,Tags,source,won\n1,1,Closed,web,1\n2,2,Ringing,ads,0\n');

function writeConfig(name: string, overrides: object): string {
  const configPath = path.join(folder, `${name}.config.json`);
  const config = { name, source: 'leads.csv', idColumn: 'id', labelColumn: 'won', orderColumn: 'n', ...overrides };
  writeFileSync(configPath, JSON.stringify(config));
  return configPath;
}

describe('config mistakes', () => {
  it('rejects a leakage column that is not in the export, suggesting the spelling', async () => {
    const loaded = await loadDatasetConfig(writeConfig('leak-typo', { leakageColumns: [{ column: 'tags', reason: 'set by sales' }] }));
    await expect(importFromConfig(loaded)).rejects.toThrow(/column 'tags' not found in leads\.csv \(did you mean 'Tags'\?\)/);
  });

  it('rejects an ignored column that is not in the export', async () => {
    const loaded = await loadDatasetConfig(writeConfig('ignore-typo', { ignoreColumns: ['Nope'] }));
    await expect(importFromConfig(loaded)).rejects.toThrow(/column 'Nope' not found in leads\.csv; its columns are 'id', 'n'/);
  });

  it('names the setting and the path when the source file is missing', async () => {
    const loaded = await loadDatasetConfig(writeConfig('missing-source', { source: 'nowhere.csv' }));
    await expect(importFromConfig(loaded)).rejects.toThrow(/source in '.*missing-source\.config\.json' names '.*nowhere\.csv', which does not exist/);
  });
});

describe('checkMinimumData', () => {
  const counts = { rowsRead: 2000, rowsUsed: 2000, censored: 0, rejected: 0, won: 0, lost: 2000 };

  it('points at positiveValues when no lead counts as won', () => {
    expect(() => checkMinimumData(counts, { leads: 1000, wins: 100 }, false)).toThrow(/no lead counts as won: check that positiveValues/);
  });

  it('points at column types when most rows were rejected', () => {
    const mostlyRejected = { ...counts, rowsUsed: 30, rejected: 1970, won: 10, lost: 20 };
    expect(() => checkMinimumData(mostlyRejected, { leads: 1000, wins: 100 }, false)).toThrow(/most rows were rejected: check the column types/);
  });

  it('returns the shortfall instead of throwing when forced', () => {
    expect(checkMinimumData(counts, { leads: 1000, wins: 100 }, true)).toBe('only 0 wins (minimum 100)');
  });
});
