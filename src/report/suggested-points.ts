import type { RuleScore } from '../core/rules/score-lead.ts';
import type { RulesFile, ScoringRule } from '../core/rules/rules-schema.ts';
import { wilsonInterval } from './close-rates.ts';
import { fitLogisticRegression } from './logistic-fit.ts';

/** A data-backed value for one rule's points beside the current one, with its evidence. */
export interface SuggestedPoints {
  ruleId: string;
  group: string;
  description?: string;
  /** Field of the rule that holds the points: fixed points, points per unit, or points per occurrence. */
  pointsField: 'points' | 'pointsPerUnit' | 'pointsPerOccurrence';
  currentPoints: number;
  /** Suggested value, or null when the rule fired on no training lead and the data gives no evidence. */
  suggestedPoints: number | null;
  /** Log-odds change per unit of the rule's feature (1 for a fixed-points rule). */
  coefficient: number;
  /** Training leads on which the rule fired. */
  firedLeads: number;
  closeRateWhenFired: number;
  closeRateLower: number;
  closeRateUpper: number;
  /** Close rate when fired divided by the overall training close rate. */
  lift: number;
}

/** The fit behind the suggestions and how its points were scaled. */
export interface PointsSuggestion {
  trainingLeads: number;
  baseCloseRate: number;
  intercept: number;
  l2: number;
  /** Points per unit of log-odds used to turn coefficients into points. */
  pointsPerLogOdds: number;
  /** Largest points any current rule can add or deduct, which the strongest suggestion gets. */
  teamPointRange: number;
  rules: SuggestedPoints[];
}

/**
 * Fits a logistic regression of won/lost on the rules' features over the training leads and turns
 * its coefficients into points on the team's scale.
 *
 * A rule's feature is its points divided by its points per unit: 0/1 for a fixed-points rule, the
 * capped number of units for a column-count rule, and the decayed, capped number of occurrences for
 * an activity rule. Log-odds add up as points do, so the coefficients are points on another scale.
 * The scale makes the strongest rule's largest contribution equal the largest one the team uses now.
 * Correlated rules share credit, so one rule's coefficient can be small or even change sign while
 * its lift is high; read coefficient and lift together.
 */
export function suggestPoints(
  rules: RulesFile,
  scores: readonly RuleScore[],
  labels: ArrayLike<number>,
  l2 = 1,
): PointsSuggestion {
  const features = scores.map((score) => featureRow(rules.rules, score));
  const fit = fitLogisticRegression(features, labels, { l2 });
  const wins = Array.from(labels).reduce((sum, label) => sum + label, 0);
  const baseCloseRate = wins / labels.length;

  const teamPointRange = Math.max(...rules.rules.map((rule) => Math.abs(unitPoints(rule)) * maxUnits(rule)));
  const strongest = Math.max(...rules.rules.map((rule, index) => Math.abs(fit.weights[index]!) * maxUnits(rule)));
  const pointsPerLogOdds = strongest > 0 ? teamPointRange / strongest : 0;

  const suggestions = rules.rules.map((rule, index) => {
    const fired = features.flatMap((row, lead) => (row[index]! !== 0 ? [lead] : []));
    const firedWins = fired.reduce((sum, lead) => sum + labels[lead]!, 0);
    const closeRateWhenFired = fired.length > 0 ? firedWins / fired.length : Number.NaN;
    const interval = wilsonInterval(firedWins, fired.length);
    const coefficient = fit.weights[index]!;
    return {
      ruleId: rule.id,
      group: rule.group,
      description: rule.description,
      pointsField: pointsField(rule),
      currentPoints: unitPoints(rule),
      suggestedPoints: fired.length > 0 ? roundPoints(coefficient * pointsPerLogOdds, rule) : null,
      coefficient,
      firedLeads: fired.length,
      closeRateWhenFired,
      closeRateLower: interval.lower,
      closeRateUpper: interval.upper,
      lift: closeRateWhenFired / baseCloseRate,
    };
  });

  return { trainingLeads: labels.length, baseCloseRate, intercept: fit.intercept, l2, pointsPerLogOdds, teamPointRange, rules: suggestions };
}

/**
 * Re-scores leads with the suggested points in place of the current ones (caps and group caps
 * are not re-applied), so the report can show what the suggestion would rank like.
 */
export function rescoreWithSuggestion(rules: RulesFile, scores: readonly RuleScore[], suggestion: PointsSuggestion): number[] {
  return scores.map((score) => {
    const row = featureRow(rules.rules, score);
    return row.reduce((sum, units, index) => sum + units * (suggestion.rules[index]!.suggestedPoints ?? 0), 0);
  });
}

/** Builds the rules' features for one scored lead: the units each rule counted, in rule order. */
export function featureRow(rules: readonly ScoringRule[], score: RuleScore): number[] {
  const pointsById = new Map(score.fired.map((fired) => [fired.id, fired.points]));
  return rules.map((rule) => {
    const points = pointsById.get(rule.id) ?? 0;
    return points === 0 ? 0 : points / unitPoints(rule);
  });
}

function unitPoints(rule: ScoringRule): number {
  switch (rule.kind) {
    case 'column-value':
      return rule.points;
    case 'column-count':
      return rule.pointsPerUnit;
    case 'activity':
      return rule.pointsPerOccurrence;
  }
}

function pointsField(rule: ScoringRule): SuggestedPoints['pointsField'] {
  switch (rule.kind) {
    case 'column-value':
      return 'points';
    case 'column-count':
      return 'pointsPerUnit';
    case 'activity':
      return 'pointsPerOccurrence';
  }
}

/** Returns the maximum units a rule can count: 1 for fixed points, cap / points per unit otherwise. */
function maxUnits(rule: ScoringRule): number {
  return rule.kind === 'column-value' ? 1 : rule.cap / Math.abs(unitPoints(rule));
}

/** Rounds to whole points, or to 0.1 for per-unit points below 5 where whole points lose the signal. */
function roundPoints(points: number, rule: ScoringRule): number {
  if (rule.kind !== 'column-value' && Math.abs(points) < 5) return Math.round(points * 10) / 10;
  return Math.round(points);
}
