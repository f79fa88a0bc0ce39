import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

import type { ExpectedColumn, ExpectedSchema } from './prisma-schema.ts';

/** A column as the migrated database reports it. */
interface ActualColumn {
  table: string;
  column: string;
  /** Database type name, upper case. */
  dbType: string;
  nullable: boolean;
}

// Column types the SQL migrations use for each Prisma scalar type, per provider.
const SQLITE_TYPES: Record<string, string[]> = {
  Int: ['INTEGER'],
  String: ['TEXT'],
  Float: ['REAL'],
  Boolean: ['BOOLEAN'],
  DateTime: ['DATETIME'],
  Json: ['JSONB'],
};
const POSTGRES_TYPES: Record<string, string[]> = {
  Int: ['INTEGER'],
  String: ['TEXT'],
  Float: ['DOUBLE PRECISION'],
  Boolean: ['BOOLEAN'],
  DateTime: ['TIMESTAMP WITHOUT TIME ZONE'],
  Json: ['JSONB'],
};

/** Reads the tables, columns and unique indexes of a SQLite database, skipping Prisma's history table. */
export function introspectSqlite(db: BetterSqlite3.Database): { columns: ActualColumn[]; uniques: string[] } {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'")
    .all() as { name: string }[];
  const columns: ActualColumn[] = [];
  const uniques: string[] = [];
  for (const { name: table } of tables) {
    const info = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
    for (const column of info) {
      columns.push({ table, column: column.name, dbType: column.type.toUpperCase(), nullable: column.notnull === 0 && column.pk === 0 });
    }
    const indexes = db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[];
    for (const index of indexes.filter((entry) => entry.unique === 1 && entry.origin !== 'pk')) {
      const parts = db.prepare(`PRAGMA index_info("${index.name}")`).all() as { name: string }[];
      uniques.push(`${table}(${parts.map((part) => part.name).join(',')})`);
    }
  }
  return { columns, uniques: uniques.sort() };
}

/** Reads the tables, columns and unique indexes of one PostgreSQL schema, skipping Prisma's history table. */
export async function introspectPostgres(client: pg.Client, schema: string): Promise<{ columns: ActualColumn[]; uniques: string[] }> {
  const result = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = $1 AND table_name <> '_prisma_migrations'`,
    [schema],
  );
  const columns = result.rows.map((row) => ({
    table: row.table_name,
    column: row.column_name,
    dbType: row.data_type.toUpperCase(),
    nullable: row.is_nullable === 'YES',
  }));
  const indexes = await client.query<{ table_name: string; columns: string[] }>(
    `SELECT t.relname AS table_name, array_agg(a.attname::text ORDER BY k.ordinality) AS columns
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality) ON true
     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE n.nspname = $1 AND i.indisunique AND NOT i.indisprimary AND t.relname <> '_prisma_migrations'
     GROUP BY i.indexrelid, t.relname`,
    [schema],
  );
  return { columns, uniques: indexes.rows.map((row) => `${row.table_name}(${row.columns.join(',')})`).sort() };
}

/**
 * Lists every difference between the Prisma schema and a migrated database: missing or extra
 * columns, a type outside the expected family, nullability, unique indexes. Empty when they agree.
 */
export function compareSchema(
  expected: ExpectedSchema,
  actual: { columns: ActualColumn[]; uniques: string[] },
  provider: 'sqlite' | 'postgresql',
): string[] {
  const typeMap = provider === 'sqlite' ? SQLITE_TYPES : POSTGRES_TYPES;
  const key = (entry: { table: string; column: string }) => `${entry.table}.${entry.column}`;
  const actualByKey = new Map(actualColumnsByKey(actual.columns, key));
  const problems: string[] = [];

  for (const column of expected.columns) {
    const found = actualByKey.get(key(column));
    if (!found) {
      problems.push(`${key(column)}: in the Prisma schema but not in the database`);
      continue;
    }
    actualByKey.delete(key(column));
    problems.push(...columnProblems(column, found, typeMap));
  }
  for (const extra of actualByKey.keys()) problems.push(`${extra}: in the database but not in the Prisma schema`);

  const missingUniques = expected.uniques.filter((unique) => !actual.uniques.includes(unique));
  const extraUniques = actual.uniques.filter((unique) => !expected.uniques.includes(unique));
  for (const unique of missingUniques) problems.push(`unique ${unique}: in the Prisma schema but not in the database`);
  for (const unique of extraUniques) problems.push(`unique ${unique}: in the database but not in the Prisma schema`);
  return problems;
}

function actualColumnsByKey(columns: ActualColumn[], key: (entry: ActualColumn) => string): [string, ActualColumn][] {
  return columns.map((column) => [key(column), column]);
}

function columnProblems(expected: ExpectedColumn, actual: ActualColumn, typeMap: Record<string, string[]>): string[] {
  const problems: string[] = [];
  const allowed = typeMap[expected.type] ?? [];
  if (!allowed.includes(actual.dbType)) {
    problems.push(`${expected.table}.${expected.column}: database type ${actual.dbType}, expected ${allowed.join(' or ')} for ${expected.type}`);
  }
  if (expected.nullable !== actual.nullable) {
    problems.push(`${expected.table}.${expected.column}: ${actual.nullable ? 'nullable' : 'NOT NULL'} in the database, ${expected.nullable ? 'optional' : 'required'} in the Prisma schema`);
  }
  return problems;
}
