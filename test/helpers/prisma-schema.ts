import { readFile } from 'node:fs/promises';

/** A scalar field of a Prisma model as the database should hold it. */
export interface ExpectedColumn {
  table: string;
  column: string;
  /** Prisma scalar type: Int, String, Float, Boolean, DateTime, Json. */
  type: string;
  nullable: boolean;
}

/** Tables, columns and unique column sets a Prisma schema describes. */
export interface ExpectedSchema {
  columns: ExpectedColumn[];
  /** Unique constraints as "table(col1,col2)", primary keys excluded. */
  uniques: string[];
}

const SCALARS = new Set(['Int', 'String', 'Float', 'Boolean', 'DateTime', 'Json', 'BigInt', 'Decimal', 'Bytes']);

/**
 * Reads the models of a Prisma schema file: scalar fields with @map names, optionality, and
 * @unique / @@unique. Covers the subset of the language this project uses, without enums, composite
 * types or multi-schema. A field of another kind makes it throw, so the test cannot pass silently.
 */
export async function readPrismaSchema(file: string): Promise<ExpectedSchema> {
  const text = await readFile(file, 'utf8');
  const columns: ExpectedColumn[] = [];
  const uniques: string[] = [];

  for (const match of text.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const body = match[2] ?? '';
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? match[1]!;
    const fieldColumns = new Map<string, string>();

    for (const line of body.split('\n').map((entry) => entry.trim())) {
      if (line === '' || line.startsWith('//') || line.startsWith('@@')) continue;
      const [name, rawType] = line.split(/\s+/);
      if (!name || !rawType) continue;
      const type = rawType.replace(/[?[\]]/g, '');
      if (rawType.endsWith('[]') || line.includes('@relation')) continue;
      if (!SCALARS.has(type)) throw new Error(`model ${match[1]} field ${name}: type ${rawType} is not handled by this reader`);
      const column = /@map\("([^"]+)"\)/.exec(line)?.[1] ?? name;
      fieldColumns.set(name, column);
      columns.push({ table, column, type, nullable: rawType.endsWith('?') });
      if (/@unique\b/.test(line)) uniques.push(`${table}(${column})`);
    }

    for (const unique of body.matchAll(/@@unique\(\[([^\]]+)\]\)/g)) {
      const fields = unique[1]!.split(',').map((field) => fieldColumns.get(field.trim()) ?? field.trim());
      uniques.push(`${table}(${fields.join(',')})`);
    }
  }
  return { columns, uniques: uniques.sort() };
}

/** Returns the model blocks of a schema file, for comparing the SQLite and PostgreSQL schemas. */
export async function readModelBlocks(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/^model \w+ \{\n[\s\S]*?^\}/gm)].map((match) => match[0]).join('\n\n');
}
