import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { build } from '../../src/app.ts';
import { setActiveVersion } from '../../src/core/model-registry.ts';
import { createApiKey } from '../../src/db/api-keys.ts';
import { openDatabase } from '../../src/db/database.ts';
import { trainModel, type TrainResult } from '../../training/train.ts';

export const X_EDUCATION_CONFIG = path.resolve(import.meta.dirname, '../../data/x-education.config.json');

/** A small model trained on the first rows of the bundled X Education export, in a temp folder. */
export interface ModelFixture {
  modelsDir: string;
  /** Folder of the fixture's SQLite store, which contains the API key of `headers`. */
  dataDir: string;
  /** Headers carrying a valid API key for apps built on `dataDir`. */
  headers: { 'x-api-key': string };
  result: TrainResult;
  cleanup: () => Promise<void>;
}

/**
 * Trains a quick model (few epochs, `limitRows` leads) and marks it active. Seeds are fixed, so
 * the same call gives the same model.
 */
export async function trainFixtureModel(
  options: { limitRows?: number; type?: 'logistic' | 'mlp'; folds?: number } = {},
): Promise<ModelFixture> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'leadscore-test-'));
  const modelsDir = path.join(root, 'models');
  const dataDir = path.join(root, 'data');
  const result = await trainModel({
    configPath: X_EDUCATION_CONFIG,
    modelsDir,
    limitRows: options.limitRows ?? 3000,
    modelOverrides: { type: options.type ?? 'mlp', epochs: 8, patience: 3, ...(options.folds ? { folds: options.folds } : {}) },
    now: () => new Date('2026-01-15T10:00:00Z'),
  });
  await setActiveVersion(modelsDir, result.version);
  const database = await openDatabase({ dataDir });
  const { key } = await createApiKey(database.client, 'test');
  await database.close();
  return { modelsDir, dataDir, headers: { 'x-api-key': key }, result, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Builds the real app over a fixture's models folder and store, without a logger. */
export function buildTestApp(fixture: ModelFixture): Promise<FastifyInstance> {
  return build({ modelsDir: fixture.modelsDir, database: { dataDir: fixture.dataDir } });
}
