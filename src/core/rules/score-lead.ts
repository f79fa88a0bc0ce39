import type { LeadRecord, RawValue } from '../values.ts';
import { type Activity, isMissing, toNumber } from './conditions.ts';
import { compileRules, type CompiledRule, type CompiledRules } from './compile-rules.ts';
import { ageInDays, decayFactor } from './decay.ts';
import type { RulesFile, ScoreGroup } from './rules-schema.ts';

/** A rule that added or deducted points, for explanations. */
export interface FiredRule {
  id: string;
  group: ScoreGroup;
  description?: string;
  points: number;
  /** Matching activities (activity rules) or full units of the column (column-count rules). */
  occurrences?: number;
  /** True when the rule's cap cut its points. */
  capped: boolean;
}

/** An exclusion that removed behaviour from scoring. */
export interface AppliedExclusion {
  id: string;
  /** Activities it removed, 0 for a column exclusion. */
  activities: number;
  column?: string;
}

/** A lead's rule score: total and group subtotals after caps, with the rules behind them. */
export interface RuleScore {
  total: number;
  fit: number;
  engagement: number;
  fired: FiredRule[];
  excluded: AppliedExclusion[];
}

/** A lead value a rule cannot use, such as text in a numeric column. */
export class LeadValueError extends Error {
  override name = 'LeadValueError';

  constructor(
    readonly column: string,
    readonly value: RawValue,
    readonly ruleId: string,
    expected: string,
  ) {
    super(`column '${column}': ${JSON.stringify(value)} is not usable by rule '${ruleId}'; expected ${expected}`);
  }
}

/**
 * Scores one lead with a rules file.
 *
 * Column rules read `lead`. Activity rules read `activities`, keeping only those that no exclusion
 * matches, that occurred at or before `asOf` and within the scoring period. Each activity's points
 * are decayed by its age at `asOf` (default: now) unless the rule sets `decays: false`. Per-rule caps
 * apply first, then group caps, then the total cap and floor, so the total can differ from
 * fit + engagement when the total cap cuts it.
 * Throws LeadValueError for a column-count value that is not a number of 0 or more, and for an
 * activity whose `occurredAt` is not a valid date.
 */
export function scoreLead(
  rules: RulesFile,
  lead: Readonly<LeadRecord>,
  activities: readonly Activity[] = [],
  asOf: Date = new Date(),
): RuleScore {
  const compiled = compileRules(rules);
  const excludedColumns = findExcludedColumns(compiled, lead);
  const counted = selectActivities(compiled, activities, asOf);

  const fired: FiredRule[] = [];
  for (const rule of compiled.rules) {
    const value = excludedColumns.has(rule.column ?? '') ? undefined : lead[rule.column ?? ''];
    const result = applyRule(rule, value, counted.activities, asOf, rules);
    if (result !== undefined) {
      fired.push(result);
    }
  }

  const fit = capGroup(fired, 'fit', rules.groupCaps.fit);
  const engagement = capGroup(fired, 'engagement', rules.groupCaps.engagement);
  const total = clamp(fit + engagement, rules.totalFloor, rules.totalCap);
  const excluded = [
    ...excludedColumns.values(),
    ...counted.excluded,
  ];
  return { total, fit, engagement, fired, excluded };
}

function applyRule(
  rule: CompiledRule,
  value: RawValue,
  activities: readonly Activity[],
  asOf: Date,
  rules: RulesFile,
): FiredRule | undefined {
  const { definition } = rule;
  const base = { id: definition.id, group: definition.group, description: definition.description };

  if (definition.kind === 'column-value') {
    return rule.matchesValue(value) ? { ...base, points: definition.points, capped: false } : undefined;
  }

  if (definition.kind === 'column-count') {
    const units = readUnits(definition.column, value, definition.id, definition.unitSize);
    if (units === 0) {
      return undefined;
    }
    return { ...base, occurrences: units, ...capPoints(units * definition.pointsPerUnit, definition.cap) };
  }

  const matching = activities.filter(rule.matchesActivity);
  if (matching.length === 0) {
    return undefined;
  }
  const decay = definition.decays ? rules.decay : undefined;
  const points = matching.reduce(
    (sum, activity) => sum + definition.pointsPerOccurrence * decayFactor(decay, ageInDays(activity.occurredAt, asOf)),
    0,
  );
  return { ...base, occurrences: matching.length, ...capPoints(points, definition.cap) };
}

function readUnits(column: string, value: RawValue, ruleId: string, unitSize: number): number {
  if (isMissing(value)) {
    return 0;
  }
  const number = toNumber(value);
  if (number === undefined || number < 0) {
    throw new LeadValueError(column, value, ruleId, 'a number of 0 or more, or a blank cell');
  }
  return Math.floor(number / unitSize);
}

/** Limits points to the cap in magnitude, so a cap also bounds a deduction. */
function capPoints(points: number, cap: number): { points: number; capped: boolean } {
  if (Math.abs(points) <= cap) {
    return { points, capped: false };
  }
  return { points: Math.sign(points) * cap, capped: true };
}

function capGroup(fired: readonly FiredRule[], group: ScoreGroup, cap: number | undefined): number {
  const subtotal = fired.filter((rule) => rule.group === group).reduce((sum, rule) => sum + rule.points, 0);
  return clamp(subtotal, undefined, cap);
}

function clamp(value: number, floor: number | undefined, cap: number | undefined): number {
  return Math.min(Math.max(value, floor ?? Number.NEGATIVE_INFINITY), cap ?? Number.POSITIVE_INFINITY);
}

function findExcludedColumns(compiled: CompiledRules, lead: Readonly<LeadRecord>): Map<string, AppliedExclusion> {
  const excluded = new Map<string, AppliedExclusion>();
  for (const exclusion of compiled.columnExclusions) {
    if (exclusion.matches(lead[exclusion.column])) {
      excluded.set(exclusion.column, { id: exclusion.id, activities: 0, column: exclusion.column });
    }
  }
  return excluded;
}

function selectActivities(
  compiled: CompiledRules,
  activities: readonly Activity[],
  asOf: Date,
): { activities: Activity[]; excluded: AppliedExclusion[] } {
  const periodDays = compiled.scoringPeriodDays ?? Number.POSITIVE_INFINITY;
  const removedBy = new Map<string, number>();
  const kept: Activity[] = [];

  for (const activity of activities) {
    if (Number.isNaN(activity.occurredAt.getTime())) {
      throw new LeadValueError('occurredAt', String(activity.occurredAt), '(activities)', 'an ISO 8601 date-time');
    }
    const exclusion = compiled.activityExclusions.find((candidate) => candidate.matches(activity));
    if (exclusion !== undefined) {
      removedBy.set(exclusion.id, (removedBy.get(exclusion.id) ?? 0) + 1);
      continue;
    }
    const age = ageInDays(activity.occurredAt, asOf);
    if (age >= 0 && age <= periodDays) {
      kept.push(activity);
    }
  }

  const excluded = [...removedBy].map(([id, count]) => ({ id, activities: count }));
  return { activities: kept, excluded };
}
