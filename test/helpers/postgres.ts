import { randomBytes } from 'node:crypto';

import pg from 'pg';

/** The server PostgreSQL tests use: TEST_DATABASE_URL, else the local default on 127.0.0.1:5432. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Tells whether the test server accepts a connection within one second. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Returns a fresh schema name and the test URL pointing at it, so parallel test files do not collide. */
export function isolatedSchemaUrl(prefix: string): { schema: string; url: string } {
  const schema = `leadscore_${prefix}_${randomBytes(4).toString('hex')}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return { schema, url: url.toString() };
}

/** Drops a schema created by a test, with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
