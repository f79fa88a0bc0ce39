import { describe, expect, it } from 'vitest';

import { CENSORED, DealOutcome, labelLead } from '../../src/core/import/deal-label.ts';

const rules = { closeWindowDays: 90, asOfDay: 1000 };

describe('labelLead', () => {
  it.each([
    ['won on the day of creation', 500, DealOutcome.won, 500, 1],
    ['won on the last day of the window', 500, DealOutcome.won, 590, 1],
    ['won one day after the window', 500, DealOutcome.won, 591, 0],
    ['won without a known close date', 500, DealOutcome.won, Number.NaN, 1],
    ['lost inside the window', 500, DealOutcome.lost, 520, 0],
    ['lost without a close date', 999, DealOutcome.lost, Number.NaN, 0],
    ['open once the window has passed', 910, DealOutcome.open, Number.NaN, 0],
    ['open and younger than the window', 911, DealOutcome.open, Number.NaN, CENSORED],
    ['won after the as-of date, still young', 950, DealOutcome.won, 1001, CENSORED],
    ['won after the as-of date, window passed', 800, DealOutcome.won, 1005, 0],
    ['created after the as-of date', 1001, DealOutcome.won, 1002, CENSORED],
  ])('labels a lead %s', (_case, created, outcome, closed, expected) => {
    expect(labelLead(created, outcome, closed, rules)).toBe(expected);
  });
});
