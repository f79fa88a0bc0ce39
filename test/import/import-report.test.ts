import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';

import { importLeads } from '../../src/core/import/import-leads.ts';
import { formatImportSummary, writeImportReport } from '../../src/core/import/import-report.ts';
import { LabelFromDates } from '../../src/core/import/import-settings.ts';
import { writeCsv } from './csv-fixtures.ts';

const text = 'email,created,stage,closed\nann@example.com,2024-01-01,Won,2024-01-05\nbob@example.com,2024-01-02,Won,2023-12-01\nzoe@example.com,2024-05-01,Open,\n';
const rules = LabelFromDates.parse({ createdColumn: 'created', outcomeColumn: 'stage', wonValues: ['Won'], closedColumn: 'closed' });

describe('import report', () => {
  it('summary leaves cell values out', async () => {
    const { report } = await importLeads({ sourcePath: writeCsv(text), label: { mode: 'dates', rules } });
    const summary = formatImportSummary(report);

    expect(summary).toContain('rows read 3: used 1 (won 1, lost 0), censored 1, rejected 1');
    expect(summary).toContain("rejected won-before-created: 1 (row 3 column 'closed')");
    expect(summary).not.toContain('bob@example.com');
    expect(summary).not.toContain('2023-12-01');
  });

  it('JSON file keeps the rejected value', async () => {
    const { report } = await importLeads({ sourcePath: writeCsv(text), label: { mode: 'dates', rules } });
    const filePath = path.join(tmpdir(), `import-report-${process.pid}.json`);
    await writeImportReport(filePath, report);

    const written = JSON.parse(await readFile(filePath, 'utf8'));
    expect(written.rejected[0]).toMatchObject({ row: 3, column: 'closed', value: '2023-12-01', reason: 'won-before-created' });
    expect(written.counts.rowsRead).toBe(3);
  });
});

describe('LabelFromDates schema', () => {
  it('requires an outcome column or a won-deals file', () => {
    const result = LabelFromDates.safeParse({ createdColumn: 'created' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['outcomeColumn']);
  });

  it('requires won values with an outcome column', () => {
    const result = LabelFromDates.safeParse({ createdColumn: 'created', outcomeColumn: 'stage' });
    expect(result.error?.issues[0]?.path).toEqual(['wonValues']);
  });

  it('applies the 90-day default window', () => {
    const parsed = LabelFromDates.parse({ createdColumn: 'c', outcomeColumn: 's', wonValues: ['Won'] });
    expect(parsed.closeWindowDays).toBe(90);
    expect(parsed.dateFormats).toEqual(['ISO']);
  });
});
