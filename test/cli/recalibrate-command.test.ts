import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { readActiveVersion, setActiveVersion } from '../../src/core/model-registry.ts';
import { trainModel, type TrainResult } from '../../training/train.ts';
import { X_EDUCATION_CONFIG } from '../helpers/model-fixture.ts';
import { writeShiftedLeads } from '../training/x-education-outcomes.ts';

const CLI = path.resolve(import.meta.dirname, '../../bin/leadscore.js');

function runCli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
}

describe('leadscore recalibrate', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-recalibrate-cli-'));
  const modelsDir = path.join(folder, 'models');
  let source: TrainResult;

  beforeAll(async () => {
    source = await trainModel({
      configPath: X_EDUCATION_CONFIG,
      modelsDir,
      limitRows: 2000,
      modelOverrides: { type: 'logistic', epochs: 8, patience: 3 },
      now: () => new Date('2030-01-01T00:00:00Z'),
    });
    await setActiveVersion(modelsDir, source.version);
    writeShiftedLeads(path.join(folder, 'recent.csv'), { from: 3000, to: 4999, keepWinChance: 0.3, seed: 1, cells: { 9: { TotalVisits: 'many' } } });
    writeShiftedLeads(path.join(folder, 'few.csv'), { from: 3000, to: 3049, keepWinChance: 1, seed: 2 });
  }, 60_000);

  it('prints the metrics before and after and activates the new version', async () => {
    const result = runCli(['recalibrate', '--config', X_EDUCATION_CONFIG, '--outcomes', 'recent.csv', '--out', 'models', '--activate'], folder);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('rejected invalid-number: 1 (row 9 column \'TotalVisits\')');
    expect(result.stdout).toContain(`recalibrated ${source.version} with platt on 1999 closed leads`);
    expect(result.stdout).toMatch(/held out: fitted on the older 1599 leads, measured on the newest 400/);
    expect(result.stdout).toMatch(/before ECE 0\.\d{4} {2}Brier/);
    expect(result.stdout).toMatch(/after {2}ECE 0\.\d{4} {2}Brier/);
    expect(result.stdout).toContain('so "after" is optimistic');
    const version = /model (\S+-recalibrated) is now active/.exec(result.stdout)?.[1];
    expect(version).toBeDefined();
    expect(await readActiveVersion(modelsDir)).toBe(version);
  }, 60_000);

  it('names the short counts and writes no model', async () => {
    const before = await readdir(modelsDir);

    const result = runCli(['recalibrate', '--config', X_EDUCATION_CONFIG, '--outcomes', 'few.csv', '--out', 'models', '--model', source.version], folder);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not enough outcomes to recalibrate: the export has only 50 closed leads (minimum 100)');
    expect(await readdir(modelsDir)).toEqual(before);
  }, 60_000);

  it('rejects an unknown method', () => {
    const result = runCli(['recalibrate', '--config', X_EDUCATION_CONFIG, '--outcomes', 'recent.csv', '--method', 'beta'], folder);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("option '--method <name>' argument 'beta' is invalid. Expected platt or isotonic.");
  });
});
