import { isDeepStrictEqual } from 'node:util';

import type { Prisma } from '../generated/sqlite/client.ts';
import type { RulesFile } from '../core/rules/rules-schema.ts';
import type { DatabaseClient } from './database.ts';

/**
 * Stores a loaded rules file as a new version of its name when its content differs from the
 * latest stored version, so every rule score can be traced to the rules in force. Returns the
 * version in force. Two servers loading a changed file at once race on the (name, version) unique
 * index; the loser throws and should be restarted.
 */
export async function recordRuleSet(db: DatabaseClient, rules: RulesFile): Promise<number> {
  const latest = await db.ruleSet.findFirst({ where: { name: rules.name }, orderBy: { version: 'desc' } });
  if (latest && isDeepStrictEqual(latest.rules, JSON.parse(JSON.stringify(rules)))) return latest.version;

  const created = await db.ruleSet.create({
    data: { name: rules.name, version: (latest?.version ?? 0) + 1, rules: rules as unknown as Prisma.InputJsonObject },
  });
  return created.version;
}
