import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { setActiveVersion } from '../../src/core/model-registry.ts';
import { buildTestApp, makeTempDir, sampleAttributes, trainTestModels, type TestApp } from '../helpers/test-app.ts';

let testApp: TestApp;
let versions: string[];
let modelsDir: string;
let removeDir: () => Promise<void>;
const logLines: string[] = [];

beforeAll(async () => {
  const temp = await makeTempDir('active-file');
  removeDir = temp.remove;
  modelsDir = path.join(temp.dir, 'models');
  versions = await trainTestModels(modelsDir, 2);
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  testApp = await buildTestApp({
    modelsDir,
    database: { dataDir: path.join(temp.dir, 'data') },
    activeFileIntervalMs: 50,
    logLevel: 'info',
    logStream,
  });
});
afterAll(async () => {
  await testApp.app.close();
  await removeDir();
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition() && Date.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('models/active.json changed by another process', () => {
  it('swaps in the version it names', async () => {
    const [oldVersion, newVersion] = versions as [string, string];
    expect(testApp.app.models.active.version).toBe(oldVersion);

    await setActiveVersion(modelsDir, newVersion);
    await waitFor(() => testApp.app.models.active.version === newVersion);

    expect(testApp.app.models.active.version).toBe(newVersion);
    const response = await testApp.app.inject({ method: 'POST', url: '/v1/predict', headers: testApp.headers, payload: { leads: [sampleAttributes()] } });
    expect(response.statusCode).toBe(200);
    expect(response.json().modelVersion).toBe(newVersion);
    expect(logLines.some((line) => line.includes('active model changed on disk; now serving it') && line.includes(newVersion))).toBe(true);
  });

  it('keeps serving when the named version cannot load', async () => {
    const served = testApp.app.models.active.version;

    await writeFile(path.join(modelsDir, 'active.json'), `${JSON.stringify({ version: 'no-such-model' })}\n`);
    await waitFor(() => logLines.some((line) => line.includes('could not be loaded')));

    expect(logLines.some((line) => line.includes('could not be loaded') && line.includes('no-such-model'))).toBe(true);
    expect(testApp.app.models.active.version).toBe(served);
    const response = await testApp.app.inject({ method: 'POST', url: '/v1/predict', headers: testApp.headers, payload: { leads: [sampleAttributes()] } });
    expect(response.statusCode).toBe(200);
  });
});
