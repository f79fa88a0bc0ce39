import { z } from 'zod';

import type { TierSpec } from './core/dataset-config.ts';
import { parseTierList } from './core/tiers.ts';
import { redactDatabaseUrl } from './db/database-url.ts';
import { DEFAULT_SEGMENT_ATTRIBUTES_TEXT, parseSegmentAttributes, type SegmentAttributes } from './db/segments.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

const SegmentAttributeList = z.string().transform((text, context): SegmentAttributes => {
  try {
    return parseSegmentAttributes(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const TierList = z.string().transform((text, context): TierSpec[] => {
  try {
    return parseTierList(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Settings read from the environment at start-up; the only place that reads process.env. */
export const ServerConfig = z.object({
  /** 0 lets the system pick a free port. */
  PORT: z
    .string()
    .regex(/^\d+$/, 'must be a whole number from 0 to 65535')
    .transform(Number)
    .pipe(z.number().max(65_535, 'must be a whole number from 0 to 65535'))
    .default(3000),
  HOST: z.string().min(1, 'must be a host name or IP address, such as 127.0.0.1').default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of trained versions; its active.json names the served one. */
  MODELS_DIR: z.string().min(1).default('models'),
  /** Serves this model folder instead of the active one. */
  MODEL_DIR: z.string().min(1).optional(),
  /** Dataset config that `leadscore start` trains on when no model exists yet. */
  DATASET_CONFIG: z.string().min(1).default('data/x-education.config.json'),
  /** Tier thresholds overriding the model's, as "hot:0.6,warm:0.3,cold:0". */
  LEADSCORE_TIERS: TierList.optional(),
  /** Rules file (JSON) whose scores POST /v1/predict returns beside the model's probability. */
  RULES_FILE: z.string().min(1).optional(),
  /** Folder of the SQLite database file (leadscore.db), used when DATABASE_URL is not set. */
  DATA_DIR: z.string().min(1).default('data'),
  /** A PostgreSQL server to store leads in instead of SQLite, as postgresql://user@host:port/db. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL; leave it unset for the SQLite file in DATA_DIR')
    .optional(),
  /** "required": every route but /healthz and /docs needs an API key; "disabled" only on a loopback HOST. */
  LEADSCORE_API_KEYS: z.enum(['required', 'disabled']).default('required'),
  /** Attribute keys that fill the lead's segment fields, as "industry=Industry,region=Country,owner=Owner". */
  LEADSCORE_SEGMENT_ATTRIBUTES: SegmentAttributeList.prefault(DEFAULT_SEGMENT_ATTRIBUTES_TEXT),
  /** Days of activity counted when a stored lead is scored. */
  LEADSCORE_SCORING_PERIOD_DAYS: z.coerce.number().int().positive().max(3650).default(90),
  /** Attempts per webhook delivery, the first one included. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  /** Wait before the first webhook retry in milliseconds; it doubles on each further retry. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
}).superRefine((config, context) => {
  if (config.LEADSCORE_API_KEYS === 'disabled' && !LOOPBACK_HOSTS.has(config.HOST)) {
    context.addIssue({
      code: 'custom',
      path: ['LEADSCORE_API_KEYS'],
      message: `API keys can be disabled only when HOST is a loopback address (${[...LOOPBACK_HOSTS].join(', ')}), not '${config.HOST}'; create a key with 'npx leadscore keys create --name NAME'`,
    });
  }
});
export type ServerConfig = z.infer<typeof ServerConfig>;

/** Raised when an environment variable has a value that is not allowed. */
export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
}

/** Validates settings from `env`; throws ServerConfigError naming each variable, value and rule. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = ServerConfig.safeParse(env);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = JSON.stringify(env[name]);
    // DATABASE_URL may carry a password, which must not reach the terminal or a log collector.
    const shown = name === 'DATABASE_URL' && value !== undefined ? redactDatabaseUrl(value) : value;
    return `  ${name}=${shown}: ${issue.message}`;
  });
  throw new ServerConfigError(`invalid environment settings:\n${problems.join('\n')}`);
}
