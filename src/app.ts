import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

import type { ServerConfig } from './config.ts';
import errorHandler from './plugins/error-handler.ts';
import modelRegistry, { type ModelRegistryOptions } from './plugins/model-registry.ts';
import ruleScorer, { type RuleScorerOptions } from './plugins/rule-scorer.ts';
import healthRoutes from './routes/health/index.ts';
import modelRoutes from './routes/models/index.ts';
import predictRoutes from './routes/predict/index.ts';

export interface AppOptions extends ModelRegistryOptions, RuleScorerOptions {
  /** pino level; logging is off when omitted. */
  logLevel?: ServerConfig['LOG_LEVEL'];
  /** Where log lines go (standard output by default); tests pass a collecting stream. */
  logStream?: NodeJS.WritableStream;
}

/**
 * Logger settings: request logs keep the method, path and id, never the query string, headers or
 * body, because those carry lead fields and keys.
 */
function loggerOptions(options: AppOptions): FastifyServerOptions['logger'] {
  if (!options.logLevel) return false;
  return {
    level: options.logLevel,
    ...(options.logStream ? { stream: options.logStream } : {}),
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        url: request.url.split('?')[0],
        id: request.id,
      }),
    },
  };
}

/** Largest request body accepted: 1,000 leads of a wide export fit well within it. */
const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** Builds the Fastify application: plugins first, then routes. Does not listen. */
export async function build(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: loggerOptions(options), bodyLimit: BODY_LIMIT_BYTES });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: { title: 'leadscore', description: 'Predictive lead scoring API', version: '0.1.0' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(errorHandler);
  await app.register(modelRegistry, {
    modelsDir: options.modelsDir,
    ...(options.modelDir ? { modelDir: options.modelDir } : {}),
    ...(options.tiers ? { tiers: options.tiers } : {}),
  });
  await app.register(ruleScorer, options.rulesFile ? { rulesFile: options.rulesFile } : {});

  await app.register(healthRoutes);
  await app.register(predictRoutes);
  await app.register(modelRoutes);
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
