import type { FastifyInstance } from 'fastify';

import { build } from './app.ts';
import type { ServerConfig } from './config.ts';

/** Shortest time the server waits for open requests before it exits on a signal. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Starts the API: builds the app with a pino logger at the configured level, listens on
 * HOST:PORT and closes gracefully on SIGINT or SIGTERM (open requests finish first).
 */
export async function startServer(config: ServerConfig, overrides: { modelDir?: string; rulesFile?: string } = {}): Promise<FastifyInstance> {
  const modelDir = overrides.modelDir ?? config.MODEL_DIR;
  const rulesFile = overrides.rulesFile ?? config.RULES_FILE;
  const app = await build({
    modelsDir: config.MODELS_DIR,
    ...(modelDir ? { modelDir } : {}),
    ...(config.LEADSCORE_TIERS ? { tiers: config.LEADSCORE_TIERS } : {}),
    ...(rulesFile ? { rulesFile } : {}),
    logLevel: config.LOG_LEVEL,
    database: { dataDir: config.DATA_DIR, ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}) },
    apiKeys: config.LEADSCORE_API_KEYS,
    webhooks: { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, retryBaseMs: config.WEBHOOK_RETRY_BASE_MS },
    segmentAttributes: config.LEADSCORE_SEGMENT_ATTRIBUTES,
    scoringPeriodDays: config.LEADSCORE_SCORING_PERIOD_DAYS,
  });
  app.server.requestTimeout = 30_000;

  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));

  await app.listen({ port: config.PORT, host: config.HOST });
  return app;
}
