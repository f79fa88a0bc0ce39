import { describe, expect, it } from 'vitest';
import { loadRulesFile } from '../../../src/core/rules/rules-file.ts';
import { scoreLead } from '../../../src/core/rules/score-lead.ts';

const asOf = new Date('2024-06-30T12:00:00Z');
const daysAgo = (days: number) => new Date(asOf.getTime() - days * 86_400_000);

describe('x-education.rules.json', () => {
  it('scores a hand-checked lead', async () => {
    const rules = await loadRulesFile('data/rules/x-education.rules.json');
    const lead = {
      'Lead Origin': 'Lead Add Form',
      'Lead Source': 'Reference',
      'Do Not Email': 'No',
      'Do Not Call': 'No',
      TotalVisits: '14',
      'Total Time Spent on Website': '700',
      'Page Views Per Visit': '2.5',
      'Last Activity': 'Email Opened',
      Specialization: 'Finance Management',
      'What is your current occupation': 'Working Professional',
      'A free copy of Mastering The Interview': 'No',
    };

    const score = scoreLead(rules, lead);

    // fit: add form 10 + reference 10 + working professional 5 + management 3 = 28.
    // engagement: visits 14 capped at 10 + 2 full 5-minute units * 2 = 4 + 2 pages + email opened 3 = 19.
    expect(score.fit).toBe(28);
    expect(score.engagement).toBe(19);
    expect(score.total).toBe(47);
  });
});

describe('web-behaviour.rules.json', () => {
  it('scores a hand-checked lead with dated activities', async () => {
    const rules = await loadRulesFile('data/rules/web-behaviour.rules.json');
    const lead = { job_title: 'VP Marketing', industry: 'Software', company_size: '120', email: 'ana@acme.io', lead_source: 'referral' };
    const activities = [
      { type: 'demo_requested', occurredAt: daysAgo(0) },
      { type: 'page_viewed', page: '/pricing', occurredAt: daysAgo(30) },
      { type: 'page_viewed', page: '/careers/sales', occurredAt: daysAgo(1) },
      { type: 'unsubscribed', occurredAt: daysAgo(100) },
    ];

    const score = scoreLead(rules, lead, activities, asOf);

    // fit: 15 + 10 + 10 + 10 = 45, group cap 40.
    // engagement: demo 25 + pricing 5 halved once = 2.5; careers excluded; unsubscribe outside 90 days.
    expect(score.fit).toBe(40);
    expect(score.engagement).toBeCloseTo(27.5, 10);
    expect(score.total).toBeCloseTo(67.5, 10);
    expect(score.excluded).toEqual([{ id: 'careers-page', activities: 1 }]);
  });

  it('floors a competitor at zero', async () => {
    const rules = await loadRulesFile('data/rules/web-behaviour.rules.json');

    const score = scoreLead(rules, { email: 'spy@rivalsoft.com', job_title: 'Head of Product' }, [], asOf);

    expect(score.fit).toBe(-35);
    expect(score.total).toBe(0);
  });
});
