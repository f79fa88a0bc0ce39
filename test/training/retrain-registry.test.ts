import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { ModelNotFoundError } from '../../src/core/errors.ts';
import { appendRetrainDecision, readRetrainRegistry, type RetrainDecision } from '../../src/core/retrain-registry.ts';

const metrics = { rows: 10, positives: 3, positiveRate: 0.3, auc: 0.7, prAuc: 0.5, brier: 0.2, ece: 0.05, logLoss: 0.5 };
const decision: RetrainDecision = {
  decidedAt: '2030-01-01T00:00:00.000Z',
  challenger: 'deals-20300101-000000-logistic',
  active: null,
  promoted: true,
  reason: 'no active model to compare with',
  heldOut: { rows: 10, wins: 3, cutoff: '2029-12-01' },
  margins: { auc: 0.005, logLoss: 0.005 },
  metrics: { challenger: metrics, active: null },
};

describe('retrain registry', () => {
  it('appends decisions in order', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-registry-'));
    await appendRetrainDecision(folder, decision);
    await appendRetrainDecision(folder, { ...decision, promoted: false, reason: 'worse' });

    const registry = await readRetrainRegistry(folder);
    expect(registry.decisions.map((entry) => entry.reason)).toEqual(['no active model to compare with', 'worse']);
  });

  it('reads a missing file as empty', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-registry-'));
    expect(await readRetrainRegistry(folder)).toEqual({ decisions: [] });
  });

  it('rejects appending to a damaged file', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-registry-'));
    writeFileSync(path.join(folder, 'registry.json'), '{"decisions": [');

    await expect(appendRetrainDecision(folder, decision)).rejects.toThrow(ModelNotFoundError);
    await expect(readRetrainRegistry(folder)).rejects.toThrow(/is not valid JSON/);
  });
});
