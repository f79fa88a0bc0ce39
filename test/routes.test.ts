import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTestApp, trainFixtureModel, type ModelFixture } from './helpers/model-fixture.ts';

let fixture: ModelFixture;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = await trainFixtureModel({ limitRows: 2500 });
  app = await buildTestApp(fixture);
});

afterAll(async () => {
  await app?.close();
  await fixture?.cleanup();
});

const hotLead = {
  'Lead Origin': 'Lead Add Form',
  'Lead Source': 'Reference',
  TotalVisits: 5,
  'Total Time Spent on Website': 1500,
  'What is your current occupation': 'Working Professional',
};

function predict(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return app.inject({
    method: 'POST',
    url: '/v1/predict',
    headers: { ...fixture.headers, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('GET /healthz', () => {
  it('returns ok with the served model version', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', modelVersion: fixture.result.version });
  });
});

describe('POST /v1/predict', () => {
  it('scores leads in request order with probability, score and tier', async () => {
    const response = await predict({ leads: [hotLead, { 'Lead Origin': 'API', TotalVisits: 0 }] });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.modelVersion).toBe(fixture.result.version);
    expect(body.predictions).toHaveLength(2);
    const [hot, cold] = body.predictions;
    expect(hot.probability).toBeGreaterThan(cold.probability);
    expect(hot.score).toBe(Math.round(hot.probability * 100));
    expect(['hot', 'warm', 'cool', 'cold']).toContain(hot.tier);
  });

  it('gives the same probability as the model for the same lead', async () => {
    const first = (await predict({ leads: [hotLead] })).json().predictions[0];
    const again = (await predict({ leads: [{ ...hotLead, Tags: 'ignored column' }] })).json().predictions[0];
    expect(again.probability).toBe(first.probability);
  });

  it('treats missing fields as missing values and accepts unseen categories', async () => {
    const response = await predict({ leads: [{}, { 'Lead Source': 'A source never seen in training' }] });
    expect(response.statusCode).toBe(200);
    expect(response.json().predictions).toHaveLength(2);
  });

  it('returns 400 naming the field when TotalVisits is negative', async () => {
    const response = await predict({ leads: [hotLead, { TotalVisits: -3 }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual([
      {
        path: ['body', 'leads', 1, 'TotalVisits'],
        code: 'too_small',
        expected: '>= 0',
        received: '-3',
        message: 'TotalVisits must be at least 0, got -3',
      },
    ]);
  });

  it('returns 400 listing every problem when several fields are wrong', async () => {
    const response = await predict({ leads: [{ TotalVisits: 'lots', 'Do Not Email': 'maybe' }, { 'Page Views Per Visit': -1 }] });
    expect(response.statusCode).toBe(400);
    const paths = response.json().issues.map((issue: { path: unknown[] }) => issue.path.join('.'));
    expect(paths).toEqual(['body.leads.0.Do Not Email', 'body.leads.0.TotalVisits', 'body.leads.1.Page Views Per Visit']);
  });

  it('returns 400 for a field of the wrong JSON type', async () => {
    const response = await predict({ leads: [{ TotalVisits: { count: 3 } }] });
    expect(response.statusCode).toBe(400);
    const issue = response.json().issues[0];
    expect(issue.path).toEqual(['body', 'leads', 0, 'TotalVisits']);
    expect(issue.received).toBe('object');
    expect(issue.code).toBe('invalid_union');
  });

  it('returns 400 for a non-finite number', async () => {
    // 1e999 is valid JSON but parses to Infinity.
    const response = await predict('{"leads":[{"TotalVisits":1e999}]}');
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toEqual(['body', 'leads', 0, 'TotalVisits']);
  });

  it('returns 400 for an empty batch', async () => {
    const response = await predict({ leads: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: ['body', 'leads'], code: 'too_small', received: 'array of 0' });
  });

  it('returns 400 for a batch over 1,000 leads', async () => {
    const response = await predict({ leads: Array.from({ length: 1001 }, () => ({})) });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: ['body', 'leads'], code: 'too_big', expected: 'at most 1000' });
  });

  it('returns 400 for an unknown body field', async () => {
    const response = await predict({ leads: [{}], extra: 1 });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: ['body'], code: 'unrecognized_keys' });
    expect(response.json().issues[0].message).toContain('extra');
  });

  it('returns 400 for an unknown query parameter', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/predict?reason=false', headers: { ...fixture.headers, 'content-type': 'application/json' }, payload: { leads: [{}] } });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: ['querystring'], code: 'unrecognized_keys' });
    expect(response.json().issues[0].message).toContain('reason');
  });

  it('returns 400 when leads is missing or not an array', async () => {
    const missing = await predict({ lead: [] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues[0]).toMatchObject({ path: ['body', 'leads'], code: 'invalid_type' });

    const notArray = await predict({ leads: 'all of them' });
    expect(notArray.statusCode).toBe(400);
    expect(notArray.json().issues[0]).toMatchObject({ code: 'invalid_type', received: 'string "all of them"' });
  });

  it('returns 400 for malformed JSON', async () => {
    const response = await predict('{"leads": [');
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: ['body'], code: 'invalid_json', received: 'malformed JSON' });
  });

  it('returns 400 for an empty JSON body', async () => {
    const response = await predict('');
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].code).toBe('invalid_json');
  });

  it('returns 400 for a plain-text body', async () => {
    const response = await predict('leads=1', { 'content-type': 'text/plain' });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: ['body'], code: 'invalid_type', expected: 'object', received: 'string "leads=1"' });
  });

  it('returns 415 for a content type it cannot parse', async () => {
    const response = await predict('<leads/>', { 'content-type': 'application/xml' });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toBe('Unsupported Media Type');
  });
});

describe('GET /v1/models/active', () => {
  it('describes the served model with its features and test metrics', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/models/active', headers: fixture.headers });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.version).toBe(fixture.result.version);
    expect(body.dataset.name).toBe('x-education');
    expect(body.features).toContainEqual({ column: 'TotalVisits', type: 'numeric' });
    expect(body.features.map((feature: { column: string }) => feature.column)).not.toContain('Tags');
    expect(body.excludedColumns.map((entry: { column: string }) => entry.column)).toContain('Tags');
    expect(body.metrics.test.auc).toBeCloseTo(fixture.result.metrics.test.auc, 12);
    expect(body.tiers.at(-1).minProbability).toBe(0);
  });
});

describe('GET /docs/json', () => {
  it('serves an OpenAPI document with the predict route', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.paths['/v1/predict'].post).toBeDefined();
  });
});

describe('unknown routes', () => {
  it('returns 404 naming the route', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/nothing-here', headers: fixture.headers });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('no route for GET /v1/nothing-here');
  });
});

describe('POST /v1/predict error wording', () => {
  it('names the allowed types when a field holds an object', async () => {
    const response = await predict({ leads: [{ 'Lead Source': { name: 'Google' } }] });
    expect(response.json().issues[0].message).toBe('a lead field must be a string, a finite number, a boolean or null');
  });

  it('shows Infinity, not null, as the received value', async () => {
    const response = await predict('{"leads":[{"TotalVisits":1e400}]}');
    expect(response.json().issues[0].received).toBe('number Infinity');
  });

  it('says how to fix an oversized batch', async () => {
    const response = await predict({ leads: Array.from({ length: 1001 }, () => ({})) });
    expect(response.json().issues[0].message).toBe('send at most 1000 leads per request; split larger batches');
  });

  it('rejects hexadecimal strings in numeric fields', async () => {
    const response = await predict({ leads: [{ TotalVisits: '0x10' }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ code: 'invalid_type', received: '"0x10"' });
  });
});

describe('POST /v1/predict unrecognized fields', () => {
  it('warns about a differently cased field and suggests the export column', async () => {
    const response = await predict({ leads: [{ totalvisits: 3, 'Lead Origin': 'API' }, { totalvisits: 1 }] });
    expect(response.statusCode).toBe(200);
    expect(response.json().unrecognizedFields).toEqual([
      {
        field: 'totalvisits',
        suggestion: 'TotalVisits',
        message: "'totalvisits' is not a column of the model's training export; did you mean 'TotalVisits'? It was ignored",
      },
    ]);
  });

  it('warns about a field no export column resembles', async () => {
    const response = await predict({ leads: [{ 'Favourite Colour': 'blue' }] });
    expect(response.json().unrecognizedFields).toEqual([
      { field: 'Favourite Colour', message: "'Favourite Colour' is not a column of the model's training export; it was ignored" },
    ]);
  });

  it('leaves the warning out when every field is an export column, leakage columns included', async () => {
    const response = await predict({ leads: [{ ...hotLead, Tags: 'Ringing', 'Prospect ID': 'abc', Converted: '1' }] });
    expect(response.json()).not.toHaveProperty('unrecognizedFields');
  });
});
