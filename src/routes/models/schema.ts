import { z } from 'zod';

const Metrics = z.object({
  rows: z.number(),
  positives: z.number(),
  positiveRate: z.number(),
  auc: z.number(),
  prAuc: z.number(),
  brier: z.number(),
  ece: z.number(),
  logLoss: z.number(),
});

export const ActiveModelResponse = z.object({
  version: z.string(),
  createdAt: z.string(),
  modelType: z.string(),
  dataset: z.object({ name: z.string(), configFile: z.string(), sourceFile: z.string() }),
  features: z.array(z.object({ column: z.string(), type: z.enum(['numeric', 'categorical', 'boolean', 'date']) })),
  excludedColumns: z.array(z.object({ column: z.string(), reason: z.string() })),
  tiers: z.array(z.object({ name: z.string(), minProbability: z.number() })),
  metrics: z.object({ test: Metrics, trainRows: z.number() }),
});

export const ModelVersionParams = z.object({ version: z.string().min(1).max(200) });

export const ModelVersionSummary = z.object({
  version: z.string(),
  status: z.enum(['active', 'candidate', 'retired']),
  createdAt: z.string(),
  modelType: z.string(),
  path: z.string(),
  activatedAt: z.string().nullable(),
  metrics: Metrics.nullable().describe('Test-split metrics; null when the bundle has none'),
});

export const ListModelsResponse = z.object({ models: z.array(ModelVersionSummary) });

export const ActivateModelResponse = z.object({
  version: z.string(),
  previousVersion: z.string(),
  status: z.literal('active'),
});
