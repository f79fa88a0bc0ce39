import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

import type { ServerConfig } from './config.ts';
import type { DatabaseOptions } from './db/database.ts';
import { parseSegmentAttributes, type SegmentAttributes } from './db/segments.ts';
import apiKeys, { type ApiKeyMode } from './plugins/api-keys.ts';
import database from './plugins/database.ts';
import errorHandler, { frameworkErrorHandler } from './plugins/error-handler.ts';
import leadScoring from './plugins/lead-scoring.ts';
import modelRegistry, { type ModelRegistryOptions } from './plugins/model-registry.ts';
import ruleScorer, { type RuleScorerOptions } from './plugins/rule-scorer.ts';
import webhooks from './plugins/webhooks.ts';
import healthRoutes from './routes/health/index.ts';
import leadRoutes from './routes/leads/index.ts';
import { MAX_EXTERNAL_ID_LENGTH } from './routes/leads/schema.ts';
import modelRoutes from './routes/models/index.ts';
import modelVersionRoutes from './routes/models/versions.ts';
import predictRoutes from './routes/predict/index.ts';
import webhookRoutes from './routes/webhooks/index.ts';
import type { WebhookDispatcherOptions } from './webhooks/dispatcher.ts';

export interface AppOptions extends ModelRegistryOptions, RuleScorerOptions {
  /** pino level; logging is off when omitted. */
  logLevel?: ServerConfig['LOG_LEVEL'];
  /** Destination of log lines, standard output by default; tests pass a collecting stream. */
  logStream?: NodeJS.WritableStream;
  /** The store of leads, scores and keys. */
  database: DatabaseOptions;
  /** "required" (default) checks an API key on every route but /healthz and /docs. */
  apiKeys?: ApiKeyMode;
  webhooks?: WebhookDispatcherOptions;
  /** Attribute keys for the industry, region and owner fields; by default keys of the same name. */
  segmentAttributes?: SegmentAttributes;
  /** Days of activity summarised when a stored lead is scored; 90 by default. */
  scoringPeriodDays?: number;
}

/**
 * Logger settings: request logs keep the method, route pattern and id, never the path, query
 * string, headers or body, because those carry lead ids, lead fields and keys.
 */
function loggerOptions(options: AppOptions): FastifyServerOptions['logger'] {
  if (!options.logLevel) return false;
  return {
    level: options.logLevel,
    ...(options.logStream ? { stream: options.logStream } : {}),
    serializers: {
      // Logs name the route pattern, not the path, because a path contains a CRM lead id and CRMs
      // often use email addresses as ids.
      req: (request: { method: string; id: string; routeOptions?: { url?: string } }) => ({
        method: request.method,
        route: request.routeOptions?.url ?? '(no route)',
        id: request.id,
      }),
    },
  };
}

/** Largest request body accepted: 1,000 leads of a wide export fit well within it. */
const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** Builds the Fastify application: plugins first, then routes. Does not listen. */
export async function build(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options),
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify's default of 100 would reject lead ids that the route schema allows.
    routerOptions: { maxParamLength: MAX_EXTERNAL_ID_LENGTH },
    frameworkErrors: frameworkErrorHandler(MAX_EXTERNAL_ID_LENGTH),
  });
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
    ...(options.activeFileIntervalMs !== undefined ? { activeFileIntervalMs: options.activeFileIntervalMs } : {}),
  });
  await app.register(ruleScorer, options.rulesFile ? { rulesFile: options.rulesFile } : {});
  await app.register(database, options.database);
  await app.register(apiKeys, { mode: options.apiKeys ?? 'required' });
  await app.register(webhooks, options.webhooks ?? { maxAttempts: 5, retryBaseMs: 1000 });
  await app.register(leadScoring, { scoringPeriodDays: options.scoringPeriodDays ?? 90 });

  await app.register(healthRoutes);
  await app.register(predictRoutes);
  await app.register(modelRoutes);
  await app.register(modelVersionRoutes);
  await app.register(leadRoutes, { segmentAttributes: options.segmentAttributes ?? parseSegmentAttributes('') });
  await app.register(webhookRoutes);
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
