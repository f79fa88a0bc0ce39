import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { runScore } from '../../src/cli/score-command.ts';
import { parseCsvText } from '../../src/core/csv.ts';
import { formatCsvRecord } from '../../src/core/csv-writer.ts';
import { trainLoadedModel } from '../helpers/loaded-model.ts';

const LEADS_CSV = path.resolve(import.meta.dirname, '../../data/x-education/Leads.csv');

let modelDir: string;
let workDir: string;
let inputPath: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const { result, model, cleanup: removeModel } = await trainLoadedModel('logistic', 3000);
  cleanup = removeModel;
  model.dispose();
  modelDir = result.dir;
  workDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-score-'));

  // Ten leads from the export; the fourth gets a negative TotalVisits and the sixth a word.
  const lines = (await readFile(LEADS_CSV, 'utf8')).split(/\r?\n/).slice(0, 11);
  const table = parseCsvText(lines.join('\n'));
  const visits = table.header.indexOf('TotalVisits');
  table.rows[3]![visits] = '-3';
  table.rows[5]![visits] = 'many';
  inputPath = path.join(workDir, 'leads.csv');
  await writeFile(inputPath, [table.header, ...table.rows].map(formatCsvRecord).join(''));
});

afterAll(async () => {
  await cleanup();
  await rm(workDir, { recursive: true, force: true });
});

async function scoreToTable(reasons = '3') {
  const out = path.join(workDir, `scored-${reasons}.csv`);
  const rejected = await runScore({ model: modelDir, data: inputPath, out, reasons });
  return { rejected, table: parseCsvText(await readFile(out, 'utf8')) };
}

describe('leadscore score', () => {
  it('writes id, probability, score, tier, reasons and error columns', async () => {
    const { table } = await scoreToTable();
    expect(table.header).toEqual([
      'Prospect ID',
      'probability',
      'score',
      'tier',
      'reason_for_1',
      'reason_for_2',
      'reason_for_3',
      'reason_against_1',
      'reason_against_2',
      'reason_against_3',
      'error',
    ]);
  });

  it('keeps every row in input order', async () => {
    const { table } = await scoreToTable();
    const input = parseCsvText(await readFile(inputPath, 'utf8'));
    expect(table.rows.map((row) => row[0])).toEqual(input.rows.map((row) => row[0]));
  });

  it('scores valid rows with readable reasons', async () => {
    const { table } = await scoreToTable();
    const valid = table.rows.filter((row) => row[10] === '');
    expect(valid).toHaveLength(8);
    for (const row of valid) {
      const probability = Number(row[1]);
      expect(probability).toBeGreaterThanOrEqual(0);
      expect(probability).toBeLessThanOrEqual(1);
      expect(Number(row[2])).toBe(Math.round(probability * 100));
      expect(row[3]).not.toBe('');
      expect(row[4]).toMatch(/^[^=]+ = .+ \(\+\d\.\d\d\)$/);
      expect(row[7]).toMatch(/^[^=]+ = .+ \(-\d\.\d\d\)$/);
    }
  });

  it('reports invalid rows with their row number and keeps them', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { rejected, table } = await scoreToTable();
    const printed = errors.mock.calls.map((call) => String(call[0]));
    errors.mockRestore();

    expect(rejected).toBe(2);
    expect(printed).toContain('row 5: TotalVisits must be at least 0, got "-3"');
    expect(printed).toContain('row 7: TotalVisits must be a finite number, got "many"');
    // Spreadsheet rows: the header is row 1, so the fourth lead is row 5.
    expect(table.rows[3]![10]).toBe('TotalVisits must be at least 0, got "-3"');
    expect(table.rows[3]![1]).toBe('');
    expect(table.rows[5]![10]).toBe('TotalVisits must be a finite number, got "many"');
  });

  it('reads a semicolon UTF-16 export like the comma file', async () => {
    const comma = parseCsvText(await readFile(inputPath, 'utf8'));
    const semicolonText = [comma.header, ...comma.rows].map((row) => row.map((field) => `"${field}"`).join(';')).join('\r\n');
    const semicolonPath = path.join(workDir, 'leads-semicolon-utf16.csv');
    await writeFile(semicolonPath, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(semicolonText, 'utf16le')]));
    const out = path.join(workDir, 'scored-semicolon.csv');
    vi.spyOn(console, 'error').mockImplementation(() => {});

    const rejected = await runScore({ model: modelDir, data: semicolonPath, out, reasons: '3' });
    vi.restoreAllMocks();

    expect(rejected).toBe(2);
    expect(parseCsvText(await readFile(out, 'utf8')).rows).toEqual((await scoreToTable()).table.rows);
  });

  it('reads a Windows-1252 export set with --encoding and --delimiter', async () => {
    const latinPath = path.join(workDir, 'leads-latin1.csv');
    const header = 'Prospect ID\tLead Origin\tTotalVisits\tCity';
    await writeFile(latinPath, Buffer.from(`${header}\r\nlead-1\tAPI\t3\tZ\u00fcrich\r\n`, 'latin1'));
    const out = path.join(workDir, 'scored-latin1.csv');
    vi.spyOn(console, 'error').mockImplementation(() => {});

    const rejected = await runScore({ model: modelDir, data: latinPath, out, reasons: '0', encoding: 'windows-1252', delimiter: '\t' });
    vi.restoreAllMocks();

    const table = parseCsvText(await readFile(out, 'utf8'));
    expect(rejected).toBe(0);
    expect(table.rows[0]![0]).toBe('lead-1');
    expect(Number(table.rows[0]![1])).toBeGreaterThan(0);
  });

  it('keeps a row with a wrong field count as invalid', async () => {
    const lines = (await readFile(inputPath, 'utf8')).split('\r\n');
    const shortRow = lines[2]!.split(',').slice(0, 5).join(',');
    const mixedPath = path.join(workDir, 'leads-short-row.csv');
    await writeFile(mixedPath, [lines[0], lines[1], shortRow, `${lines[3]},extra`, ...lines.slice(4)].join('\r\n'));
    const out = path.join(workDir, 'scored-short-row.csv');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    const rejected = await runScore({ model: modelDir, data: mixedPath, out, reasons: '0' });
    const printed = errors.mock.calls.map((call) => String(call[0]));
    vi.restoreAllMocks();

    const header = lines[0]!.split(',').length;
    const table = parseCsvText(await readFile(out, 'utf8'));
    expect(rejected).toBe(4);
    expect(table.rows).toHaveLength(10);
    expect(printed).toContain(`row 3: the row has 5 fields but the header has ${header}. Check for a missing or extra delimiter or an unclosed quote`);
    expect(printed).toContain(`row 4: the row has ${header + 1} fields but the header has ${header}. Check for a missing or extra delimiter or an unclosed quote`);
    expect(table.rows[1]![0]).toBe(shortRow.split(',')[0]);
    expect(table.rows[1]![1]).toBe('');
    expect(table.rows[1]![4]).toMatch(/^the row has 5 fields/);
    expect(table.rows[2]![4]).toMatch(/^the row has \d+ fields/);
    expect(Number(table.rows[0]![1])).toBeGreaterThan(0);
    expect(Number(table.rows[4]![1])).toBeGreaterThan(0);
  });

  it('rejects a file with none of the model columns', async () => {
    const foreign = path.join(workDir, 'foreign.csv');
    await writeFile(foreign, 'Prospect ID,foo,bar\nlead-1,1,2\n');
    const out = path.join(workDir, 'scored-foreign.csv');

    const score = runScore({ model: modelDir, data: foreign, out, reasons: '0' });

    await expect(score).rejects.toThrow(/has none of the \d+ columns that model x-education-\S+ \(dataset 'x-education'\) reads: 'Lead Origin', /);
    await expect(score).rejects.toThrow(/pass --force to score it anyway/);
  });

  it('scores a file with none of the model columns when forced', async () => {
    const foreign = path.join(workDir, 'foreign-forced.csv');
    await writeFile(foreign, 'Prospect ID,foo,bar\nlead-1,1,2\n');
    const out = path.join(workDir, 'scored-foreign-forced.csv');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    const rejected = await runScore({ model: modelDir, data: foreign, out, reasons: '0', force: true });
    const printed = errors.mock.calls.map((call) => String(call[0]));
    vi.restoreAllMocks();

    expect(rejected).toBe(0);
    expect(printed.some((line) => /^warning: .* lacks (\d+) of the \1 columns that model/.test(line))).toBe(true);
    expect(parseCsvText(await readFile(out, 'utf8')).rows).toHaveLength(1);
  });

  it('warns about model columns absent from the file', async () => {
    const input = parseCsvText(await readFile(inputPath, 'utf8'));
    const dropped = ['Lead Origin', 'TotalVisits'];
    const keep = input.header.map((_, index) => index).filter((index) => !dropped.includes(input.header[index]!));
    const partial = path.join(workDir, 'partial.csv');
    await writeFile(partial, [input.header, ...input.rows.slice(0, 3)].map((row) => formatCsvRecord(keep.map((index) => row[index]!))).join(''));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    await runScore({ model: modelDir, data: partial, out: path.join(workDir, 'scored-partial.csv'), reasons: '0' });
    const printed = errors.mock.calls.map((call) => String(call[0]));
    vi.restoreAllMocks();

    const warning = printed.find((line) => line.startsWith('warning:'));
    expect(warning).toMatch(/lacks 2 of the \d+ columns that model/);
    expect(warning).toMatch(/so every lead is scored as missing them: 'Lead Origin', 'TotalVisits'$/);
  });

  it('numbers rows when the model has no id column', async () => {
    const out = path.join(workDir, 'scored-no-id.csv');
    vi.spyOn(console, 'error').mockImplementation(() => {});

    const rejected = await runScore({ model: modelDir, data: inputPath, out, reasons: '0', idColumn: '' });
    vi.restoreAllMocks();

    const table = parseCsvText(await readFile(out, 'utf8'));
    expect(rejected).toBe(2);
    expect(table.header[0]).toBe('row');
    expect(table.rows.map((row) => row[0])).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(table.rows[3]![4]).toBe('TotalVisits must be at least 0, got "-3"');
  });

  it('leaves out reason columns when reasons is 0', async () => {
    const { table } = await scoreToTable('0');
    expect(table.header).toEqual(['Prospect ID', 'probability', 'score', 'tier', 'error']);
  });

  it('rejects a reasons count out of range', async () => {
    await expect(runScore({ model: modelDir, data: inputPath, out: path.join(workDir, 'x.csv'), reasons: '11' })).rejects.toThrow(
      /--reasons '11' is invalid; expected a whole number from 0 to 10/,
    );
  });

  it('rejects a file without the id column', async () => {
    const noId = path.join(workDir, 'no-id.csv');
    await writeFile(noId, 'Lead Origin,TotalVisits\nAPI,3\n');
    await expect(runScore({ model: modelDir, data: noId, out: path.join(workDir, 'y.csv'), reasons: '3' })).rejects.toThrow(
      /id column 'Prospect ID' is not in the file/,
    );
  });
});

describe('formatCsvRecord', () => {
  it('quotes fields with commas, quotes and line breaks', () => {
    expect(formatCsvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', 3, null])).toBe('a,"b,c","say ""hi""","two\nlines",3,\r\n');
  });

  it('round-trips through the CSV reader', () => {
    const fields = ['Lead Origin = Lead Add Form (+0.21)', ' padded ', 'x,y'];
    expect(parseCsvText(formatCsvRecord(['h1', 'h2', 'h3']) + formatCsvRecord(fields)).rows[0]).toEqual(fields);
  });
});
