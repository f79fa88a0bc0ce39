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
