import { rm } from 'node:fs/promises';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { build } from '../../src/app.ts';
import { readCsvFile, rowToRecord } from '../../src/core/csv.ts';
import { createApiKey } from '../../src/db/api-keys.ts';
import { scoreWithReasons } from '../../src/routes/predict/reasons.ts';
import { trainLoadedModel } from '../helpers/loaded-model.ts';
import { makeTempDir } from '../helpers/test-app.ts';

interface ReasonBody {
  column: string;
  value: unknown;
  contribution: number;
  logOdds: number;
}
interface PredictionBody {
  probability: number;
  reasons?: { baselineProbability: number; for: ReasonBody[]; against: ReasonBody[] };
}

let app: FastifyInstance;
let modelDir: string;
let featureColumns: string[];
let leads: Record<string, string>[];
let cleanup: () => Promise<void>;
let dataDir: string;
let removeDataDir: () => Promise<void>;
let headers: { 'x-api-key': string };

beforeAll(async () => {
  const { result, model, cleanup: removeModel } = await trainLoadedModel('mlp', 3000);
  cleanup = removeModel;
  modelDir = result.dir;
  featureColumns = model.preprocessor.state.columns.map((column) => column.column);
  model.dispose();
  ({ dir: dataDir, remove: removeDataDir } = await makeTempDir('predict-reasons'));
  app = await build({ modelsDir: path.dirname(modelDir), modelDir, database: { dataDir } });
  headers = { 'x-api-key': (await createApiKey(app.db, 'test')).key };

  const table = await readCsvFile(path.resolve(import.meta.dirname, '../../data/x-education/Leads.csv'));
  leads = table.rows.slice(9000, 9020).map((row) => rowToRecord(table.header, row));
});
afterAll(async () => {
  await app.close();
  await cleanup();
  await removeDataDir();
});

async function predict(query: string, body: object = { leads }) {
  const response = await app.inject({ method: 'POST', url: `/v1/predict${query}`, headers, payload: body });
  return { response, predictions: (response.json() as { predictions?: PredictionBody[] }).predictions ?? [] };
}

describe('POST /v1/predict reasons', () => {
  it('returns the top 3 reasons for and against by default', async () => {
    const { response, predictions } = await predict('');

    expect(response.statusCode).toBe(200);
    expect(predictions).toHaveLength(leads.length);
    for (const prediction of predictions) {
      const reasons = prediction.reasons!;
      expect(reasons.for.length).toBeLessThanOrEqual(3);
      expect(reasons.against.length).toBeLessThanOrEqual(3);
      expect(reasons.for.length + reasons.against.length).toBeGreaterThan(0);
      for (const reason of reasons.for) expect(reason.contribution).toBeGreaterThan(0);
      for (const reason of reasons.against) expect(reason.contribution).toBeLessThan(0);
      for (const reason of [...reasons.for, ...reasons.against]) expect(featureColumns).toContain(reason.column);
      expect(reasons.baselineProbability).toBeGreaterThan(0);
      expect(reasons.baselineProbability).toBeLessThan(1);
    }
  });

  it('orders reasons strongest first', async () => {
    const { predictions } = await predict('');
    for (const prediction of predictions) {
      const forValues = prediction.reasons!.for.map((reason) => reason.contribution);
      const againstValues = prediction.reasons!.against.map((reason) => reason.contribution);
      expect(forValues).toEqual([...forValues].sort((a, b) => b - a));
      expect(againstValues).toEqual([...againstValues].sort((a, b) => a - b));
    }
  });

  it("carries the lead's own value, null when missing", async () => {
    const lead = { ...leads[0]!, 'Lead Origin': 'Lead Add Form', City: '' };
    const { predictions } = await predict('?reasons=10', { leads: [lead] });
    const all = [...predictions[0]!.reasons!.for, ...predictions[0]!.reasons!.against];

    const origin = all.find((reason) => reason.column === 'Lead Origin');
    expect(origin?.value).toBe('Lead Add Form');
    const city = all.find((reason) => reason.column === 'City');
    if (city) expect(city.value).toBeNull();
  });

  it('yields to the event loop while a large batch is explained', async () => {
    const batch = Array.from({ length: 400 }, (_, index) => leads[index % leads.length]!);
    let turns = 0;
    let explaining = true;
    const countTurn = () => {
      if (!explaining) return;
      turns += 1;
      setImmediate(countTurn);
    };
    setImmediate(countTurn);

    const predictions = await scoreWithReasons(app.models.active, batch, 3, app.log);
    explaining = false;

    expect(predictions).toHaveLength(400);
    expect(predictions.every((prediction) => prediction.reasons !== undefined)).toBe(true);
    // Slices of 50 leads give 7 yields in 400 leads; without them other callbacks get no turn.
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it('omits reasons when reasons=false', async () => {
    const { response, predictions } = await predict('?reasons=false');
    expect(response.statusCode).toBe(200);
    for (const prediction of predictions) expect(prediction.reasons).toBeUndefined();
  });

  it('omits reasons when reasons=0', async () => {
    const { predictions } = await predict('?reasons=0');
    for (const prediction of predictions) expect(prediction.reasons).toBeUndefined();
  });

  it('returns up to N reasons when reasons=N', async () => {
    const { predictions } = await predict('?reasons=6');
    const longest = Math.max(...predictions.map((prediction) => Math.max(prediction.reasons!.for.length, prediction.reasons!.against.length)));
    expect(longest).toBeGreaterThan(3);
    expect(longest).toBeLessThanOrEqual(6);
  });

  it('keeps the same probabilities with and without reasons', async () => {
    const withReasons = await predict('');
    const without = await predict('?reasons=false');
    expect(withReasons.predictions.map((prediction) => prediction.probability)).toEqual(
      without.predictions.map((prediction) => prediction.probability),
    );
  });

  it('returns 400 naming the parameter when reasons is not a count', async () => {
    for (const value of ['abc', '11', '-1', '2.5']) {
      const { response } = await predict(`?reasons=${value}`);
      expect(response.statusCode).toBe(400);
      const body = response.json() as { issues: { path: unknown[]; message: string }[] };
      expect(body.issues[0]!.path).toContain('reasons');
      expect(body.issues[0]!.message).toMatch(/true, false or a count from 0 to 10/);
    }
  });

  it('documents the reasons parameter and fields in OpenAPI', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    const text = response.body;
    expect(response.statusCode).toBe(200);
    expect(text).toContain('"name":"reasons"');
    expect(text).toContain('baselineProbability');
    expect(text).toContain('contribution');
  });
});

describe('POST /v1/predict with a model trained before reasons', () => {
  it('scores without reasons when baseline.json is absent', async () => {
    const { result, model, cleanup: removeModel } = await trainLoadedModel('logistic', 2000);
    model.dispose();
    await rm(path.join(result.dir, 'baseline.json'));
    const oldApp = await build({ modelsDir: path.dirname(result.dir), modelDir: result.dir, database: { dataDir } });

    const response = await oldApp.inject({ method: 'POST', url: '/v1/predict', headers, payload: { leads: leads.slice(0, 2) } });

    expect(response.statusCode).toBe(200);
    const predictions = (response.json() as { predictions: PredictionBody[] }).predictions;
    expect(predictions).toHaveLength(2);
    for (const prediction of predictions) expect(prediction.reasons).toBeUndefined();
    await oldApp.close();
    await removeModel();
  });
});
