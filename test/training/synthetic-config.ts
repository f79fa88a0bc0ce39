import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { writeSyntheticExport } from '../../training/synthetic-export.ts';

/** Creates a folder with a synthetic deal export and a dataset config for it; returns their paths. */
export async function createSyntheticDataset(options: { rows: number; seed?: number; signal?: boolean; config?: object }) {
  const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-train-test-'));
  const exportPath = path.join(folder, 'deals.csv');
  await writeSyntheticExport(exportPath, options.rows, options.seed ?? 7, options.signal ?? true);

  const config = {
    name: 'synthetic-deals',
    source: 'deals.csv',
    idColumn: 'deal_id',
    labelFromDates: {
      createdColumn: 'created_date',
      outcomeColumn: 'stage',
      wonValues: ['Won'],
      lostValues: ['Lost'],
      openValues: ['Engaging', 'Prospecting'],
      closedColumn: 'close_date',
    },
    missingTokens: ['', 'Select', 'unknown', 'NA'],
    columns: { visits: { type: 'numeric', min: 0 }, minutes_on_site: { type: 'numeric', min: 0 } },
    model: { type: 'logistic', epochs: 15, learningRate: 0.02, batchSize: 512 },
    ...options.config,
  };
  const configPath = path.join(folder, 'deals.config.json');
  writeFileSync(configPath, JSON.stringify(config));
  return { folder, configPath, exportPath, modelsDir: path.join(folder, 'models') };
}
