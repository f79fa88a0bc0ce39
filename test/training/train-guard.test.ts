import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { InsufficientDataError } from '../../training/data-guard.ts';
import { trainModel } from '../../training/train.ts';
import { createSyntheticDataset } from './synthetic-config.ts';

describe('minimum-data guard', () => {
  it('stops training below the minimum and says what is missing', async () => {
    const dataset = await createSyntheticDataset({ rows: 600, config: { minimumData: { leads: 1000, wins: 100 } } });
    const training = trainModel({ configPath: dataset.configPath, modelsDir: dataset.modelsDir });

    await expect(training).rejects.toThrow(InsufficientDataError);
    await expect(trainModel({ configPath: dataset.configPath, modelsDir: dataset.modelsDir })).rejects.toThrow(
      /only \d+ labelled leads \(minimum 1000\).*rules.*--force/s,
    );
  });

  it('marks a forced model low-confidence', async () => {
    const dataset = await createSyntheticDataset({ rows: 600, config: { minimumData: { leads: 1000, wins: 100 } } });
    const result = await trainModel({ configPath: dataset.configPath, modelsDir: dataset.modelsDir, force: true });

    expect(result.metrics.lowConfidence).toMatch(/labelled leads \(minimum 1000\)/);
    const manifest = JSON.parse(await readFile(path.join(result.dir, 'manifest.json'), 'utf8'));
    expect(manifest.lowConfidence).toBe(result.metrics.lowConfidence);
  });

  it('trains without a mark at the minimum', async () => {
    const dataset = await createSyntheticDataset({ rows: 600, config: { minimumData: { leads: 100, wins: 10 } } });
    const result = await trainModel({ configPath: dataset.configPath, modelsDir: dataset.modelsDir });

    expect(result.metrics.lowConfidence).toBeUndefined();
    const { counts } = result.importReport;
    expect(counts.rowsRead).toBe(600);
    expect(counts.rowsUsed + counts.censored + counts.rejected).toBe(600);
    expect(result.metrics.labels).toMatchObject({ rowsRead: 600, asOf: '2024-06-30' });
  });
});

describe('rows the fitted transform cannot read', () => {
  it('moves them from used to rejected', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-invalid-for-model-'));
    const lines = ['id,order,won,plan'];
    for (let index = 1; index <= 400; index += 1) {
      // Every training row says Yes or No, so the column is inferred as boolean; two test rows say otherwise.
      const plan = index === 390 || index === 395 ? 'Gold' : index % 3 === 0 ? 'Yes' : 'No';
      lines.push(`${index},${index},${index % 3 === 0 || index % 7 === 0 ? 1 : 0},${plan}`);
    }
    writeFileSync(path.join(folder, 'leads.csv'), lines.join('\n'));
    const config = {
      name: 'inferred-boolean',
      source: 'leads.csv',
      idColumn: 'id',
      labelColumn: 'won',
      orderColumn: 'order',
      minimumData: { leads: 10, wins: 5 },
      model: { type: 'logistic', epochs: 2 },
    };
    writeFileSync(path.join(folder, 'config.json'), JSON.stringify(config));

    const result = await trainModel({ configPath: path.join(folder, 'config.json'), modelsDir: path.join(folder, 'models') });
    const { counts, rejected } = result.importReport;

    expect(counts).toMatchObject({ rowsRead: 400, rowsUsed: 398, rejected: 2 });
    expect(counts.won + counts.lost).toBe(counts.rowsUsed);
    expect(rejected.map((cell) => [cell.row, cell.column, cell.value, cell.reason])).toEqual([
      [391, 'plan', 'Gold', 'invalid-for-model'],
      [396, 'plan', 'Gold', 'invalid-for-model'],
    ]);
    expect(result.metrics.test.rows).toBe(78);
  });
});
