import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { build } from '../../src/app.ts';
import { loadServerConfig } from '../../src/config.ts';
import { RulesFileError } from '../../src/core/rules/rules-file.ts';
import { trainFixtureModel, type ModelFixture } from '../helpers/model-fixture.ts';

const RULES = path.resolve(import.meta.dirname, '../../data/rules/x-education.rules.json');

let fixture: ModelFixture;
let withRules: FastifyInstance;
let withoutRules: FastifyInstance;
let withWebinarRule: FastifyInstance;
let rulesDir: string;

// A count column the model does not read, so only the rules check its values.
const webinarRules = {
  name: 'webinar rules',
  rules: [{ id: 'webinar-minutes', group: 'engagement', kind: 'column-count', column: 'Webinar Minutes', unitSize: 10, pointsPerUnit: 1, cap: 6 }],
};

beforeAll(async () => {
  fixture = await trainFixtureModel({ limitRows: 2000, type: 'logistic' });
  rulesDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-rules-'));
  await writeFile(path.join(rulesDir, 'webinar.rules.json'), JSON.stringify(webinarRules));
  withRules = await build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir }, rulesFile: RULES });
  withoutRules = await build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir } });
  withWebinarRule = await build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir }, rulesFile: path.join(rulesDir, 'webinar.rules.json') });
});

afterAll(async () => {
  await withRules?.close();
  await withoutRules?.close();
  await withWebinarRule?.close();
  await fixture?.cleanup();
  if (rulesDir) await rm(rulesDir, { recursive: true, force: true });
});

const lead = {
  'Lead Origin': 'Lead Add Form',
  'Lead Source': 'Reference',
  TotalVisits: 14,
  'Total Time Spent on Website': 700,
  'Page Views Per Visit': 2.5,
  'Last Activity': 'Email Opened',
  Specialization: 'Finance Management',
  'What is your current occupation': 'Working Professional',
};

function predict(app: FastifyInstance, body: unknown) {
  return app.inject({ method: 'POST', url: '/v1/predict', headers: fixture.headers, payload: body as object });
}

describe('POST /v1/predict with rules', () => {
  it('returns rule score and subtotals beside the probability', async () => {
    const response = await predict(withRules, { leads: [lead, {}] });
    const body = response.json();

    expect(response.statusCode).toBe(200);
    expect(body.rulesName).toBe('X Education marketing rules');
    expect(body.predictions[0].rules).toMatchObject({ score: 47, fit: 28, engagement: 19 });
    expect(body.predictions[0].rules.fired).toContainEqual({ id: 'site-visits', group: 'engagement', points: 10 });
    expect(body.predictions[1].rules).toEqual({ score: 0, fit: 0, engagement: 0, fired: [] });
  });

  it('keeps the model probability unchanged', async () => {
    const first = (await predict(withRules, { leads: [lead] })).json().predictions[0];
    const second = (await predict(withoutRules, { leads: [lead] })).json().predictions[0];

    expect(first.probability).toBe(second.probability);
    expect(second.rules).toBeUndefined();
  });

  it('returns 400 naming a rules column that is not a number', async () => {
    const response = await predict(withWebinarRule, { leads: [{ ...lead, 'Webinar Minutes': 25 }, { ...lead, 'Webinar Minutes': 'an hour' }] });
    const body = response.json();

    expect(response.statusCode).toBe(400);
    expect(body.issues).toHaveLength(1);
    expect(body.issues[0]).toMatchObject({ path: ['body', 'leads', 1, 'Webinar Minutes'], code: 'invalid_type', received: 'string' });
    expect(body.issues[0].message).toMatch(/column 'Webinar Minutes': "an hour" .*rule 'webinar-minutes'/);
  });

  it('scores a rules column the model does not read', async () => {
    const response = await predict(withWebinarRule, { leads: [{ ...lead, 'Webinar Minutes': 25 }] });

    expect(response.json().predictions[0].rules).toEqual({
      score: 2,
      fit: 0,
      engagement: 2,
      fired: [{ id: 'webinar-minutes', group: 'engagement', points: 2 }],
    });
  });
});

describe('rules configuration', () => {
  it('reads RULES_FILE from the environment', () => {
    expect(loadServerConfig({ RULES_FILE: 'data/rules/x-education.rules.json' }).RULES_FILE).toBe('data/rules/x-education.rules.json');
    expect(loadServerConfig({}).RULES_FILE).toBeUndefined();
  });

  it('stops start-up on an invalid rules file', async () => {
    await expect(build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir }, rulesFile: 'no/such.rules.json' })).rejects.toThrow(RulesFileError);
  });
});
