import { describe, expect, it } from 'vitest';

import { parseRulesFile } from '../../src/core/rules/rules-file.ts';
import { scoreLead } from '../../src/core/rules/score-lead.ts';
import { featureRow, suggestPoints } from '../../src/report/suggested-points.ts';

const rules = parseRulesFile(
  {
    name: 'test',
    rules: [
      { id: 'referral', group: 'fit', kind: 'column-value', column: 'source', when: { equals: 'referral' }, points: 5 },
      { id: 'never', group: 'engagement', kind: 'column-value', column: 'flag', when: { equals: 'yes' }, points: -20 },
      { id: 'visits', group: 'engagement', kind: 'column-count', column: 'visits', pointsPerUnit: 2, cap: 10 },
    ],
  },
  'test',
);

describe('featureRow', () => {
  it('counts units per rule after caps', () => {
    const score = scoreLead(rules, { source: 'referral', visits: '12' });

    // visits: 12 units, capped at 10 points = 5 units.
    expect(featureRow(rules.rules, score)).toEqual([1, 0, 5]);
  });
});

describe('suggestPoints', () => {
  // 32 leads, 4 per visit count in each source. Referrals win 3 of every 4 at each visit count and
  // other leads 1 of 4, so visits carry no signal once the source is known.
  const leads = Array.from({ length: 32 }, (_, index) => ({ source: index < 16 ? 'referral' : 'web', visits: String(index % 4) }));
  const labels = leads.map((lead, index) => {
    const position = Math.floor((index % 16) / 4);
    return lead.source === 'referral' ? Number(position < 3) : Number(position < 1);
  });
  const suggestion = suggestPoints(rules, leads.map((lead) => scoreLead(rules, lead)), labels);
  const byId = new Map(suggestion.rules.map((rule) => [rule.ruleId, rule]));

  it('gives the evidence for each rule', () => {
    const referral = byId.get('referral')!;

    expect(suggestion.baseCloseRate).toBe(0.5);
    expect(referral.firedLeads).toBe(16);
    expect(referral.closeRateWhenFired).toBe(0.75);
    expect(referral.lift).toBe(1.5);
    expect(referral.coefficient).toBeGreaterThan(0);
  });

  it('scales the strongest rule to the team point range', () => {
    // The largest current contribution is 20 points (the 'never' deduction).
    expect(suggestion.teamPointRange).toBe(20);
    expect(byId.get('referral')!.suggestedPoints).toBe(20);
    expect(byId.get('visits')!.coefficient).toBeCloseTo(0, 8);
    expect(byId.get('visits')!.suggestedPoints).toBeCloseTo(0, 8);
  });

  it('suggests nothing for a rule that never fired', () => {
    expect(byId.get('never')!.suggestedPoints).toBeNull();
    expect(byId.get('never')!.firedLeads).toBe(0);
  });
});
