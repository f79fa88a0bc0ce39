import { InvalidInputError, type InputIssue } from '../../core/errors.ts';
import type { RulesFile } from '../../core/rules/rules-schema.ts';
import { LeadValueError, scoreLead } from '../../core/rules/score-lead.ts';
import type { LeadRecord } from '../../core/values.ts';

/** A lead's rule score as POST /v1/predict returns it, points rounded to 0.01. */
export interface RuleScoreResult {
  score: number;
  fit: number;
  engagement: number;
  fired: { id: string; group: 'fit' | 'engagement'; points: number }[];
}

/**
 * Scores leads with the rules, in request order. Throws InvalidInputError listing every lead
 * whose value a rule cannot use (text in a count column), so the client gets a 400.
 */
export function scoreLeadsWithRules(rules: RulesFile, leads: readonly LeadRecord[]): RuleScoreResult[] {
  const issues: InputIssue[] = [];
  const results = leads.map((lead, index) => {
    try {
      const score = scoreLead(rules, lead);
      return {
        score: round(score.total),
        fit: round(score.fit),
        engagement: round(score.engagement),
        fired: score.fired.map((rule) => ({ id: rule.id, group: rule.group, points: round(rule.points) })),
      };
    } catch (error) {
      if (!(error instanceof LeadValueError)) throw error;
      issues.push({
        path: ['body', 'leads', index, error.column],
        code: 'invalid_type',
        expected: 'a number of 0 or more, or a blank value',
        received: typeof error.value,
        message: error.message,
      });
      return undefined;
    }
  });

  if (issues.length > 0) throw new InvalidInputError(`${issues.length} lead fields cannot be scored by the rules`, issues);
  return results as RuleScoreResult[];
}

function round(points: number): number {
  return Math.round(points * 100) / 100;
}
