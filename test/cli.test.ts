import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin/leadscore.js');

let workDir: string;
let configPath: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-cli-'));
  const config = JSON.parse(await readFile(path.join(ROOT, 'data/x-education.config.json'), 'utf8'));
  config.source = path.join(ROOT, 'data/x-education/Leads.csv');
  config.model = { ...config.model, type: 'logistic', epochs: 5 };
  configPath = path.join(workDir, 'quick.config.json');
  await writeFile(configPath, JSON.stringify(config));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: workDir, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('leadscore --help', () => {
  it('lists the train, serve and start commands', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    for (const command of ['train', 'serve', 'start']) expect(result.stdout).toContain(command);
  });

  it('prints the package version', () => {
    const result = runCli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('documents the options of train and serve', () => {
    expect(runCli(['train', '--help']).stdout).toContain('--config <file>');
    expect(runCli(['serve', '--help']).stdout).toContain('--model <dir>');
  });
});

describe('leadscore train', () => {
  it('prints epochs, then the model version and its test metrics, and activates the model', async () => {
    const result = runCli(['train', '--config', configPath, '--out', 'models']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/epoch\s+1\/5\s+loss \d\.\d{4}/);
    const version = /model (x-education-\d{8}-\d{6}-logistic) written/.exec(result.stdout)?.[1];
    expect(version).toBeDefined();
    expect(result.stdout).toMatch(/AUC 0\.\d{4}\s+PR-AUC/);
    const active = JSON.parse(await readFile(path.join(workDir, 'models/active.json'), 'utf8'));
    expect(active.version).toBe(version);
  });

  it('writes to MODELS_DIR when --out is not given', async () => {
    const result = runCli(['train', '--config', configPath, '--no-activate'], { MODELS_DIR: 'models-from-env' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/written to models-from-env[/\\]x-education-/);
  });

  it('fails with a message naming the setting when the config is invalid', async () => {
    const badConfig = path.join(workDir, 'bad.config.json');
    await writeFile(badConfig, JSON.stringify({ name: 'Bad Name', source: 'x.csv' }));
    const result = runCli(['train', '--config', badConfig]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('name: use lowercase letters, digits and dashes');
    expect(result.stderr).toContain('labelColumn');
  });
});

describe('leadscore start', () => {
  it('reuses the active model instead of retraining', async () => {
    const child = spawn(process.execPath, [CLI, 'start'], {
      cwd: workDir,
      env: { ...process.env, PORT: '0', MODELS_DIR: 'models', LOG_LEVEL: 'info' },
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start; output:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    child.kill('SIGTERM');
    expect(output).toContain('serving the trained model in models/');
    expect(output).not.toContain('epoch');
  });

  it('stops with a message naming the variable when PORT is invalid', () => {
    const result = runCli(['start'], { PORT: 'eighty' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT="eighty"');
  });
});
