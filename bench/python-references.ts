import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { isMissingFor, type ColumnState } from '../src/core/features.ts';
import { categoryKey, missingTokenSet, parseBoolean, parseNumber, type LeadRecord } from '../src/core/values.ts';
import type { BenchSplit } from './datasets.ts';

/** Debian's interpreter: the one its python3-sklearn and python3-xgboost packages install into. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
const DEBIAN_PACKAGES = ['python3-sklearn', 'python3-xgboost', 'python3-pandas'];

export interface ReferenceRun {
  versions: Record<string, string>;
  models: Record<string, { probabilities: number[]; seconds: number }>;
}

/**
 * Checks that the system Python imports scikit-learn, XGBoost and pandas, and installs Debian's
 * packages with apt-get when it does not (this needs root). Throws when they stay unavailable.
 */
export function ensureReferencePackages(log: (line: string) => void): void {
  if (importsReferencePackages()) return;
  log(`${SYSTEM_PYTHON} lacks scikit-learn, XGBoost or pandas: installing ${DEBIAN_PACKAGES.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...DEBIAN_PACKAGES]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      throw new Error(`apt-get ${args[0]} failed (exit ${result.status ?? result.error?.message}); install ${DEBIAN_PACKAGES.join(' ')} as root, then rerun`);
    }
  }
  if (!importsReferencePackages()) throw new Error(`${SYSTEM_PYTHON} still cannot import sklearn, xgboost and pandas after apt-get install`);
}

function importsReferencePackages(): boolean {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import sklearn, xgboost, pandas'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Exports the split's rows to a temporary CSV exactly as leadscore reads them, and runs
 * bench/references.py on it. Categories are case-folded and missing cells, a column's own
 * `missingValues` included, are empty. Every row before `split.testStart` is training data for
 * the references; they score the test rows in order.
 */
export async function runReferences(split: BenchSplit, columns: readonly ColumnState[], seed: number): Promise<ReferenceRun> {
  const folder = await mkdtemp(path.join(tmpdir(), `leadscore-bench-${split.name}-`));
  try {
    const csvPath = path.join(folder, 'split.csv');
    const specPath = path.join(folder, 'spec.json');
    const outPath = path.join(folder, 'references.json');
    await writeFile(csvPath, exportCsv(split, columns));
    const kinds = Object.fromEntries(columns.map((column) => [column.column, column.kind]));
    await writeFile(specPath, JSON.stringify({ kinds, minCategoryCount: 20, seed }));

    const script = path.join(import.meta.dirname, 'references.py');
    // One thread each, like leadscore's single-threaded wasm backend, on a machine other jobs share.
    const env = { ...process.env, OMP_NUM_THREADS: '1' };
    const result = spawnSync(SYSTEM_PYTHON, [script, csvPath, specPath, outPath], { encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(`references.py failed on ${split.name} (exit ${result.status}):\n${result.stderr}`);
    return JSON.parse(await readFile(outPath, 'utf8')) as ReferenceRun;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function exportCsv(split: BenchSplit, columns: readonly ColumnState[]): string {
  const missingTokens = missingTokenSet(split.missingTokens);
  const header = [...columns.map((column) => column.column), '__label', '__part'];
  const lines = [header.map(quoteCell).join(',')];
  split.leads.forEach((lead, index) => {
    const cells = columns.map((column) => exportCell(column, lead.record, missingTokens));
    cells.push(String(lead.label), index < split.testStart ? 'train' : 'test');
    lines.push(cells.map(quoteCell).join(','));
  });
  return `${lines.join('\n')}\n`;
}

function exportCell(column: ColumnState, record: LeadRecord, missingTokens: Set<string>): string {
  const raw = record[column.column];
  if (isMissingFor(column, raw, missingTokens)) return '';
  if (column.kind === 'categorical') return categoryKey(raw);
  if (column.kind === 'boolean') {
    const value = parseBoolean(raw);
    if (value === null) return '';
    return value ? '1' : '0';
  }
  return String(parseNumber(raw) ?? '');
}

function quoteCell(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
