import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../src/db/database.ts';
import { buildTestApp, makeTempDir, sampleAttributes, trainTestModels } from '../helpers/test-app.ts';

const CRASH_SCRIPT = fileURLToPath(new URL('../fixtures/crash-mid-import.ts', import.meta.url));

let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  ({ dir, remove: removeDir } = await makeTempDir('reliability'));
  await trainTestModels(`${dir}/models`);
});
afterAll(() => removeDir());

describe('concurrent writes', () => {
  it('keeps one lead after 30 racing upserts', async () => {
    const { app, headers } = await buildTestApp({ modelsDir: `${dir}/models`, database: { dataDir: `${dir}/concurrent` } });
    const sent = Array.from({ length: 30 }, (_, index) => sampleAttributes({ TotalVisits: index }));

    const responses = await Promise.all(
      sent.map((attributes) => app.inject({ method: 'PUT', url: '/v1/leads/race-1', headers, payload: { attributes } })),
    );

    expect(responses.map((response) => response.statusCode)).toEqual(sent.map(() => 200));
    const rows = await app.db.lead.findMany({ where: { externalId: 'race-1' } });
    expect(rows).toHaveLength(1);
    expect(sent).toContainEqual(rows[0]!.attributes);
    await app.close();
  });

  it('loses no concurrent distinct writes', async () => {
    const { app, headers } = await buildTestApp({ modelsDir: `${dir}/models`, database: { dataDir: `${dir}/concurrent-many` } });
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        app.inject({ method: 'PUT', url: `/v1/leads/many-${index}`, headers, payload: { attributes: sampleAttributes() } }),
      ),
    );
    const batch = { activities: Array.from({ length: 25 }, () => ({ type: 'email_open', occurredAt: '2026-06-01T10:00:00Z' })) };

    const imports = await Promise.all(
      Array.from({ length: 8 }, () => app.inject({ method: 'POST', url: '/v1/leads/many-0/activities', headers, payload: batch })),
    );

    expect(imports.map((response) => response.statusCode)).toEqual(imports.map(() => 201));
    expect(await app.db.lead.count()).toBe(40);
    expect(await app.db.activity.count()).toBe(8 * 25);
    await app.close();
  });
});

describe('crash mid-import', () => {
  it('rolls back a batch killed mid-import', async () => {
    const dataDir = `${dir}/crash`;

    const child = spawnSync(process.execPath, ['--import', 'tsx', CRASH_SCRIPT, dataDir], { encoding: 'utf8', timeout: 60_000 });

    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toContain('written 100');
    expect(child.stdout).not.toContain('finished');
    const database = await openDatabase({ dataDir });
    try {
      expect(await database.client.lead.count({ where: { externalId: 'crash-lead' } })).toBe(1);
      expect(await database.client.activity.count()).toBe(0);
    } finally {
      await database.close();
    }
  });
});

describe('restart', () => {
  it('keeps all data across a rebuild', async () => {
    const options = { modelsDir: `${dir}/models`, database: { dataDir: `${dir}/restart` } };
    const first = await buildTestApp(options);
    await first.app.inject({ method: 'PUT', url: '/v1/leads/keep-1', headers: first.headers, payload: { attributes: sampleAttributes() } });
    await first.app.inject({
      method: 'POST',
      url: '/v1/leads/keep-1/activities',
      headers: first.headers,
      payload: { activities: [{ type: 'form_submit', occurredAt: new Date().toISOString() }] },
    });
    const scored = (await first.app.inject({ method: 'POST', url: '/v1/leads/keep-1/score', headers: first.headers })).json();
    await first.app.inject({ method: 'POST', url: '/v1/webhooks', headers: first.headers, payload: { url: 'http://127.0.0.1:9/x', tiers: ['hot'] } });
    await first.app.close();

    const second = await buildTestApp(options);
    const history = await second.app.inject({ method: 'GET', url: '/v1/leads/keep-1/scores', headers: first.headers });
    const hooks = await second.app.inject({ method: 'GET', url: '/v1/webhooks', headers: first.headers });
    const list = await second.app.inject({ method: 'GET', url: '/v1/leads', headers: first.headers });

    expect(history.statusCode).toBe(200);
    expect(history.json().scores).toHaveLength(1);
    expect(history.json().scores[0].probability).toBe(scored.probability);
    expect(hooks.json().webhooks).toHaveLength(1);
    expect(list.json().leads.map((lead: { externalId: string }) => lead.externalId)).toEqual(['keep-1']);
    expect(await second.app.db.activity.count()).toBe(1);
    await second.app.close();
  });
});
