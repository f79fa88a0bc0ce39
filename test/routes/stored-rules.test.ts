import { writeFile } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTestApp, makeTempDir, sampleAttributes, trainTestModels, type TestApp } from '../helpers/test-app.ts';

// 10 points per pricing-page view, halving every 10 days, counted for 30 days.
const rules = {
  name: 'pricing interest',
  scoringPeriodDays: 30,
  decay: { halfLifeDays: 10 },
  rules: [{ id: 'pricing-view', group: 'engagement', kind: 'activity', activity: { page: { equals: '/pricing' } }, pointsPerOccurrence: 10, cap: 100 }],
};

const DAY_MS = 86_400_000;

let testApp: TestApp;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  const temp = await makeTempDir('stored-rules');
  removeDir = temp.remove;
  await trainTestModels(`${temp.dir}/models`);
  await writeFile(`${temp.dir}/pricing.rules.json`, JSON.stringify(rules));
  testApp = await buildTestApp({ modelsDir: `${temp.dir}/models`, database: { dataDir: `${temp.dir}/data` }, rulesFile: `${temp.dir}/pricing.rules.json` });
});
afterAll(async () => {
  await testApp.app.close();
  await removeDir();
});

describe('POST /v1/leads/:externalId/score with a rules file', () => {
  it("adds a rule score from stored activities with the file's scoring period and decay", async () => {
    const now = Date.now();
    await testApp.app.inject({ method: 'PUT', url: '/v1/leads/rules-1', headers: testApp.headers, payload: { attributes: sampleAttributes() } });
    await testApp.app.inject({
      method: 'POST',
      url: '/v1/leads/rules-1/activities',
      headers: testApp.headers,
      payload: {
        activities: [
          { type: 'page_view', page: '/pricing', occurredAt: new Date(now).toISOString() },
          { type: 'page_view', page: '/pricing', occurredAt: new Date(now - 10 * DAY_MS).toISOString() },
          { type: 'page_view', page: '/pricing', occurredAt: new Date(now - 45 * DAY_MS).toISOString() },
          { type: 'page_view', page: '/blog', occurredAt: new Date(now).toISOString() },
        ],
      },
    });

    const response = await testApp.app.inject({ method: 'POST', url: '/v1/leads/rules-1/score', headers: testApp.headers });

    expect(response.statusCode).toBe(200);
    const body = response.json();
    // Today's view keeps 10 points, the 10-day-old one 5; the 45-day-old one is outside 30 days.
    expect(body.ruleScore).toBeCloseTo(15, 1);
    expect(body.scoringPeriodDays).toBe(30);
    expect(body.activityCounts).toEqual({ page_view: 3 });
    expect(body.rulesFired).toEqual([{ id: 'pricing-view', group: 'engagement', points: body.ruleScore }]);

    const history = await testApp.app.inject({ method: 'GET', url: '/v1/leads/rules-1/scores', headers: testApp.headers });
    expect(history.json().scores[0].ruleScore).toBe(body.ruleScore);
  });
});

describe('rule set versions', () => {
  it('stores the loaded rules file once per distinct content', async () => {
    const stored = await testApp.app.db.ruleSet.findMany({ where: { name: rules.name } });

    expect(stored.map((row) => row.version)).toEqual([1]);
    expect(stored[0]!.rules).toMatchObject({ name: rules.name, scoringPeriodDays: 30 });
  });
});
