import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTestApp, makeTempDir, sampleAttributes, trainTestModels, type TestApp } from '../helpers/test-app.ts';

let testApp: TestApp;
let versions: string[];
let removeDir: () => Promise<void>;

beforeAll(async () => {
  const temp = await makeTempDir('model-versions');
  removeDir = temp.remove;
  versions = await trainTestModels(`${temp.dir}/models`, 2);
  testApp = await buildTestApp({ modelsDir: `${temp.dir}/models`, database: { dataDir: `${temp.dir}/data` } });
});
afterAll(async () => {
  await testApp.app.close();
  await removeDir();
});

async function listModels() {
  const response = await testApp.app.inject({ method: 'GET', url: '/v1/models', headers: testApp.headers });
  expect(response.statusCode).toBe(200);
  return response.json().models as { version: string; status: string; metrics: { auc: number } | null }[];
}

describe('GET /v1/models', () => {
  it('lists every trained version with its status and test metrics', async () => {
    const models = await listModels();

    expect(models.map((model) => model.version).sort()).toEqual([...versions].sort());
    expect(models.find((model) => model.version === versions[0])?.status).toBe('active');
    expect(models.find((model) => model.version === versions[1])?.status).toBe('candidate');
    expect(models[0]?.metrics?.auc).toBeGreaterThan(0.5);
  });
});

describe('POST /v1/models/:version/activate', () => {
  it('swaps models without failing concurrent requests', async () => {
    const [oldVersion, newVersion] = versions as [string, string];
    await testApp.app.inject({ method: 'PUT', url: '/v1/leads/swap-1', headers: testApp.headers, payload: { attributes: sampleAttributes() } });
    const predict = () =>
      testApp.app.inject({ method: 'POST', url: '/v1/predict', headers: testApp.headers, payload: { leads: [sampleAttributes()] } });
    const score = () => testApp.app.inject({ method: 'POST', url: '/v1/leads/swap-1/score', headers: testApp.headers });

    const before = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? predict() : score()));
    const activation = testApp.app.inject({ method: 'POST', url: `/v1/models/${newVersion}/activate`, headers: testApp.headers });
    const during = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? predict() : score()));
    const responses = await Promise.all([...before, ...during]);
    const activated = await activation;

    expect(activated.statusCode).toBe(200);
    expect(activated.json()).toEqual({ version: newVersion, previousVersion: oldVersion, status: 'active' });
    expect(responses.map((response) => response.statusCode)).toEqual(responses.map(() => 200));
    for (const response of responses) expect([oldVersion, newVersion]).toContain(response.json().modelVersion);

    const after = await predict();
    expect(after.json().modelVersion).toBe(newVersion);
    const statuses = Object.fromEntries((await listModels()).map((model) => [model.version, model.status]));
    expect(statuses).toEqual({ [newVersion]: 'active', [oldVersion]: 'retired' });
  });

  it('returns 404 naming the version when it does not exist', async () => {
    const before = testApp.app.models.active.version;

    const response = await testApp.app.inject({ method: 'POST', url: '/v1/models/no-such-model/activate', headers: testApp.headers });

    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/no-such-model/);
    expect(testApp.app.models.active.version).toBe(before);
  });
});

describe('activation on a server pinned to one model folder', () => {
  it('returns 409 and keeps the pinned model', async () => {
    const temp = await makeTempDir('pinned-model');
    const modelsDir = `${temp.dir}/models`;
    const [pinned, other] = (await trainTestModels(modelsDir, 2)) as [string, string];
    const pinnedApp = await buildTestApp({ modelsDir, modelDir: `${modelsDir}/${pinned}`, database: { dataDir: `${temp.dir}/data` } });

    const response = await pinnedApp.app.inject({ method: 'POST', url: `/v1/models/${other}/activate`, headers: pinnedApp.headers });
    const served = pinnedApp.app.models.active.version;
    await pinnedApp.app.close();
    await temp.remove();

    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/cannot activate/);
    expect(served).toBe(pinned);
  });
});
