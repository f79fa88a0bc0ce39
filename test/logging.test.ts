import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { build } from '../src/app.ts';
import { trainFixtureModel, type ModelFixture } from './helpers/model-fixture.ts';
import { sampleAttributes } from './helpers/test-app.ts';

let fixture: ModelFixture;

beforeAll(async () => {
  fixture = await trainFixtureModel({ limitRows: 1500, type: 'logistic' });
});

afterAll(async () => {
  await fixture?.cleanup();
});

/** A stream that keeps every log line written to it. */
function collectLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  return { stream, lines };
}

describe('request logs', () => {
  it('carry the model version but no lead field, value or query string', async () => {
    const { stream, lines } = collectLines();
    const app = await build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir }, logLevel: 'info', logStream: stream });
    const lead = { 'Lead Source': 'Secret-Source-Value', TotalVisits: 4817263, Email: 'ana@example.com' };

    const ok = await app.inject({ method: 'POST', url: '/v1/predict?reasons=2', headers: fixture.headers, payload: { leads: [lead] } });
    const bad = await app.inject({ method: 'POST', url: '/v1/predict', headers: fixture.headers, payload: { leads: [{ ...lead, TotalVisits: -9182736 }] } });
    // An unknown query parameter is a 400, and its value stays out of the log too.
    const badQuery = await app.inject({ method: 'POST', url: '/v1/predict?email=ana@example.com', headers: fixture.headers, payload: { leads: [lead] } });
    const byEmailId = await app.inject({ method: 'GET', url: '/v1/leads/jane.doe@example.org/scores', headers: fixture.headers });
    await app.close();

    expect(ok.statusCode).toBe(200);
    expect(bad.statusCode).toBe(400);
    expect(badQuery.statusCode).toBe(400);
    const text = lines.join('\n');
    expect(lines.some((line) => JSON.parse(line).modelVersion === fixture.result.version)).toBe(true);
    expect(text).toContain('invalid request');
    expect(byEmailId.statusCode).toBeLessThan(500);
    expect(text).toContain('/v1/leads/:externalId/scores');
    for (const secret of ['Secret-Source-Value', '4817263', 'ana@example.com', '9182736', 'jane.doe@example.org']) expect(text).not.toContain(secret);
  });
});

describe('webhook logs', () => {
  it('log every attempt with ids and status only', async () => {
    const statuses = [503];
    const receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.statusCode = statuses.shift() ?? 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const { stream, lines } = collectLines();
    const app = await build({
      modelsDir: fixture.modelsDir,
      database: { dataDir: fixture.dataDir },
      logLevel: 'info',
      logStream: stream,
      webhooks: { maxAttempts: 3, retryBaseMs: 10 },
    });
    try {
      const tiers = app.models.active.tiers.map((tier) => tier.name);
      const subscribed = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: fixture.headers, payload: { url, tiers } });
      const subscriptionId = subscribed.json().id as number;
      const lead = sampleAttributes({ 'Lead Source': 'Secret-Source-Value' });
      await app.inject({ method: 'PUT', url: '/v1/leads/jane.doe@example.org', headers: fixture.headers, payload: { attributes: lead } });
      await app.inject({ method: 'POST', url: '/v1/leads/jane.doe@example.org/score', headers: fixture.headers });
      await app.webhooks.idle();
    } finally {
      await app.close();
      receiver.close();
    }

    const attempts = lines.map((line) => JSON.parse(line)).filter((entry) => String(entry.msg).startsWith('webhook attempt'));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ level: 40, msg: 'webhook attempt failed', attempt: 1, status: 503 });
    expect(attempts[1]).toMatchObject({ level: 30, msg: 'webhook attempt delivered', attempt: 2, status: 200 });
    expect(attempts.every((entry) => typeof entry.subscriptionId === 'number' && entry.subscriptionId > 0)).toBe(true);
    const text = JSON.stringify(attempts);
    for (const secret of ['jane.doe@example.org', 'Secret-Source-Value', url]) expect(text).not.toContain(secret);
  });
});

describe('error logs', () => {
  it('log an unknown model version without a stack', async () => {
    const { stream, lines } = collectLines();
    const app = await build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir }, logLevel: 'info', logStream: stream });

    const response = await app.inject({ method: 'POST', url: '/v1/models/no-such-version/activate', headers: fixture.headers });
    await app.close();

    expect(response.statusCode).toBe(404);
    const entry = lines.map((line) => JSON.parse(line)).find((logged) => logged.msg === 'model not found');
    expect(entry).toBeDefined();
    expect(entry.level).toBe(40);
    expect(entry.error).toMatch(/model version 'no-such-version' is not in/);
    expect(entry.err).toBeUndefined();
    expect(JSON.stringify(entry)).not.toContain('    at ');
  });
});
