import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { InvalidInputError } from '../../src/core/errors.ts';
import { retrainModel } from '../../training/retrain.ts';
import { createSyntheticDataset } from '../training/synthetic-config.ts';

const CLI = path.resolve(import.meta.dirname, '../../bin/leadscore.js');

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('leadscore retrain', () => {
  it.each([
    ['--auc-margin', 'abc'],
    ['--auc-margin', '-1'],
    ['--auc-margin', 'Infinity'],
    ['--auc-margin', ''],
    ['--log-loss-margin', 'NaN'],
    ['--log-loss-margin', '-0.01'],
  ])('rejects %s %j', async (option, value) => {
    const dataset = await createSyntheticDataset({ rows: 200 });

    const result = runCli(['retrain', '--config', dataset.configPath, option, value], dataset.folder);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`option '${option} <number>' argument '${value}' is invalid`);
    expect(result.stderr).toContain('A margin must be a finite number of at least 0');
    expect(await readdir(dataset.folder)).not.toContain('models');
  });

  it('writes to MODELS_DIR without --out', async () => {
    const dataset = await createSyntheticDataset({ rows: 2000 });

    const result = runCli(['retrain', '--config', dataset.configPath, '--auc-margin', '0.01'], dataset.folder, { MODELS_DIR: 'served-models' });

    expect(result.status, result.stderr).toBe(0);
    expect(await readdir(dataset.folder)).toContain('served-models');
    expect(await readdir(dataset.folder)).not.toContain('models');
    expect(await readdir(path.join(dataset.folder, 'served-models'))).toContain('active.json');
  });
});

describe('retrainModel margins', () => {
  it.each([
    ['aucMargin', { aucMargin: Number.NaN }],
    ['logLossMargin', { logLossMargin: -1 }],
  ])('rejects an invalid %s', async (name, margins) => {
    const dataset = await createSyntheticDataset({ rows: 200 });

    const retrain = retrainModel({ configPath: dataset.configPath, modelsDir: dataset.modelsDir, ...margins });

    await expect(retrain).rejects.toThrow(InvalidInputError);
    await expect(retrain).rejects.toThrow(`${name} `);
    await expect(retrain).rejects.toThrow('a margin must be a finite number of at least 0');
  });
});
