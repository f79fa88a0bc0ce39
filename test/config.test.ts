import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadServerConfig } from '../src/config.ts';
import { loadDatasetConfig } from '../src/core/dataset-config.ts';

describe('loadServerConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadServerConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.MODELS_DIR).toBe('models');
  });

  it('parses tier thresholds from LEADSCORE_TIERS', () => {
    const config = loadServerConfig({ LEADSCORE_TIERS: 'hot:0.5,cold:0' });
    expect(config.LEADSCORE_TIERS).toEqual([
      { name: 'hot', minProbability: 0.5 },
      { name: 'cold', minProbability: 0 },
    ]);
  });

  it('names the variable, its value and the rule when a setting is invalid', () => {
    expect(() => loadServerConfig({ PORT: '70000', LOG_LEVEL: 'loud' })).toThrow(/PORT="70000"[\s\S]*LOG_LEVEL="loud"/);
    expect(() => loadServerConfig({ LEADSCORE_TIERS: 'hot:0.2,warm:0.5,cold:0' })).toThrow(/must have a lower threshold/);
  });
});

describe('loadDatasetConfig', () => {
  it('loads the bundled X Education config with its leakage exclusions', async () => {
    const loaded = await loadDatasetConfig(path.resolve(import.meta.dirname, '../data/x-education.config.json'));
    expect(loaded.config.leakageColumns.map((entry) => entry.column)).toContain('Lead Quality');
    expect(loaded.config.missingTokens).toContain('Select');
    expect(loaded.sourcePath).toMatch(/data[/\\]x-education[/\\]Leads\.csv$/);
  });

  it('lists every invalid setting with its path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-config-'));
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ name: 'ok', source: 'a.csv', idColumn: 'id', labelColumn: 'won', orderColumn: 'n', model: { type: 'forest' } }));
    await expect(loadDatasetConfig(file)).rejects.toThrow(/model\.type: Invalid option: expected one of "logistic"\|"mlp"/);
  });

  it('reports JSON syntax errors with the file name', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-config-'));
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{ "name": ');
    await expect(loadDatasetConfig(file)).rejects.toThrow(/broken\.json' is not valid JSON/);
  });
});

describe('loadServerConfig PORT', () => {
  it('rejects an empty or non-numeric PORT with the allowed range', () => {
    expect(() => loadServerConfig({ PORT: '' })).toThrow(/PORT="": must be a whole number from 0 to 65535/);
    expect(() => loadServerConfig({ PORT: 'abc' })).toThrow(/PORT="abc": must be a whole number from 0 to 65535/);
  });

  it('accepts 0, which asks the system for a free port', () => {
    expect(loadServerConfig({ PORT: '0' }).PORT).toBe(0);
  });
});
