import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

import errorHandler from './plugins/error-handler.ts';
import modelRegistry, { type ModelRegistryOptions } from './plugins/model-registry.ts';
import healthRoutes from './routes/health/index.ts';
import modelRoutes from './routes/models/index.ts';
import predictRoutes from './routes/predict/index.ts';

export interface AppOptions extends ModelRegistryOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Largest request body accepted: 1,000 leads of a wide export fit well within it. */
const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** Builds the Fastify application: plugins first, then routes. Does not listen. */
export async function build(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT_BYTES });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: { title: 'leadscore', description: 'Predictive lead scoring API', version: '0.1.0' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(errorHandler);
  await app.register(modelRegistry, options);

  await app.register(healthRoutes);
  await app.register(predictRoutes);
  await app.register(modelRoutes);
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
