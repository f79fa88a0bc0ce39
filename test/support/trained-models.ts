import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { ModelSettings } from '../../src/core/dataset-config.ts';
import { LeadModel } from '../../src/core/lead-model.ts';
import { readModelBundle } from '../../src/core/model-bundle.ts';
import { trainModel, type TrainResult } from '../../training/train.ts';

export const X_EDUCATION_CONFIG = path.resolve(import.meta.dirname, '../../data/x-education.config.json');

/** Small, fast model settings for tests; the seed is fixed. */
export const TEST_SETTINGS: Record<'logistic' | 'mlp', Partial<ModelSettings>> = {
  logistic: { type: 'logistic', epochs: 15, seed: 7 },
  mlp: { type: 'mlp', hiddenUnits: [16, 8], epochs: 8, seed: 7 },
};

/** Trains a model on the first `limitRows` X Education leads into a fresh temporary folder. */
export async function trainTestModel(
  type: 'logistic' | 'mlp',
  limitRows = 4000,
): Promise<{ model: LeadModel; result: TrainResult; modelsDir: string }> {
  const modelsDir = await mkdtemp(path.join(os.tmpdir(), `leadscore-${type}-`));
  const result = await trainModel({
    configPath: X_EDUCATION_CONFIG,
    modelsDir,
    modelOverrides: TEST_SETTINGS[type],
    limitRows,
    now: () => new Date('2026-01-02T03:04:05Z'),
  });
  const model = await LeadModel.fromBundle(await readModelBundle(result.dir));
  return { model, result, modelsDir };
}
