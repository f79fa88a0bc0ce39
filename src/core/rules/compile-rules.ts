import type { RawValue } from '../values.ts';
import { type Activity, compileActivityMatcher, compileCondition } from './conditions.ts';
import type { RulesFile, ScoringRule } from './rules-schema.ts';

/** A rule with its conditions compiled once. */
export interface CompiledRule {
  definition: ScoringRule;
  /** The column a column rule reads, or undefined for an activity rule. */
  column?: string;
  matchesValue: (value: RawValue) => boolean;
  matchesActivity: (activity: Activity) => boolean;
}

/** A rules file ready for scoring many leads. */
export interface CompiledRules {
  rules: CompiledRule[];
  activityExclusions: { id: string; matches: (activity: Activity) => boolean }[];
  columnExclusions: { id: string; column: string; matches: (value: RawValue) => boolean }[];
  scoringPeriodDays?: number;
}

const cache = new WeakMap<RulesFile, CompiledRules>();
const never = (): boolean => false;

/**
 * Compiles a validated rules file, caching the result per rules object, so the object must not be
 * changed after its first use.
 */
export function compileRules(rules: RulesFile): CompiledRules {
  const cached = cache.get(rules);
  if (cached !== undefined) {
    return cached;
  }

  const compiled: CompiledRules = {
    rules: rules.rules.map(compileRule),
    activityExclusions: [],
    columnExclusions: [],
    scoringPeriodDays: rules.scoringPeriodDays,
  };
  for (const exclusion of rules.exclusions) {
    if (exclusion.activity !== undefined) {
      compiled.activityExclusions.push({ id: exclusion.id, matches: compileActivityMatcher(exclusion.activity) });
    } else if (exclusion.column !== undefined && exclusion.when !== undefined) {
      const matches = compileCondition(exclusion.when);
      compiled.columnExclusions.push({ id: exclusion.id, column: exclusion.column, matches });
    }
  }

  cache.set(rules, compiled);
  return compiled;
}

function compileRule(definition: ScoringRule): CompiledRule {
  switch (definition.kind) {
    case 'column-value':
      return {
        definition,
        column: definition.column,
        matchesValue: compileCondition(definition.when),
        matchesActivity: never,
      };
    case 'column-count':
      return { definition, column: definition.column, matchesValue: never, matchesActivity: never };
    case 'activity':
      return { definition, matchesValue: never, matchesActivity: compileActivityMatcher(definition.activity) };
  }
}

/** Lists the lead columns a rules file reads, so a CSV header can be checked before scoring. */
export function columnsRead(rules: RulesFile): string[] {
  const columns = new Set<string>();
  for (const rule of rules.rules) {
    if (rule.kind !== 'activity') {
      columns.add(rule.column);
    }
  }
  for (const exclusion of rules.exclusions) {
    if (exclusion.column !== undefined) {
      columns.add(exclusion.column);
    }
  }
  return [...columns];
}
