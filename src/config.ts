import { z } from 'zod';

import type { TierSpec } from './core/dataset-config.ts';
import { parseTierList } from './core/tiers.ts';

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
  /** 0 asks the system for a free port. */
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
    return `  ${name}=${JSON.stringify(env[name])}: ${issue.message}`;
  });
  throw new ServerConfigError(`invalid environment settings:\n${problems.join('\n')}`);
}
