import { access, readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { build } from '../src/app.ts';
import { LeadModel } from '../src/core/lead-model.ts';
import { readModelBundle } from '../src/core/model-bundle.ts';
import { readCsvFile, rowToRecord } from '../src/core/csv.ts';
import { rocAuc } from '../src/core/metrics.ts';
import { trainFixtureModel, type ModelFixture } from './helpers/model-fixture.ts';

const LEADS_CSV = path.resolve(import.meta.dirname, '../data/x-education/Leads.csv');

describe('training on real leads and scoring through the API', () => {
  let fixture: ModelFixture;

  beforeAll(async () => {
    // One network, so that the calibration slice below is the newest 20 % of the history.
    fixture = await trainFixtureModel({ limitRows: 4000, type: 'logistic', folds: 1 });
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('writes every part of the model bundle', async () => {
    for (const file of ['manifest.json', 'preprocessing.json', 'calibration.json', 'metrics.json', 'model.json', 'weights.bin', 'import-report.json']) {
      await expect(access(path.join(fixture.result.dir, file))).resolves.toBeUndefined();
    }
    const metrics = JSON.parse(await readFile(path.join(fixture.result.dir, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics.test).sort()).toEqual(['auc', 'brier', 'ece', 'logLoss', 'positiveRate', 'positives', 'prAuc', 'rows'].sort());
  });

  it('accounts for every row read', () => {
    const { counts } = fixture.result.importReport;
    expect(counts.rowsRead).toBe(4000);
    expect(counts.rowsUsed + counts.censored + counts.rejected).toBe(counts.rowsRead);
  });

  it('splits out of time: 20 % test, 20 % of the rest for calibration', () => {
    const { metrics } = fixture.result;
    expect(metrics.test.rows).toBe(800);
    expect(metrics.calibrationSlice.rows).toBe(640);
    expect(metrics.trainRows).toBe(2560);
  });

  it('ranks held-out leads well above chance', () => {
    expect(fixture.result.metrics.test.auc).toBeGreaterThan(0.8);
  });

  it('never reads the leakage columns', async () => {
    const bundle = await readModelBundle(fixture.result.dir);
    const columns = bundle.preprocessing.columns.map((column) => column.column);
    for (const leaky of ['Tags', 'Lead Quality', 'Lead Profile', 'Last Notable Activity', 'Asymmetrique Activity Score']) {
      expect(columns).not.toContain(leaky);
    }
    expect(columns).not.toContain('Converted');
    expect(columns).not.toContain('Prospect ID');
  });

  it('serves the same probabilities as the model loaded from disk', async () => {
    const table = await readCsvFile(LEADS_CSV);
    const leads = table.rows.slice(-50).map((row) => rowToRecord(table.header, row));
    const labels = leads.map((lead) => (lead.Converted === '1' ? 1 : 0));

    const model = await LeadModel.fromBundle(await readModelBundle(fixture.result.dir));
    const expected = Array.from(model.predictProba(leads));

    const app = await build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir } });
    const response = await app.inject({ method: 'POST', url: '/v1/predict', headers: fixture.headers, payload: { leads } });
    await app.close();

    expect(response.statusCode).toBe(200);
    const served = response.json().predictions.map((prediction: { probability: number }) => prediction.probability);
    served.forEach((probability: number, index: number) => expect(probability).toBeCloseTo(expected[index]!, 5));
    expect(rocAuc(labels, served)).toBeGreaterThan(0.7);
  });
});
