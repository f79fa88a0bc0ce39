import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { build } from '../src/app.ts';
import { trainFixtureModel, type ModelFixture } from './helpers/model-fixture.ts';

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
    const lead = { 'Lead Source': 'Secret-Source-Value', TotalVisits: 1234, Email: 'ana@example.com' };

    const ok = await app.inject({ method: 'POST', url: '/v1/predict?email=ana@example.com', headers: fixture.headers, payload: { leads: [lead] } });
    const bad = await app.inject({ method: 'POST', url: '/v1/predict', headers: fixture.headers, payload: { leads: [{ ...lead, TotalVisits: -7 }] } });
    const byEmailId = await app.inject({ method: 'GET', url: '/v1/leads/jane.doe@example.org/scores', headers: fixture.headers });
    await app.close();

    expect(ok.statusCode).toBe(200);
    expect(bad.statusCode).toBe(400);
    const text = lines.join('\n');
    expect(lines.some((line) => JSON.parse(line).modelVersion === fixture.result.version)).toBe(true);
    expect(text).toContain('invalid request');
    expect(byEmailId.statusCode).toBeLessThan(500);
    expect(text).toContain('/v1/leads/:externalId/scores');
    for (const secret of ['Secret-Source-Value', '1234', 'ana@example.com', '-7', 'jane.doe@example.org']) expect(text).not.toContain(secret);
  });
});
