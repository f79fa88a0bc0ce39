import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/leadscore.js');

let workDir: string;
let configPath: string;
let modelDir: string;

function runCli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: workDir, encoding: 'utf8' });
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-explain-cli-'));
  const config = JSON.parse(await readFile(path.join(ROOT, 'data/x-education.config.json'), 'utf8'));
  config.source = path.join(ROOT, 'data/x-education/Leads.csv');
  config.model = { ...config.model, type: 'logistic', epochs: 5 };
  configPath = path.join(workDir, 'quick.config.json');
  await writeFile(configPath, JSON.stringify(config));

  const trained = runCli(['train', '--config', configPath, '--out', 'models', '--no-activate']);
  expect(trained.status, trained.stderr).toBe(0);
  const [version] = (await readdir(path.join(workDir, 'models'))).filter((name) => name.startsWith('x-education-'));
  modelDir = path.join(workDir, 'models', version!);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('leadscore report importance', () => {
  it('writes the HTML page and the JSON numbers', async () => {
    const result = runCli(['report', 'importance', '--model', modelDir, '--config', configPath, '--out', 'importance', '--repeats', '1']);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('importance report written to');
    const html = await readFile(path.join(workDir, 'importance/importance.html'), 'utf8');
    const report = JSON.parse(await readFile(path.join(workDir, 'importance/importance.json'), 'utf8'));
    expect(html).toContain('<svg ');
    expect(report.permutation.repeats).toBe(1);
    expect(report.attribution.method).toBe('exact-linear');
  });

  it('exits 1 naming the option when repeats is 0', () => {
    const result = runCli(['report', 'importance', '--model', modelDir, '--config', configPath, '--repeats', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--repeats '0' is invalid; expected a whole number from 1 to 100");
  });

  it('is listed beside the calibration report', () => {
    const result = runCli(['report', '--help']);
    expect(result.stdout).toContain('importance');
    expect(result.stdout).toContain('calibration');
  });
});

describe('leadscore score', () => {
  it('exits 2 and names the row when a row is invalid', async () => {
    const leads = (await readFile(path.join(ROOT, 'data/x-education/Leads.csv'), 'utf8')).split(/\r?\n/).slice(0, 4);
    // The first lead again, with TotalVisits (after Do Not Email, Do Not Call, Converted) set to -1.
    const negativeVisits = leads[1]!.replace(',No,No,0,0,0,0,', ',No,No,0,-1,0,0,');
    expect(negativeVisits).not.toBe(leads[1]);
    leads.push(negativeVisits);
    await writeFile(path.join(workDir, 'leads.csv'), `${leads.join('\n')}\n`);

    const result = runCli(['score', '--model', modelDir, '--data', 'leads.csv', '--out', 'scored.csv']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('row 5: TotalVisits must be at least 0, got "-1"');
    expect(result.stdout).toContain('scored 3 of 4 leads');
    const scored = (await readFile(path.join(workDir, 'scored.csv'), 'utf8')).trim().split('\r\n');
    expect(scored).toHaveLength(5);
  });

  it('names the output file it cannot write', async () => {
    const leads = (await readFile(path.join(ROOT, 'data/x-education/Leads.csv'), 'utf8')).split(/\r?\n/).slice(0, 3);
    await writeFile(path.join(workDir, 'few-leads.csv'), `${leads.join('\n')}\n`);

    const result = runCli(['score', '--model', modelDir, '--data', 'few-leads.csv', '--out', 'no-such-folder/scored.csv']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--out 'no-such-folder/scored.csv' could not be written");
  });

  it('documents its options', () => {
    const help = runCli(['score', '--help']).stdout;
    for (const option of ['--model <dir>', '--data <file>', '--out <file>', '--reasons <count>']) expect(help).toContain(option);
  });
});
