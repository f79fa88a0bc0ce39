import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { applySqliteMigrations, MigrationError, readMigrations } from '../../src/db/migrations.ts';
import { makeTempDir } from '../helpers/test-app.ts';

let dir: string;
let remove: () => Promise<void>;

async function writeMigration(name: string, sql: string): Promise<void> {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

beforeAll(async () => {
  ({ dir, remove } = await makeTempDir('migrations'));
  await writeMigration('20260102000000_second', 'ALTER TABLE "things" ADD COLUMN "size" INTEGER;');
  await writeMigration('20260101000000_first', 'CREATE TABLE "things" ("id" INTEGER PRIMARY KEY);\nCREATE INDEX "things_id" ON "things"("id");');
});
afterAll(() => remove());

describe('applySqliteMigrations', () => {
  it('applies folders in name order once and records them', async () => {
    const db = new BetterSqlite3(':memory:');
    const files = await readMigrations(dir);

    const first = applySqliteMigrations(db, files);
    const second = applySqliteMigrations(db, files);

    expect(first).toEqual(['20260101000000_first', '20260102000000_second']);
    expect(second).toEqual([]);
    const recorded = db.prepare('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name').all();
    expect(recorded).toEqual(files.map((file) => ({ migration_name: file.name, checksum: file.checksum })));
  });

  it('rejects an applied migration whose file changed', async () => {
    const db = new BetterSqlite3(':memory:');
    const files = await readMigrations(dir);
    applySqliteMigrations(db, files);
    const edited = files.map((file, index) => (index === 0 ? { ...file, checksum: 'f'.repeat(64) } : file));

    expect(() => applySqliteMigrations(db, edited)).toThrow(MigrationError);
    expect(() => applySqliteMigrations(db, edited)).toThrow(/20260101000000_first' was applied with checksum/);
  });

  it('leaves no trace of a migration that fails part way', async () => {
    const db = new BetterSqlite3(':memory:');
    const broken = [{ name: '20260101000000_broken', sql: 'CREATE TABLE "a" ("id" INTEGER);\nCREATE TABLE "a" ("id" INTEGER);', checksum: 'x' }];

    expect(() => applySqliteMigrations(db, broken)).toThrow(/migration '20260101000000_broken' failed: .*already exists/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'a'").all();
    expect(tables).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM "_prisma_migrations"').get()).toEqual({ n: 0 });
  });
});
