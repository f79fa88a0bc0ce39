import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { upsertLead } from '../../src/db/leads.ts';
import { buildTestApp, makeTempDir, sampleAttributes, trainTestModels, type TestApp } from '../helpers/test-app.ts';

let testApp: TestApp;
let removeDir: () => Promise<void>;
let modelsDir: string;

beforeAll(async () => {
  const temp = await makeTempDir('leads');
  removeDir = temp.remove;
  modelsDir = `${temp.dir}/models`;
  await trainTestModels(modelsDir);
  testApp = await buildTestApp({
    modelsDir: `${temp.dir}/models`,
    database: { dataDir: `${temp.dir}/data` },
    segmentAttributes: { industry: 'Specialization', region: 'Country', owner: 'owner' },
  });
});
afterAll(async () => {
  await testApp.app.close();
  await removeDir();
});

function putLead(externalId: string, body: object) {
  return testApp.app.inject({ method: 'PUT', url: `/v1/leads/${externalId}`, headers: testApp.headers, payload: body });
}

function scoreLead(externalId: string) {
  return testApp.app.inject({ method: 'POST', url: `/v1/leads/${externalId}/score`, headers: testApp.headers });
}

describe('PUT /v1/leads/:externalId', () => {
  it('stores the lead and reads segments from the mapped attributes', async () => {
    const response = await putLead('crm-1', { attributes: sampleAttributes({ owner: 'dana' }) });

    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.externalId).toBe('crm-1');
    expect(body.attributes.TotalVisits).toBe(5);
    expect(body).toMatchObject({ industry: 'Finance Management', region: 'India', owner: 'dana' });
  });

  it('is idempotent when sent twice', async () => {
    const first = await putLead('crm-2', { attributes: sampleAttributes(), region: 'EMEA' });
    const second = await putLead('crm-2', { attributes: sampleAttributes(), region: 'EMEA' });

    expect(second.statusCode).toBe(200);
    expect(second.json().attributes).toEqual(first.json().attributes);
    expect(second.json().createdAt).toBe(first.json().createdAt);
    expect(await testApp.app.db.lead.count({ where: { externalId: 'crm-2' } })).toBe(1);
    expect(second.json().region).toBe('EMEA');
  });

  it('rejects values that /v1/predict rejects', async () => {
    const attributes = sampleAttributes({ TotalVisits: -3, 'Total Time Spent on Website': 'many' });

    const stored = await putLead('crm-invalid', { attributes });
    const predicted = await testApp.app.inject({ method: 'POST', url: '/v1/predict', headers: testApp.headers, payload: { leads: [attributes] } });

    expect(stored.statusCode).toBe(400);
    const issues = stored.json().issues;
    expect(issues.map((issue: { path: unknown[] }) => issue.path)).toEqual([
      ['body', 'attributes', 'TotalVisits'],
      ['body', 'attributes', 'Total Time Spent on Website'],
    ]);
    expect(issues[0]).toEqual({ ...predicted.json().issues[0], path: ['body', 'attributes', 'TotalVisits'] });
    expect(issues[1].code).toBe('invalid_type');
    expect(issues[1].received).toBe('"many"');
    expect(await testApp.app.db.lead.count({ where: { externalId: 'crm-invalid' } })).toBe(0);
  });

  it('keeps the stored lead when a resend is invalid', async () => {
    await putLead('crm-resend', { attributes: sampleAttributes() });

    const response = await putLead('crm-resend', { attributes: sampleAttributes({ TotalVisits: 'many' }) });

    expect(response.statusCode).toBe(400);
    const row = await testApp.app.db.lead.findUniqueOrThrow({ where: { externalId: 'crm-resend' } });
    expect((row.attributes as Record<string, unknown>).TotalVisits).toBe(5);
  });

  it('returns 400 naming the field when attributes is not an object', async () => {
    const response = await putLead('crm-3', { attributes: 'nope' });

    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toEqual(['body', 'attributes']);
  });
});

describe('POST /v1/leads/:externalId/activities', () => {
  it('imports a batch and reports the count', async () => {
    await putLead('crm-act', { attributes: sampleAttributes() });

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/leads/crm-act/activities',
      headers: testApp.headers,
      payload: {
        activities: [
          { type: 'form_submit', page: '/demo', occurredAt: new Date().toISOString() },
          { type: 'page_view', page: '/pricing', occurredAt: new Date().toISOString() },
          { type: 'page_view', page: '/pricing', occurredAt: '2020-01-01T00:00:00Z' },
        ],
      },
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ externalId: 'crm-act', imported: 3 });
  });

  it('returns 404 for a lead that was never stored', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/leads/unknown/activities',
      headers: testApp.headers,
      payload: { activities: [{ type: 'page_view', occurredAt: '2026-01-01T00:00:00Z' }] },
    });

    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/lead 'unknown' is not stored/);
  });

  it('returns 400 naming the index when occurredAt is not a date-time', async () => {
    await putLead('crm-bad', { attributes: sampleAttributes() });

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/leads/crm-bad/activities',
      headers: testApp.headers,
      payload: { activities: [{ type: 'page_view', occurredAt: '2026-01-01T00:00:00Z' }, { type: 'page_view', occurredAt: 'yesterday' }] },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toEqual(['body', 'activities', 1, 'occurredAt']);
    expect(await testApp.app.db.activity.count({ where: { lead: { externalId: 'crm-bad' } } })).toBe(0);
  });
});

describe('POST /v1/leads/:externalId/score', () => {
  it('stores a score from the active model', async () => {
    const response = await scoreLead('crm-act');

    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.probability).toBeGreaterThan(0);
    expect(body.probability).toBeLessThan(1);
    expect(body.score).toBe(Math.round(body.probability * 100));
    expect(body.previousTier).toBeNull();
    expect(body.ruleScore).toBeNull();
    // The 2020 page view is outside the 90-day scoring period.
    expect(body.activityCounts).toEqual({ form_submit: 1, page_view: 1 });
    expect(body.reasons.for.length + body.reasons.against.length).toBeGreaterThan(0);
    expect(body.reasons.baselineProbability).toBeGreaterThan(0);
    expect(body.modelVersion).toBe(testApp.app.models.active.version);
  });

  it('matches /v1/predict for the same attributes', async () => {
    const stored = (await scoreLead('crm-act')).json();
    const predicted = await testApp.app.inject({ method: 'POST', url: '/v1/predict', headers: testApp.headers, payload: { leads: [sampleAttributes()] } });

    expect(predicted.json().predictions[0].probability).toBeCloseTo(stored.probability, 6);
    expect(predicted.json().predictions[0].reasons).toEqual(stored.reasons);
  });

  it('returns 400 naming the stored attribute the model cannot read', async () => {
    // Written past the PUT check, as a lead stored under an earlier model would be.
    await upsertLead(testApp.app.db, {
      externalId: 'crm-neg',
      attributes: sampleAttributes({ TotalVisits: -4 }),
      segments: { industry: null, region: null, owner: null },
    });

    const response = await scoreLead('crm-neg');

    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toEqual(['attributes', 'TotalVisits']);
    expect(response.json().message).toBe("lead 'crm-neg' has 1 stored attribute the model cannot read; resend it with PUT");
  });
});

describe('GET /v1/leads/:externalId', () => {
  it('returns attributes, latest score and activity count', async () => {
    await putLead('crm-read', { attributes: sampleAttributes({ owner: 'dana' }) });
    await testApp.app.inject({
      method: 'POST',
      url: '/v1/leads/crm-read/activities',
      headers: testApp.headers,
      payload: { activities: [{ type: 'page_view', occurredAt: '2020-01-01T00:00:00Z' }, { type: 'form_submit', occurredAt: new Date().toISOString() }] },
    });
    const scored = (await scoreLead('crm-read')).json();

    const response = await testApp.app.inject({ method: 'GET', url: '/v1/leads/crm-read', headers: testApp.headers });

    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.externalId).toBe('crm-read');
    expect(body.attributes).toEqual(sampleAttributes({ owner: 'dana' }));
    expect(body.owner).toBe('dana');
    expect(Number.isNaN(Date.parse(body.createdAt))).toBe(false);
    // Both activities count, the one outside the scoring period too.
    expect(body.activityCount).toBe(2);
    expect(body.latestScore.probability).toBe(scored.probability);
    expect(body.latestScore.tier).toBe(scored.tier);
    expect(body.latestScore.scoredAt).toBe(scored.scoredAt);
  });

  it('returns a null latest score before scoring', async () => {
    await putLead('crm-unscored', { attributes: sampleAttributes() });

    const response = await testApp.app.inject({ method: 'GET', url: '/v1/leads/crm-unscored', headers: testApp.headers });

    expect(response.statusCode).toBe(200);
    expect(response.json().latestScore).toBeNull();
    expect(response.json().activityCount).toBe(0);
  });

  it('returns 404 for an unknown lead', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/leads/never-stored', headers: testApp.headers });

    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/lead 'never-stored' is not stored/);
  });
});

describe('DELETE /v1/leads/:externalId', () => {
  it('erases the lead with its activities, outcomes and scores', async () => {
    await putLead('crm-erase', { attributes: sampleAttributes() });
    await putLead('crm-keep', { attributes: sampleAttributes() });
    await testApp.app.inject({
      method: 'POST',
      url: '/v1/leads/crm-erase/activities',
      headers: testApp.headers,
      payload: { activities: [{ type: 'page_view', occurredAt: new Date().toISOString() }] },
    });
    await scoreLead('crm-erase');
    await scoreLead('crm-erase');
    await scoreLead('crm-keep');
    const { id: leadId } = await testApp.app.db.lead.findUniqueOrThrow({ where: { externalId: 'crm-erase' } });
    await testApp.app.db.outcome.create({ data: { leadId, result: 'won', closedAt: new Date() } });

    const response = await testApp.app.inject({ method: 'DELETE', url: '/v1/leads/crm-erase', headers: testApp.headers });

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(await testApp.app.db.lead.count({ where: { id: leadId } })).toBe(0);
    expect(await testApp.app.db.activity.count({ where: { leadId } })).toBe(0);
    expect(await testApp.app.db.outcome.count({ where: { leadId } })).toBe(0);
    expect(await testApp.app.db.score.count({ where: { leadId } })).toBe(0);
    expect(await testApp.app.db.lead.count({ where: { externalId: 'crm-keep' } })).toBe(1);
    const read = await testApp.app.inject({ method: 'GET', url: '/v1/leads/crm-erase', headers: testApp.headers });
    expect(read.statusCode).toBe(404);
  });

  it('erases the webhook deliveries about the lead', async () => {
    await putLead('crm-erase-hooked', { attributes: sampleAttributes() });
    const subscription = await testApp.app.db.webhookSubscription.create({
      data: { url: 'http://127.0.0.1:9/hook', secret: 'test-secret', tiers: ['hot'] },
    });
    const delivery = (externalId: string) => ({
      subscriptionId: subscription.id,
      event: 'lead.tier_entered',
      payload: { event: 'lead.tier_entered', externalId, tier: 'hot' },
      status: 'delivered',
    });
    await testApp.app.db.webhookDelivery.createMany({ data: [delivery('crm-erase-hooked'), delivery('crm-erase-hooked'), delivery('crm-other')] });

    const response = await testApp.app.inject({ method: 'DELETE', url: '/v1/leads/crm-erase-hooked', headers: testApp.headers });

    expect(response.statusCode).toBe(204);
    const left = await testApp.app.db.webhookDelivery.findMany({ where: { subscriptionId: subscription.id } });
    expect(left.map((row) => (row.payload as { externalId: string }).externalId)).toEqual(['crm-other']);
  });

  it('returns 404 for an unknown lead', async () => {
    const response = await testApp.app.inject({ method: 'DELETE', url: '/v1/leads/never-stored', headers: testApp.headers });

    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/lead 'never-stored' is not stored/);
  });
});

describe('GET /v1/leads/:externalId/scores', () => {
  it('lists the score history newest first', async () => {
    await putLead('crm-hist', { attributes: sampleAttributes() });
    await scoreLead('crm-hist');
    await scoreLead('crm-hist');

    const response = await testApp.app.inject({ method: 'GET', url: '/v1/leads/crm-hist/scores', headers: testApp.headers });

    expect(response.statusCode).toBe(200);
    const { scores } = response.json();
    expect(scores).toHaveLength(2);
    expect(scores[0].scoredAt >= scores[1].scoredAt).toBe(true);
  });
});

describe('GET /v1/leads', () => {
  beforeAll(async () => {
    const leads = [
      { id: 'list-a', visits: 0, time: 0, owner: 'ana', region: 'EMEA' },
      { id: 'list-b', visits: 3, time: 400, owner: 'ben', region: 'EMEA' },
      { id: 'list-c', visits: 8, time: 1500, owner: 'ana', region: 'APAC' },
      { id: 'list-d', visits: 12, time: 2000, owner: 'ben', region: 'APAC' },
      { id: 'list-e', visits: 5, time: 900, owner: 'ana', region: 'EMEA' },
    ];
    for (const lead of leads) {
      await putLead(lead.id, {
        attributes: sampleAttributes({ TotalVisits: lead.visits, 'Total Time Spent on Website': lead.time, owner: lead.owner }),
        region: lead.region,
      });
      await scoreLead(lead.id);
    }
  });

  async function listAll(query: string) {
    const response = await testApp.app.inject({ method: 'GET', url: `/v1/leads?${query}`, headers: testApp.headers });
    expect(response.statusCode).toBe(200);
    return response.json() as { leads: { externalId: string; probability: number; tier: string; owner: string; region: string }[]; nextCursor: string | null };
  }

  it('sorts leads by latest probability, highest first', async () => {
    const { leads } = await listAll('limit=500');

    const probabilities = leads.map((lead) => lead.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    expect(new Set(leads.map((lead) => lead.externalId)).size).toBe(leads.length);
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const all = (await listAll('limit=500')).leads.map((lead) => lead.externalId);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listAll(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.leads.length).toBeLessThanOrEqual(2);
      paged.push(...page.leads.map((lead) => lead.externalId));
      cursor = page.nextCursor;
    } while (cursor);

    expect(paged).toEqual(all);
  });

  it('filters by segment, tier and minimum probability', async () => {
    const byOwner = await listAll('segment=owner:ana,region:EMEA');
    expect(byOwner.leads.map((lead) => lead.externalId).sort()).toEqual(['list-a', 'list-e']);

    const all = (await listAll('limit=500')).leads;
    const tier = all[0]!.tier;
    const byTier = await listAll(`tier=${tier}`);
    expect(byTier.leads.length).toBe(all.filter((lead) => lead.tier === tier).length);

    const threshold = all[2]!.probability;
    const above = await listAll(`minProbability=${threshold}`);
    expect(above.leads.every((lead) => lead.probability >= threshold)).toBe(true);
    expect(above.leads.length).toBe(all.filter((lead) => lead.probability >= threshold).length);
  });

  it('returns only leads scored since the given time', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();

    const { leads } = await listAll(`scoredSince=${future}`);

    expect(leads).toEqual([]);
  });

  it('returns 400 for a malformed segment or cursor', async () => {
    const segment = await testApp.app.inject({ method: 'GET', url: '/v1/leads?segment=team:blue', headers: testApp.headers });
    const cursor = await testApp.app.inject({ method: 'GET', url: '/v1/leads?cursor=abc', headers: testApp.headers });

    expect(segment.statusCode).toBe(400);
    expect(segment.json().issues[0].path).toEqual(['querystring', 'segment']);
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().issues[0].path).toEqual(['querystring', 'cursor']);
  });

  it('rejects an unknown tier with 400', async () => {
    for (const tier of ['lukewarm', 'HOT']) {
      const response = await testApp.app.inject({ method: 'GET', url: `/v1/leads?tier=${tier}`, headers: testApp.headers });

      expect(response.statusCode).toBe(400);
      const [issue] = response.json().issues;
      expect(issue.path).toEqual(['querystring', 'tier']);
      expect(issue.code).toBe('invalid_value');
      expect(issue.received).toBe(`"${tier}"`);
      expect(issue.expected).toBe('one of "hot", "warm", "cool", "cold"');
    }
  });

  it('rejects a misspelt filter with 400', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/leads?tierr=hot', headers: testApp.headers });

    expect(response.statusCode).toBe(400);
    const [issue] = response.json().issues;
    expect(issue.code).toBe('unrecognized_keys');
    expect(issue.message).toContain('tierr');
  });
});

describe('GET /v1/leads with LEADSCORE_TIERS', () => {
  it('accepts only the overriding tier names', async () => {
    const overridden = await buildTestApp({
      modelsDir,
      database: { dataDir: `${modelsDir}/../data-tiers` },
      tiers: [
        { name: 'A', minProbability: 0.5 },
        { name: 'B', minProbability: 0 },
      ],
    });
    try {
      const known = await overridden.app.inject({ method: 'GET', url: '/v1/leads?tier=A', headers: overridden.headers });
      const modelTier = await overridden.app.inject({ method: 'GET', url: '/v1/leads?tier=hot', headers: overridden.headers });

      expect(known.statusCode).toBe(200);
      expect(modelTier.statusCode).toBe(400);
      expect(modelTier.json().issues[0].expected).toBe('one of "A", "B"');
    } finally {
      await overridden.app.close();
    }
  });
});

describe('lead id length', () => {
  it('accepts a lead id of the maximum length', async () => {
    const id = 'x'.repeat(200);

    const response = await putLead(id, { attributes: sampleAttributes() });

    expect(response.statusCode).toBe(200);
    expect(response.json().externalId).toBe(id);
  });

  it('returns 414 in the error shape stating the limit', async () => {
    const id = `${'a'.repeat(195)}@example.org`;

    const response = await testApp.app.inject({ method: 'GET', url: `/v1/leads/${id}`, headers: testApp.headers });

    expect(response.statusCode).toBe(414);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
    expect(body.statusCode).toBe(414);
    expect(body.error).toBe('URI Too Long');
    expect(body.message).toContain('at most 200');
    expect(body.message).not.toContain(id);
  });

  it('returns 400 in the error shape for a malformed percent-encoding', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/leads/crm%E0%A4%A', headers: testApp.headers });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('percent-encoding') });
  });
});

describe('GET /v1/leads query messages', () => {
  const cases: [string, string, RegExp][] = [
    ['limit=0', 'limit', /^limit must be a whole number from 1 to 500$/],
    ['limit=501', 'limit', /^limit must be a whole number from 1 to 500$/],
    ['limit=2.5', 'limit', /^limit must be a whole number from 1 to 500$/],
    ['limit=many', 'limit', /^limit must be a whole number from 1 to 500$/],
    ['minProbability=1.5', 'minProbability', /^minProbability must be a number from 0 to 1/],
    ['minProbability=high', 'minProbability', /^minProbability must be a number from 0 to 1/],
    ['scoredSince=yesterday', 'scoredSince', /^scoredSince must be an ISO 8601 date-time with a zone/],
    ['segment=', 'segment', /^segment must be FIELD:VALUE pairs/],
  ];

  it.each(cases)('names the rule for %s', async (query, field, message) => {
    const response = await testApp.app.inject({ method: 'GET', url: `/v1/leads?${query}`, headers: testApp.headers });

    expect(response.statusCode).toBe(400);
    const [issue] = response.json().issues;
    expect(issue.path).toEqual(['querystring', field]);
    expect(issue.message).toMatch(message);
  });
});
