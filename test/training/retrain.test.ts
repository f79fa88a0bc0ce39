import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { DatasetConfigError } from '../../src/core/errors.ts';
import type { ClassificationMetrics } from '../../src/core/metrics.ts';
import { readActiveVersion } from '../../src/core/model-registry.ts';
import { readRetrainRegistry } from '../../src/core/retrain-registry.ts';
import { decidePromotion, retrainModel } from '../../training/retrain.ts';
import { createSyntheticDataset } from './synthetic-config.ts';

const metrics = (auc: number, logLoss: number): ClassificationMetrics => ({
  rows: 100,
  positives: 30,
  positiveRate: 0.3,
  auc,
  prAuc: 0.5,
  brier: 0.2,
  ece: 0.05,
  logLoss,
});
const margins = { auc: 0.005, logLoss: 0.005 };

describe('decidePromotion', () => {
  it.each([
    ['no active model', metrics(0.6, 0.5), undefined, true],
    ['better on both', metrics(0.72, 0.48), metrics(0.7, 0.5), true],
    ['slightly worse within margins', metrics(0.696, 0.504), metrics(0.7, 0.5), true],
    ['AUC lower beyond margin', metrics(0.694, 0.49), metrics(0.7, 0.5), false],
    ['log loss higher beyond margin', metrics(0.75, 0.506), metrics(0.7, 0.5), false],
  ])('decides %s', (_case, challenger, active, promoted) => {
    expect(decidePromotion(challenger, active, margins).promoted).toBe(promoted);
  });

  it('names the failing metric', () => {
    const verdict = decidePromotion(metrics(0.6, 0.5), metrics(0.7, 0.5), margins);
    expect(verdict.reason).toContain('AUC 0.6000 vs 0.7000 is lower by more than 0.005');
  });

  it('keeps the active model over a low-confidence challenger', () => {
    const verdict = decidePromotion(metrics(0.9, 0.1), metrics(0.7, 0.5), margins, 'only 40 wins (minimum 100)');
    expect(verdict.promoted).toBe(false);
    expect(verdict.reason).toContain('low-confidence');
  });
});

describe('retrainModel', () => {
  it('promotes, then keeps the active model over a worse challenger', async () => {
    const good = await createSyntheticDataset({ rows: 4000, seed: 11 });
    const noise = await createSyntheticDataset({ rows: 4000, seed: 12, signal: false });
    const modelsDir = good.modelsDir;

    const first = await retrainModel({ configPath: good.configPath, modelsDir });
    expect(first.decision.promoted).toBe(true);
    expect(first.decision.active).toBeNull();
    expect(await readActiveVersion(modelsDir)).toBe(first.training.version);

    const second = await retrainModel({ configPath: noise.configPath, modelsDir, now: () => new Date('2030-01-01T00:00:00Z') });
    expect(second.decision.active).toBe(first.training.version);
    expect(second.decision.promoted).toBe(false);
    expect(second.decision.metrics.active!.rows).toBe(second.decision.metrics.challenger.rows);
    expect(second.decision.metrics.active!.auc).toBeGreaterThan(second.decision.metrics.challenger.auc);
    expect(await readActiveVersion(modelsDir)).toBe(first.training.version);

    const registry = await readRetrainRegistry(modelsDir);
    expect(registry.decisions.map((decision) => decision.promoted)).toEqual([true, false]);
    expect(registry.decisions[1]!.reason).toMatch(/worse/);
  });

  it('scores the active model like training on identical data', async () => {
    const dataset = await createSyntheticDataset({ rows: 3000, seed: 21 });
    await retrainModel({ configPath: dataset.configPath, modelsDir: dataset.modelsDir });
    const again = await retrainModel({
      configPath: dataset.configPath,
      modelsDir: dataset.modelsDir,
      now: () => new Date('2030-01-01T00:00:00Z'),
    });

    // Same data and seed give the same model, so the serving path must reproduce the test metrics.
    expect(again.decision.metrics.active!.auc).toBeCloseTo(again.decision.metrics.challenger.auc, 6);
    expect(again.decision.metrics.active!.logLoss).toBeCloseTo(again.decision.metrics.challenger.logLoss, 5);
    expect(again.decision.promoted).toBe(true);
    const metricsFile = JSON.parse(await readFile(path.join(again.training.dir, 'metrics.json'), 'utf8'));
    expect(metricsFile.split.cutoff).toBe(again.decision.heldOut.cutoff);
  });

  it('rejects a config of another dataset', async () => {
    const first = await createSyntheticDataset({ rows: 2000, seed: 31 });
    const other = await createSyntheticDataset({ rows: 2000, seed: 32, config: { name: 'other-deals' } });
    const trained = await retrainModel({ configPath: first.configPath, modelsDir: first.modelsDir });
    const versionsBefore = await readdir(first.modelsDir);

    const retrain = retrainModel({ configPath: other.configPath, modelsDir: first.modelsDir, now: () => new Date('2030-01-01T00:00:00Z') });

    await expect(retrain).rejects.toThrow(DatasetConfigError);
    await expect(retrain).rejects.toThrow(`the active model ${trained.training.version} was trained on dataset 'synthetic-deals'`);
    await expect(retrain).rejects.toThrow("is for dataset 'other-deals'");
    await expect(retrain).rejects.toThrow(`run 'leadscore train --config ${other.configPath}'`);
    expect(await readActiveVersion(first.modelsDir)).toBe(trained.training.version);
    expect(await readdir(first.modelsDir)).toEqual(versionsBefore);
  });
});
