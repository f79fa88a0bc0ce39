import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { FastifyInstance } from 'fastify';

import { build, type AppOptions } from '../../src/app.ts';
import { setActiveVersion } from '../../src/core/model-registry.ts';
import { createApiKey } from '../../src/db/api-keys.ts';
import { trainModel } from '../../training/train.ts';

const CONFIG_PATH = fileURLToPath(new URL('../../data/x-education.config.json', import.meta.url));

/** A scratch folder removed by the returned cleanup. */
export async function makeTempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `leadscore-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Trains `count` small logistic models on the first 1,200 X Education leads (3 epochs, fixed clock
 * one minute apart) into `modelsDir` and makes the first one active. Returns their versions.
 */
export async function trainTestModels(modelsDir: string, count = 1): Promise<string[]> {
  const versions: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const result = await trainModel({
      configPath: CONFIG_PATH,
      modelsDir,
      modelOverrides: { type: 'logistic', epochs: 3 + index },
      limitRows: 1200,
      now: () => new Date(Date.UTC(2026, 0, 1, 12, index)),
    });
    versions.push(result.version);
  }
  await setActiveVersion(modelsDir, versions[0]!);
  return versions;
}

export interface TestApp {
  app: FastifyInstance;
  /** Headers carrying a valid API key. */
  headers: { 'x-api-key': string };
}

/** Builds the real app on the given store and creates an API key for the requests of the test. */
export async function buildTestApp(options: Omit<AppOptions, 'logger'>): Promise<TestApp> {
  const app = await build({ webhooks: { maxAttempts: 3, retryBaseMs: 20 }, ...options });
  const { key } = await createApiKey(app.db, 'test');
  return { app, headers: { 'x-api-key': key } };
}

/** A lead in the X Education export's columns, with a few values the model reads. */
export function sampleAttributes(overrides: Record<string, string | number | null> = {}): Record<string, string | number | null> {
  return {
    'Lead Origin': 'Landing Page Submission',
    'Lead Source': 'Google',
    TotalVisits: 5,
    'Total Time Spent on Website': 1200,
    'Page Views Per Visit': 2.5,
    'Last Activity': 'Email Opened',
    Country: 'India',
    Specialization: 'Finance Management',
    ...overrides,
  };
}
