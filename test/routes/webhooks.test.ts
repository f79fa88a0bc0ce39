import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifySignature } from '../../src/webhooks/signature.ts';
import { buildTestApp, makeTempDir, sampleAttributes, trainTestModels, type TestApp } from '../helpers/test-app.ts';

interface Received {
  body: string;
  signature: string | undefined;
  /** performance.now() when the request ended, in milliseconds. */
  at: number;
}

/** A webhook receiver on 127.0.0.1 that responds with the next status of `statuses`, then 200. */
async function startReceiver(statuses: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: request.headers['x-leadscore-signature'] as string | undefined,
        at: performance.now(),
      });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

let testApp: TestApp;
let removeDir: () => Promise<void>;
const servers: Server[] = [];

beforeAll(async () => {
  const temp = await makeTempDir('webhooks');
  removeDir = temp.remove;
  await trainTestModels(`${temp.dir}/models`);
  testApp = await buildTestApp({ modelsDir: `${temp.dir}/models`, database: { dataDir: `${temp.dir}/data` } });
});
afterAll(async () => {
  await testApp.app.close();
  for (const server of servers) server.close();
  await removeDir();
});

async function subscribe(url: string, tiers: string[], secret = 'a-test-secret-of-32-characters!!') {
  const response = await testApp.app.inject({ method: 'POST', url: '/v1/webhooks', headers: testApp.headers, payload: { url, tiers, secret } });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: number; secret: string };
}

async function storeAndScore(externalId: string) {
  await testApp.app.inject({ method: 'PUT', url: `/v1/leads/${externalId}`, headers: testApp.headers, payload: { attributes: sampleAttributes() } });
  const response = await testApp.app.inject({ method: 'POST', url: `/v1/leads/${externalId}/score`, headers: testApp.headers });
  return response.json() as { tier: string };
}

async function deliveries(id: number) {
  const response = await testApp.app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: testApp.headers });
  expect(response.statusCode).toBe(200);
  return response.json().deliveries as { status: string; attempts: number; responseStatus: number | null; payload: { externalId: string; tier: string } }[];
}

describe('webhooks', () => {
  it('delivers a signed event when a lead enters a subscribed tier', async () => {
    const receiver = await startReceiver([]);
    servers.push(receiver.server);
    const tier = testApp.app.models.active.tiers.map((spec) => spec.name);
    const subscription = await subscribe(receiver.url, tier);

    const score = await storeAndScore('hook-1');
    await testApp.app.webhooks.idle();

    expect(receiver.received).toHaveLength(1);
    const [event] = receiver.received;
    expect(verifySignature(subscription.secret, event!.body, event!.signature)).toBe(true);
    expect(verifySignature('another-secret-0123456789', event!.body, event!.signature)).toBe(false);
    expect(JSON.parse(event!.body)).toMatchObject({ event: 'lead.tier_entered', externalId: 'hook-1', tier: score.tier, previousTier: null });
    const log = await deliveries(subscription.id);
    expect(log[0]).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200 });
  });

  it('sends nothing when a rescore keeps the lead in its tier', async () => {
    const receiver = await startReceiver([]);
    servers.push(receiver.server);
    await subscribe(receiver.url, testApp.app.models.active.tiers.map((spec) => spec.name));
    await storeAndScore('hook-2');
    await testApp.app.webhooks.idle();
    const before = receiver.received.length;

    await testApp.app.inject({ method: 'POST', url: '/v1/leads/hook-2/score', headers: testApp.headers });
    await testApp.app.webhooks.idle();

    expect(before).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries with backoff until the receiver accepts', async () => {
    const receiver = await startReceiver([500, 503]);
    servers.push(receiver.server);
    const subscription = await subscribe(receiver.url, testApp.app.models.active.tiers.map((spec) => spec.name));

    await storeAndScore('hook-3');
    await testApp.app.webhooks.idle();

    expect(receiver.received).toHaveLength(3);
    expect(receiver.received[2]!.body).toBe(receiver.received[0]!.body);
    // The test app waits 20 ms before the first retry and 40 ms before the second.
    const [first, second, third] = receiver.received.map((entry) => entry.at);
    expect(second! - first!).toBeGreaterThanOrEqual(19);
    expect(third! - second!).toBeGreaterThanOrEqual(39);
    expect((await deliveries(subscription.id))[0]).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 200 });
  });

  it('gives up after the maximum attempts and logs the failure', async () => {
    const receiver = await startReceiver([500, 500, 500, 500]);
    servers.push(receiver.server);
    const subscription = await subscribe(receiver.url, testApp.app.models.active.tiers.map((spec) => spec.name));

    await storeAndScore('hook-4');
    await testApp.app.webhooks.idle();

    // The test app allows 3 attempts.
    expect(receiver.received).toHaveLength(3);
    expect((await deliveries(subscription.id))[0]).toMatchObject({ status: 'failed', attempts: 3, responseStatus: 500 });
  });

  it('ignores leads entering tiers the subscription does not list', async () => {
    const receiver = await startReceiver([]);
    servers.push(receiver.server);
    // A lead with the same attributes shows which tier hook-5 will enter.
    const entered = (await storeAndScore('hook-5-twin')).tier;
    await testApp.app.webhooks.idle();
    const otherTiers = testApp.app.models.active.tiers.map((spec) => spec.name).filter((name) => name !== entered);
    const subscription = await subscribe(receiver.url, otherTiers);

    await storeAndScore('hook-5');
    await testApp.app.webhooks.idle();

    expect(receiver.received).toHaveLength(0);
    expect(await deliveries(subscription.id)).toEqual([]);
  });

  it('lists subscriptions without secrets and deletes them', async () => {
    const created = await subscribe('http://127.0.0.1:9/unused', ['hot']);

    const listed = await testApp.app.inject({ method: 'GET', url: '/v1/webhooks', headers: testApp.headers });
    const removed = await testApp.app.inject({ method: 'DELETE', url: `/v1/webhooks/${created.id}`, headers: testApp.headers });
    const again = await testApp.app.inject({ method: 'DELETE', url: `/v1/webhooks/${created.id}`, headers: testApp.headers });

    expect(listed.json().webhooks.some((hook: { id: number }) => hook.id === created.id)).toBe(true);
    expect(listed.body).not.toContain(created.secret);
    expect(removed.statusCode).toBe(204);
    expect(again.statusCode).toBe(404);
  });

  it('generates a secret when none is given and rejects a non-HTTP URL', async () => {
    const generated = await testApp.app.inject({ method: 'POST', url: '/v1/webhooks', headers: testApp.headers, payload: { url: 'https://crm.example.test/hook', tiers: ['hot'] } });
    const ftp = await testApp.app.inject({ method: 'POST', url: '/v1/webhooks', headers: testApp.headers, payload: { url: 'ftp://host/x', tiers: ['hot'] } });

    expect(generated.statusCode).toBe(201);
    expect(generated.json().secret.length).toBeGreaterThanOrEqual(32);
    expect(ftp.statusCode).toBe(400);
    expect(ftp.json().issues[0].path).toEqual(['body', 'url']);
  });

  it('rejects unknown tier names with 400', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: testApp.headers,
      payload: { url: 'http://127.0.0.1:9/unused', tiers: ['hot', 'scorching', 'HOT'] },
    });

    expect(response.statusCode).toBe(400);
    const served = testApp.app.models.active.tiers.map((spec) => `"${spec.name}"`).join(', ');
    expect(response.json().issues).toEqual([
      { path: ['body', 'tiers', 1], code: 'invalid_value', expected: `one of ${served}`, received: '"scorching"', message: expect.stringContaining(served) },
      { path: ['body', 'tiers', 2], code: 'invalid_value', expected: `one of ${served}`, received: '"HOT"', message: expect.stringContaining(served) },
    ]);
    expect(await testApp.app.db.webhookSubscription.count({ where: { url: 'http://127.0.0.1:9/unused', tiers: { equals: ['hot', 'scorching', 'HOT'] } } })).toBe(0);
  });

  it.each([
    [{ url: 'ftp://host/x', tiers: ['hot'] }, 'url', /^url must be an absolute http:\/\/ or https:\/\/ URL/],
    [{ url: 'crm.example.com/hook', tiers: ['hot'] }, 'url', /^url must be an absolute http:\/\/ or https:\/\/ URL/],
    [{ url: 'https://crm.example.test/hook', tiers: [] }, 'tiers', /^tiers must be a non-empty list of tier names/],
    [{ url: 'https://crm.example.test/hook', tiers: 'hot' }, 'tiers', /^tiers must be a non-empty list of tier names/],
    [{ url: 'https://crm.example.test/hook', tiers: ['hot'], secret: 'short' }, 'secret', /^secret must be a string of 16 to 200 characters/],
  ])('names the rule for body %j', async (payload, field, message) => {
    const response = await testApp.app.inject({ method: 'POST', url: '/v1/webhooks', headers: testApp.headers, payload });

    expect(response.statusCode).toBe(400);
    const [issue] = response.json().issues;
    expect(issue.path).toEqual(['body', field]);
    expect(issue.message).toMatch(message);
  });
});

describe('webhook deliveries across a restart', () => {
  it('resumes a delivery left pending', async () => {
    const temp = await makeTempDir('webhook-resume');
    const receiver = await startReceiver([500]);
    servers.push(receiver.server);
    const options = { modelsDir: `${temp.dir}/models`, database: { dataDir: `${temp.dir}/data` } };
    await trainTestModels(options.modelsDir);

    // The first run fails once and would retry only after a minute, so it stops with the delivery pending.
    const first = await buildTestApp({ ...options, webhooks: { maxAttempts: 4, retryBaseMs: 60_000 } });
    const tiers = first.app.models.active.tiers.map((spec) => spec.name);
    const created = await first.app.inject({ method: 'POST', url: '/v1/webhooks', headers: first.headers, payload: { url: receiver.url, tiers } });
    const subscription = created.json() as { id: number; secret: string };
    await first.app.inject({ method: 'PUT', url: '/v1/leads/resume-1', headers: first.headers, payload: { attributes: sampleAttributes() } });
    await first.app.inject({ method: 'POST', url: '/v1/leads/resume-1/score', headers: first.headers });
    const started = Date.now();
    while (receiver.received.length === 0 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = Date.now();
    await first.app.close();
    const closeMs = Date.now() - closing;

    const second = await buildTestApp({ ...options, webhooks: { maxAttempts: 4, retryBaseMs: 20 } });
    await second.app.webhooks.idle();
    const log = await second.app.inject({ method: 'GET', url: `/v1/webhooks/${subscription.id}/deliveries`, headers: second.headers });
    await second.app.close();
    await temp.remove();

    expect(closeMs).toBeLessThan(5000);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(verifySignature(subscription.secret, receiver.received[1]!.body, receiver.received[1]!.signature)).toBe(true);
    expect(log.json().deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200 });
  });
});
