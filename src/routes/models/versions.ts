import { readFile } from 'node:fs/promises';
import path from 'node:path';

import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import type { ModelMetrics } from '../../core/model-bundle.ts';
import { markModelActive, readModelVersionStatuses } from '../../db/model-versions.ts';
import { ActivateModelResponse, ListModelsResponse, ModelVersionParams } from './schema.ts';

/** Reads a bundle's test metrics; null when metrics.json is missing or unreadable. */
async function readTestMetrics(dir: string): Promise<ModelMetrics['test'] | null> {
  try {
    return (JSON.parse(await readFile(path.join(dir, 'metrics.json'), 'utf8')) as ModelMetrics).test;
  } catch {
    return null;
  }
}

/** GET /v1/models lists trained versions; POST /v1/models/:version/activate swaps the served one. */
const modelVersionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/models', { schema: { tags: ['models'], response: { 200: ListModelsResponse } } }, async () => {
    const [registered, statuses] = await Promise.all([app.models.list(), readModelVersionStatuses(app.db)]);

    const metrics = await Promise.all(registered.map((entry) => readTestMetrics(entry.dir)));

    return {
      models: registered.map((entry, index) => {
        const recorded = statuses.get(entry.version);
        let status: 'active' | 'candidate' | 'retired' = 'candidate';
        if (entry.active) status = 'active';
        else if (recorded?.status === 'retired') status = 'retired';
        return {
          version: entry.version,
          status,
          createdAt: entry.manifest.createdAt,
          modelType: entry.manifest.modelType,
          path: entry.dir,
          activatedAt: recorded?.activatedAt?.toISOString() ?? null,
          metrics: metrics[index] ?? null,
        };
      }),
    };
  });

  app.post(
    '/v1/models/:version/activate',
    { schema: { tags: ['models'], params: ModelVersionParams, response: { 200: ActivateModelResponse } } },
    async (request) => {
      const previousVersion = app.models.active.version;

      // The registry loads the new model completely before it replaces the reference, so requests
      // that already took the old model finish on it and none sees a half-loaded one.
      const model = await app.models.activate(request.params.version);
      const registered = (await app.models.list()).find((entry) => entry.version === model.version);
      await markModelActive(app.db, { version: model.version, path: registered?.dir ?? model.version, metrics: model.bundle.metrics as ModelMetrics });

      request.log.info({ modelVersion: model.version, previousVersion }, 'model activated');
      return { version: model.version, previousVersion, status: 'active' as const };
    },
  );
};

export default fp(modelVersionRoutes, { name: 'model-version-routes', dependencies: ['database', 'model-registry'], encapsulate: true });
