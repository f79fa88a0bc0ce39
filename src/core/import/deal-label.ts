/** State of a deal in the export, before the close window is applied. */
export const DealOutcome = { won: 1, lost: 2, open: 3 } as const;
export type DealOutcome = (typeof DealOutcome)[keyof typeof DealOutcome];

/** Label value for a lead whose outcome is not yet known; such leads are left out of training. */
export const CENSORED = -1;
export type LeadLabel = 0 | 1 | typeof CENSORED;

export interface CloseWindowRules {
  /** Days after creation within which a win counts as a conversion; a win on the last day counts. */
  closeWindowDays: number;
  /** Date of the export as whole days since 1970-01-01; nothing after it is known. */
  asOfDay: number;
}

/**
 * Labels one lead from its dates, in whole days since 1970-01-01. A win within the close window
 * after creation is 1. A loss, a later win, or a deal still open once the window has passed by
 * the as-of date is 0. A deal open and younger than the window is censored. A close dated after
 * the as-of date is treated as not yet happened. `closedDay` is NaN when unknown, and a won deal
 * without a close date then counts as won in time.
 * Callers reject deals closed before their creation before calling this.
 */
export function labelLead(createdDay: number, outcome: DealOutcome, closedDay: number, rules: CloseWindowRules): LeadLabel {
  if (createdDay > rules.asOfDay) return CENSORED;

  const closedByAsOf = Number.isNaN(closedDay) || closedDay <= rules.asOfDay;
  if (outcome === DealOutcome.won && closedByAsOf) {
    if (Number.isNaN(closedDay)) return 1;
    return closedDay - createdDay <= rules.closeWindowDays ? 1 : 0;
  }
  if (outcome === DealOutcome.lost && closedByAsOf) return 0;

  return rules.asOfDay - createdDay >= rules.closeWindowDays ? 0 : CENSORED;
}
