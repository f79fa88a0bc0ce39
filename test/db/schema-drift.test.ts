import { fileURLToPath } from 'node:url';

import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { MIGRATION_DIRS } from '../../src/db/database.ts';
import { applyPostgresMigrations, applySqliteMigrations, readMigrations } from '../../src/db/migrations.ts';
import { dropSchema, isolatedSchemaUrl, postgresAvailable, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { readModelBlocks, readPrismaSchema } from '../helpers/prisma-schema.ts';
import { compareSchema, introspectPostgres, introspectSqlite } from '../helpers/schema-introspection.ts';

const SQLITE_SCHEMA = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
const POSTGRES_SCHEMA = fileURLToPath(new URL('../../prisma/postgresql/schema.prisma', import.meta.url));

function openMemoryDatabase(): BetterSqlite3.Database {
  return new BetterSqlite3(':memory:');
}

describe('Prisma schema and SQLite migrations', () => {
  it('agree on tables, columns and indexes', async () => {
    const db = openMemoryDatabase();
    applySqliteMigrations(db, await readMigrations(MIGRATION_DIRS.sqlite));

    const problems = compareSchema(await readPrismaSchema(SQLITE_SCHEMA), introspectSqlite(db), 'sqlite');

    expect(problems).toEqual([]);
    db.close();
  });

  it('reports a column the migrations lack', async () => {
    const db = openMemoryDatabase();
    applySqliteMigrations(db, await readMigrations(MIGRATION_DIRS.sqlite));
    db.exec('ALTER TABLE "leads" DROP COLUMN "owner"');
    db.exec('ALTER TABLE "scores" ADD COLUMN "extra" TEXT');

    const problems = compareSchema(await readPrismaSchema(SQLITE_SCHEMA), introspectSqlite(db), 'sqlite');

    expect(problems).toContain('leads.owner: in the Prisma schema but not in the database');
    expect(problems).toContain('scores.extra: in the database but not in the Prisma schema');
    db.close();
  });

  it('reports a nullability or unique index mismatch', async () => {
    const db = openMemoryDatabase();
    applySqliteMigrations(db, await readMigrations(MIGRATION_DIRS.sqlite));
    db.exec('DROP INDEX "leads_external_id_key"');
    const expected = await readPrismaSchema(SQLITE_SCHEMA);
    const requiredIndustry = expected.columns.map((column) =>
      column.table === 'leads' && column.column === 'industry' ? { ...column, nullable: false } : column,
    );

    const problems = compareSchema({ ...expected, columns: requiredIndustry }, introspectSqlite(db), 'sqlite');

    expect(problems).toContain('unique leads(external_id): in the Prisma schema but not in the database');
    expect(problems).toContain('leads.industry: nullable in the database, required in the Prisma schema');
  });
});

describe('SQLite and PostgreSQL Prisma schemas', () => {
  it('declare identical models', async () => {
    expect(await readModelBlocks(POSTGRES_SCHEMA)).toBe(await readModelBlocks(SQLITE_SCHEMA));
  });

  it('have migrations with the same folder names', async () => {
    const sqlite = (await readMigrations(MIGRATION_DIRS.sqlite)).map((file) => file.name);
    const postgres = (await readMigrations(MIGRATION_DIRS.postgresql)).map((file) => file.name);

    expect(postgres).toEqual(sqlite);
  });
});

const postgresUp = await postgresAvailable();
if (!postgresUp) console.warn(`PostgreSQL drift test skipped: no server answered at ${new URL(TEST_DATABASE_URL).host}; set TEST_DATABASE_URL to run it`);

describe.skipIf(!postgresUp)('Prisma schema and PostgreSQL migrations', () => {
  const { schema } = isolatedSchemaUrl('drift');
  afterAll(() => dropSchema(schema));

  it('agree on tables, columns and indexes', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await applyPostgresMigrations(client, schema, await readMigrations(MIGRATION_DIRS.postgresql));

      const problems = compareSchema(await readPrismaSchema(POSTGRES_SCHEMA), await introspectPostgres(client, schema), 'postgresql');

      expect(problems).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
