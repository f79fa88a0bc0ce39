import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../src/db/database.ts';
import { dropSchema, isolatedSchemaUrl, postgresAvailable, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { buildTestApp, makeTempDir, sampleAttributes, trainTestModels } from '../helpers/test-app.ts';

const CRASH_SCRIPT = fileURLToPath(new URL('../fixtures/crash-mid-import.ts', import.meta.url));

const postgresUp = await postgresAvailable();
if (!postgresUp) console.warn(`PostgreSQL tests skipped: no server answered at ${new URL(TEST_DATABASE_URL).host}; set TEST_DATABASE_URL to run them`);

describe.skipIf(!postgresUp)('PostgreSQL store', () => {
  const { schema, url } = isolatedSchemaUrl('app');
  let dir: string;
  let removeDir: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, remove: removeDir } = await makeTempDir('postgres'));
    await trainTestModels(`${dir}/models`);
  });
  afterAll(async () => {
    await dropSchema(schema);
    await removeDir();
  });

  it('migrates once and keeps data across a restart', async () => {
    const options = { modelsDir: `${dir}/models`, database: { dataDir: `${dir}/unused`, databaseUrl: url } };
    const first = await buildTestApp(options);
    await first.app.inject({ method: 'PUT', url: '/v1/leads/pg-1', headers: first.headers, payload: { attributes: sampleAttributes() } });
    const scored = await first.app.inject({ method: 'POST', url: '/v1/leads/pg-1/score', headers: first.headers });
    await first.app.close();

    const reopened = await openDatabase(options.database);
    await reopened.close();
    const second = await buildTestApp(options);
    const history = await second.app.inject({ method: 'GET', url: '/v1/leads/pg-1/scores', headers: first.headers });

    expect(scored.statusCode).toBe(200);
    expect(reopened.appliedMigrations).toEqual([]);
    expect(history.json().scores).toHaveLength(1);
    expect(history.json().scores[0].probability).toBeCloseTo(scored.json().probability, 12);
    await second.app.close();
  });

  it('keeps one lead after 30 racing upserts', async () => {
    const { app, headers } = await buildTestApp({ modelsDir: `${dir}/models`, database: { dataDir: `${dir}/unused`, databaseUrl: url } });
    const sent = Array.from({ length: 30 }, (_, index) => sampleAttributes({ TotalVisits: index }));

    const responses = await Promise.all(sent.map((attributes) => app.inject({ method: 'PUT', url: '/v1/leads/pg-race', headers, payload: { attributes } })));

    expect(responses.map((response) => response.statusCode)).toEqual(sent.map(() => 200));
    const rows = await app.db.lead.findMany({ where: { externalId: 'pg-race' } });
    expect(rows).toHaveLength(1);
    expect(sent).toContainEqual(rows[0]!.attributes);
    await app.close();
  });

  it('rolls back a batch killed mid-import', async () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', CRASH_SCRIPT, `${dir}/unused`, url], { encoding: 'utf8', timeout: 60_000 });

    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toContain('written 100');
    const database = await openDatabase({ dataDir: `${dir}/unused`, databaseUrl: url });
    try {
      const lead = await database.client.lead.findUniqueOrThrow({ where: { externalId: 'crash-lead' } });
      expect(await database.client.activity.count({ where: { leadId: lead.id } })).toBe(0);
    } finally {
      await database.close();
    }
  });
});
