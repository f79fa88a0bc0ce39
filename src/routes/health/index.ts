import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const HealthResponse = z.object({ status: z.literal('ok'), modelVersion: z.string() });

/** GET /healthz: liveness for load balancers, with the version being served. */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: HealthResponse } } }, async () => {
    return { status: 'ok' as const, modelVersion: app.models.active.version };
  });
};

export default healthRoutes;
