import type { Decay } from './rules-schema.ts';

const MILLISECONDS_PER_DAY = 86_400_000;

/** Age of an activity in fractional days at `asOf`, negative for activities after `asOf`. */
export function ageInDays(occurredAt: Date, asOf: Date): number {
  return (asOf.getTime() - occurredAt.getTime()) / MILLISECONDS_PER_DAY;
}

/**
 * Returns the share (0-1] of an activity's points left after `ageDays`.
 * Half-life decay is continuous: 0.5 ** (age / halfLifeDays). Percentage decay is stepped, as
 * marketing tools apply it: the points lose `percentPerPeriod` percent at the end of each full
 * period, so an activity 13 days old under 10 % per 7 days keeps 90 %.
 */
export function decayFactor(decay: Decay | undefined, ageDays: number): number {
  if (decay === undefined || ageDays <= 0) {
    return 1;
  }
  if (decay.halfLifeDays !== undefined) {
    return 0.5 ** (ageDays / decay.halfLifeDays);
  }

  const percent = decay.percentPerPeriod ?? 0;
  const periodDays = decay.periodDays ?? Number.POSITIVE_INFINITY;
  return (1 - percent / 100) ** Math.floor(ageDays / periodDays);
}
