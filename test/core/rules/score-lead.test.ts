import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/core/rules/conditions.ts';
import { parseRulesFile } from '../../../src/core/rules/rules-file.ts';
import { LeadValueError, scoreLead } from '../../../src/core/rules/score-lead.ts';

const asOf = new Date('2024-06-30T00:00:00Z');

function daysBefore(days: number): Date {
  return new Date(asOf.getTime() - days * 86_400_000);
}

function activity(type: string, daysAgo: number, page?: string): Activity {
  return { type, page, occurredAt: daysBefore(daysAgo) };
}

function rulesWith(overrides: Record<string, unknown>) {
  return parseRulesFile({ name: 'test rules', ...overrides }, 'test');
}

const flatRules = rulesWith({
  rules: [
    { id: 'add-form', group: 'fit', kind: 'column-value', column: 'Lead Origin', when: { equals: 'Lead Add Form' }, points: 10 },
    { id: 'professional', group: 'fit', kind: 'column-value', column: 'Occupation', when: { in: ['Working Professional', 'Businessman'] }, points: 5 },
    { id: 'management', group: 'fit', kind: 'column-value', column: 'Specialization', when: { matches: 'management$' }, points: 3 },
    { id: 'visits', group: 'engagement', kind: 'column-count', column: 'TotalVisits', pointsPerUnit: 1, cap: 10 },
    { id: 'time', group: 'engagement', kind: 'column-count', column: 'Seconds', pointsPerUnit: 2, unitSize: 300, cap: 10 },
    { id: 'do-not-email', group: 'engagement', kind: 'column-value', column: 'Do Not Email', when: { equals: 'Yes' }, points: -20 },
  ],
});

describe('scoreLead with column rules', () => {
  it('adds fixed points for matching values, ignoring case and spaces', () => {
    const score = scoreLead(flatRules, { 'Lead Origin': ' lead add form ', Occupation: 'Businessman', Specialization: 'Finance Management' });

    expect(score.fit).toBe(18);
    expect(score.engagement).toBe(0);
    expect(score.total).toBe(18);
    expect(score.fired.map((rule) => [rule.id, rule.points])).toEqual([
      ['add-form', 10],
      ['professional', 5],
      ['management', 3],
    ]);
  });

  it('gives points per full unit below the cap', () => {
    // 7 visits -> 7; 1,250 s = 4 full units of 300 s -> 8.
    const score = scoreLead(flatRules, { TotalVisits: '7', Seconds: 1250 });

    expect(score.engagement).toBe(15);
    expect(score.fired.find((rule) => rule.id === 'time')).toMatchObject({ points: 8, occurrences: 4, capped: false });
  });

  it('limits a count rule to its cap', () => {
    const score = scoreLead(flatRules, { TotalVisits: '25' });

    expect(score.fired).toEqual([
      { id: 'visits', group: 'engagement', description: undefined, points: 10, occurrences: 25, capped: true },
    ]);
  });

  it('deducts points and keeps a negative subtotal', () => {
    const score = scoreLead(flatRules, { 'Do Not Email': 'Yes', TotalVisits: '3' });

    expect(score.engagement).toBe(-17);
    expect(score.total).toBe(-17);
  });

  it('treats blank and missing values as no match', () => {
    const score = scoreLead(flatRules, { TotalVisits: '', 'Lead Origin': null });

    expect(score.total).toBe(0);
    expect(score.fired).toEqual([]);
  });

  it('throws naming the column and value when a count is not a number', () => {
    expect(() => scoreLead(flatRules, { TotalVisits: 'many' })).toThrow(LeadValueError);
    expect(() => scoreLead(flatRules, { TotalVisits: 'many' })).toThrow(/column 'TotalVisits': "many".*rule 'visits'/);
    expect(() => scoreLead(flatRules, { TotalVisits: '-2' })).toThrow(/number of 0 or more/);
  });
});

describe('scoreLead caps', () => {
  const capped = rulesWith({
    totalCap: 20,
    totalFloor: -5,
    groupCaps: { fit: 12 },
    rules: [
      { id: 'a', group: 'fit', kind: 'column-value', column: 'a', when: { equals: 'y' }, points: 10 },
      { id: 'b', group: 'fit', kind: 'column-value', column: 'b', when: { equals: 'y' }, points: 5 },
      { id: 'c', group: 'engagement', kind: 'column-value', column: 'c', when: { equals: 'y' }, points: 15 },
      { id: 'd', group: 'engagement', kind: 'column-value', column: 'd', when: { equals: 'y' }, points: -40 },
    ],
  });

  it('limits a group subtotal to its cap', () => {
    const score = scoreLead(capped, { a: 'y', b: 'y' });

    expect(score.fit).toBe(12);
    expect(score.total).toBe(12);
  });

  it('limits the total to the total cap while subtotals stay', () => {
    const score = scoreLead(capped, { a: 'y', b: 'y', c: 'y' });

    expect(score.fit).toBe(12);
    expect(score.engagement).toBe(15);
    expect(score.total).toBe(20);
  });

  it('raises the total to the floor', () => {
    const score = scoreLead(capped, { a: 'y', d: 'y' });

    expect(score.engagement).toBe(-40);
    expect(score.total).toBe(-5);
  });
});

describe('scoreLead with dated activities', () => {
  const activityRules = (overrides: Record<string, unknown> = {}) =>
    rulesWith({
      scoringPeriodDays: 90,
      rules: [
        { id: 'pricing', group: 'engagement', kind: 'activity', activity: { type: { equals: 'page_viewed' }, page: { matches: '^/pricing' } }, pointsPerOccurrence: 8, cap: 100 },
        { id: 'pages', group: 'engagement', kind: 'activity', activity: { type: { equals: 'page_viewed' } }, pointsPerOccurrence: 1, cap: 100 },
        { id: 'forms', group: 'engagement', kind: 'activity', activity: { type: { equals: 'form_submitted' } }, pointsPerOccurrence: 10, cap: 15 },
        { id: 'bounced', group: 'engagement', kind: 'activity', activity: { type: { equals: 'email_bounced' } }, pointsPerOccurrence: -10, cap: 10, decays: false },
      ],
      exclusions: [{ id: 'careers', activity: { page: { matches: '^/careers' } } }],
      ...overrides,
    });

  it('counts every occurrence without decay', () => {
    const score = scoreLead(activityRules(), {}, [activity('page_viewed', 1, '/pricing'), activity('page_viewed', 2, '/pricing/teams')], asOf);

    // Each pricing view fires both the pricing rule (8) and the generic page rule (1).
    expect(score.fired.map((rule) => [rule.id, rule.points, rule.occurrences])).toEqual([
      ['pricing', 16, 2],
      ['pages', 2, 2],
    ]);
    expect(score.engagement).toBe(18);
  });

  it('halves points at each half-life', () => {
    const rules = activityRules({ decay: { halfLifeDays: 30 } });
    const score = scoreLead(rules, {}, [activity('page_viewed', 0, '/pricing'), activity('page_viewed', 30, '/pricing'), activity('page_viewed', 60, '/pricing')], asOf);

    // pricing: 8 * (1 + 0.5 + 0.25) = 14; pages: 1 * 1.75 = 1.75.
    expect(score.fired[0]?.points).toBeCloseTo(14, 10);
    expect(score.total).toBeCloseTo(15.75, 10);
  });

  it('takes a percentage off per full period', () => {
    const rules = activityRules({ decay: { percentPerPeriod: 10, periodDays: 7 } });
    const score = scoreLead(rules, {}, [activity('page_viewed', 6.9, '/pricing'), activity('page_viewed', 13, '/pricing'), activity('page_viewed', 14, '/pricing')], asOf);

    // Full periods elapsed: 0, 1, 2 -> 8 * (1 + 0.9 + 0.81) = 21.68.
    expect(score.fired[0]?.points).toBeCloseTo(21.68, 10);
  });

  it('ignores activities outside the scoring period or after asOf', () => {
    const score = scoreLead(activityRules(), {}, [activity('form_submitted', 90, undefined), activity('form_submitted', 91), activity('form_submitted', -1)], asOf);

    expect(score.fired).toEqual([{ id: 'forms', group: 'engagement', description: undefined, points: 10, occurrences: 1, capped: false }]);
  });

  it('caps decayed activity points', () => {
    const rules = activityRules({ decay: { halfLifeDays: 30 } });
    const score = scoreLead(rules, {}, [activity('form_submitted', 0), activity('form_submitted', 0)], asOf);

    expect(score.fired[0]).toMatchObject({ id: 'forms', points: 15, capped: true });
  });

  it('keeps deductions that do not decay at full weight', () => {
    const rules = activityRules({ decay: { halfLifeDays: 30 } });
    const score = scoreLead(rules, {}, [activity('email_bounced', 60), activity('email_bounced', 10)], asOf);

    // Two bounces at -10 each, no decay, capped at 10 in magnitude.
    expect(score.fired[0]).toMatchObject({ id: 'bounced', points: -10, occurrences: 2, capped: true });
    expect(score.total).toBe(-10);
  });

  it('drops excluded activities before any rule sees them', () => {
    const score = scoreLead(activityRules(), {}, [activity('page_viewed', 1, '/careers/engineer'), activity('page_viewed', 1, '/careers'), activity('page_viewed', 1, '/blog')], asOf);

    expect(score.fired.map((rule) => [rule.id, rule.points])).toEqual([['pages', 1]]);
    expect(score.excluded).toEqual([{ id: 'careers', activities: 2 }]);
  });

  it('throws when an activity date is invalid', () => {
    const broken: Activity = { type: 'form_submitted', occurredAt: new Date('not a date') };

    expect(() => scoreLead(activityRules(), {}, [broken], asOf)).toThrow(/occurredAt/);
  });
});

describe('scoreLead groups and exclusions on columns', () => {
  const rules = rulesWith({
    rules: [
      { id: 'role', group: 'fit', kind: 'column-value', column: 'role', when: { equals: 'cto' }, points: 10 },
      { id: 'competitor', group: 'fit', kind: 'column-value', column: 'email', when: { matches: '@rival\\.com$' }, points: -50 },
      { id: 'last-activity', group: 'engagement', kind: 'column-value', column: 'Last Activity', when: { matches: 'visited' }, points: 4 },
      { id: 'size', group: 'fit', kind: 'column-value', column: 'employees', when: { atLeast: 50, atMost: 500 }, points: 6 },
    ],
    exclusions: [{ id: 'careers-visit', column: 'Last Activity', when: { matches: 'careers' } }],
  });

  it('keeps fit and engagement subtotals apart', () => {
    const score = scoreLead(rules, { role: 'CTO', 'Last Activity': 'Page Visited on Website', employees: '500' });

    expect(score.fit).toBe(16);
    expect(score.engagement).toBe(4);
    expect(score.total).toBe(20);
  });

  it('applies a competitor deduction to fit', () => {
    const score = scoreLead(rules, { role: 'CTO', email: 'ana@rival.com' });

    expect(score.fit).toBe(-40);
  });

  it('reads an excluded column value as missing', () => {
    const score = scoreLead(rules, { 'Last Activity': 'Visited Careers Page' });

    expect(score.engagement).toBe(0);
    expect(score.excluded).toEqual([{ id: 'careers-visit', activities: 0, column: 'Last Activity' }]);
  });

  it('leaves range bounds inclusive and rejects text', () => {
    expect(scoreLead(rules, { employees: '50' }).fit).toBe(6);
    expect(scoreLead(rules, { employees: '49' }).fit).toBe(0);
    expect(scoreLead(rules, { employees: '501' }).fit).toBe(0);
    expect(scoreLead(rules, { employees: 'fifty' }).fit).toBe(0);
  });
});
