import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createApiKey, hashApiKey, revokeApiKey } from '../../src/db/api-keys.ts';
import { loadServerConfig } from '../../src/config.ts';
import { buildTestApp, makeTempDir, trainTestModels, type TestApp } from '../helpers/test-app.ts';

let testApp: TestApp;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  ({ dir, remove: removeDir } = await makeTempDir('keys'));
  await trainTestModels(`${dir}/models`);
  testApp = await buildTestApp({ modelsDir: `${dir}/models`, database: { dataDir: `${dir}/data` } });
});
afterAll(async () => {
  await testApp.app.close();
  await removeDir();
});

describe('API keys', () => {
  it('returns 401 with a clear message when the key is missing', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/leads' });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(response.json().message).toMatch(/missing API key.*x-api-key/);
  });

  it('returns 401 when the key is wrong', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-api-key': 'lsk_wrong' } });

    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/invalid API key/);
  });

  it('accepts the key as x-api-key or as a bearer token', async () => {
    const key = testApp.headers['x-api-key'];

    const header = await testApp.app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-api-key': key } });
    const bearer = await testApp.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } });

    expect(header.statusCode).toBe(200);
    expect(bearer.statusCode).toBe(200);
  });

  it('leaves /healthz and /docs/json open', async () => {
    expect((await testApp.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await testApp.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });

  it('stores only the SHA-256 hash of a key', async () => {
    const key = testApp.headers['x-api-key'];

    const rows = await testApp.app.db.apiKey.findMany();

    expect(rows.some((row) => row.keyHash === hashApiKey(key))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(key);
  });

  it('rejects a revoked key', async () => {
    const { app } = await buildTestApp({ modelsDir: `${dir}/models`, database: { dataDir: `${dir}/data` } });
    const { key } = await createApiKey(app.db, 'short-lived');
    const row = await app.db.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } });
    await revokeApiKey(app.db, row.id);

    const response = await app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-api-key': key } });

    expect(response.statusCode).toBe(401);
    await app.close();
  });

  it('lets every request through when disabled', async () => {
    const { app } = await buildTestApp({ modelsDir: `${dir}/models`, database: { dataDir: `${dir}/data` }, apiKeys: 'disabled' });

    const response = await app.inject({ method: 'GET', url: '/v1/models' });

    expect(response.statusCode).toBe(200);
    await app.close();
  });
});

describe('LEADSCORE_API_KEYS setting', () => {
  it('allows disabled keys on a loopback host', () => {
    expect(loadServerConfig({ LEADSCORE_API_KEYS: 'disabled', HOST: '127.0.0.1' }).LEADSCORE_API_KEYS).toBe('disabled');
  });

  it('rejects disabled keys on a public host, naming the variable', () => {
    expect(() => loadServerConfig({ LEADSCORE_API_KEYS: 'disabled', HOST: '0.0.0.0' })).toThrow(/LEADSCORE_API_KEYS="disabled".*loopback/);
  });

  it('rejects a DATABASE_URL that is not PostgreSQL', () => {
    expect(() => loadServerConfig({ DATABASE_URL: 'mysql://localhost/db' })).toThrow(/DATABASE_URL="mysql:\/\/localhost\/db".*postgres/);
  });
});

describe('API key use', () => {
  it('records when a key was last used', async () => {
    const key = testApp.headers['x-api-key'];
    await testApp.app.inject({ method: 'GET', url: '/v1/models', headers: testApp.headers });

    await vi.waitFor(async () => {
      const row = await testApp.app.db.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } });
      expect(row.lastUsedAt).not.toBeNull();
    });
  });
});
