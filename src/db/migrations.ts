import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

/** One folder of Prisma's migrations layout: `<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of migration.sql in hex, the checksum Prisma records. */
  checksum: string;
}

/** A migration folder that cannot be applied, or an applied one whose file has changed. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

// Same table name, columns and PostgreSQL types as the history table of `prisma migrate deploy`,
// so the Prisma CLI can take over wherever its schema engine is installed.
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Reads the migration folders of `dir` in name order, which is the order they apply in. */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Finds the migrations not yet applied. Throws MigrationError when an applied migration's file
 * has changed since, because the database no longer matches what the files describe.
 */
export function pendingMigrations(files: readonly MigrationFile[], applied: ReadonlyMap<string, string>): MigrationFile[] {
  for (const [name, checksum] of applied) {
    const file = files.find((candidate) => candidate.name === name);
    if (file && file.checksum !== checksum) {
      throw new MigrationError(
        `migration '${name}' was applied with checksum ${checksum} but its migration.sql now has ${file.checksum}; restore the file and add a new migration for the change`,
      );
    }
  }
  return files.filter((file) => !applied.has(file.name));
}

/**
 * Applies pending migrations to a SQLite file, each in its own transaction with its history row.
 * Returns the names applied. better-sqlite3 runs multi-statement SQL through `exec`, which the
 * Prisma adapter does not accept. better-sqlite3 builds SQLite with foreign keys enforced by default.
 */
export function applySqliteMigrations(db: BetterSqlite3.Database, files: readonly MigrationFile[]): string[] {
  db.exec(HISTORY_TABLE);
  const rows = db
    .prepare('SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
    .all() as { migration_name: string; checksum: string }[];
  const pending = pendingMigrations(files, new Map(rows.map((row) => [row.migration_name, row.checksum])));

  const record = db.prepare(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES (?, ?, ?, CURRENT_TIMESTAMP, 1)',
  );
  const isRecorded = db.prepare('SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL');
  const applied: string[] = [];
  for (const file of pending) {
    try {
      // IMMEDIATE takes the write lock before the check, so a second process starting on the same
      // file waits and then skips the migration instead of applying it twice.
      db.transaction(() => {
        if (isRecorded.get(file.name)) return;
        db.exec(file.sql);
        record.run(randomUUID(), file.checksum, file.name);
        applied.push(file.name);
      }).immediate();
    } catch (error) {
      throw new MigrationError(`migration '${file.name}' failed: ${(error as Error).message}`);
    }
  }
  return applied;
}

// Any constant works: it only has to be the same for every leadscore process on one database.
const MIGRATION_LOCK_KEY = 7_340_211;

/**
 * Applies pending migrations to PostgreSQL in `schema`, each in its own transaction. An advisory
 * lock makes servers that start together apply each migration once.
 */
export async function applyPostgresMigrations(client: pg.Client, schema: string, files: readonly MigrationFile[]): Promise<string[]> {
  const quotedSchema = `"${schema.replaceAll('"', '""')}"`;
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quotedSchema}`);
  await client.query(`SET search_path TO ${quotedSchema}`);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(HISTORY_TABLE);
    const result = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const pending = pendingMigrations(files, new Map(result.rows.map((row) => [row.migration_name, row.checksum])));

    for (const file of pending) {
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)',
          [randomUUID(), file.checksum, file.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration '${file.name}' failed: ${(error as Error).message}`);
      }
    }
    return pending.map((file) => file.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
