import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import { ActiveModelResponse } from './schema.ts';

/** GET /v1/models/active: what the served model is, what it reads and how it tested. */
const modelRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/models/active', { schema: { tags: ['models'], response: { 200: ActiveModelResponse } } }, async () => {
    const model = app.models.active;
    const { manifest, metrics, preprocessing } = model.bundle;

    return {
      version: manifest.version,
      createdAt: manifest.createdAt,
      modelType: manifest.modelType,
      dataset: manifest.dataset,
      features: preprocessing.columns.map((column) => ({ column: column.column, type: column.kind })),
      excludedColumns: manifest.excludedColumns,
      tiers: model.tiers,
      metrics: { test: metrics.test, trainRows: metrics.trainRows },
    };
  });
};

export default modelRoutes;
