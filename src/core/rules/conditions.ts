import type { RawValue } from '../values.ts';
import type { ActivityMatcher, ValueCondition } from './rules-schema.ts';

/** A compiled condition: true when the value meets it. Missing values never match. */
export type ValuePredicate = (value: RawValue) => boolean;

/**
 * Compiles a condition once so scoring many leads does not rebuild regular expressions.
 * Text comparisons ignore case and surrounding spaces. A range compares the value as a number
 * and fails for text that is not a number.
 */
export function compileCondition(condition: ValueCondition): ValuePredicate {
  if (condition.equals !== undefined) {
    const expected = normalizeText(condition.equals);
    return (value) => !isMissing(value) && normalizeText(value) === expected;
  }
  if (condition.in !== undefined) {
    const allowed = new Set(condition.in.map(normalizeText));
    return (value) => !isMissing(value) && allowed.has(normalizeText(value));
  }
  if (condition.matches !== undefined) {
    const pattern = new RegExp(condition.matches, 'i');
    return (value) => !isMissing(value) && pattern.test(String(value).trim());
  }

  const low = condition.atLeast ?? Number.NEGATIVE_INFINITY;
  const high = condition.atMost ?? Number.POSITIVE_INFINITY;
  return (value) => {
    const number = toNumber(value);
    return number !== undefined && number >= low && number <= high;
  };
}

/** A dated activity record of a stored lead: a page view, form, email event or download. */
export interface Activity {
  type: string;
  page?: string | null;
  asset?: string | null;
  occurredAt: Date;
}

/** Compiles an activity matcher that matches when every condition it gives holds. */
export function compileActivityMatcher(matcher: ActivityMatcher): (activity: Activity) => boolean {
  const tests: ((activity: Activity) => boolean)[] = [];
  if (matcher.type !== undefined) {
    const test = compileCondition(matcher.type);
    tests.push((activity) => test(activity.type));
  }
  if (matcher.page !== undefined) {
    const test = compileCondition(matcher.page);
    tests.push((activity) => test(activity.page));
  }
  if (matcher.asset !== undefined) {
    const test = compileCondition(matcher.asset);
    tests.push((activity) => test(activity.asset));
  }
  return (activity) => tests.every((test) => test(activity));
}

/** True for null, undefined and blank text. */
export function isMissing(value: RawValue): value is null | undefined | '' {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Reads a value as a finite number, or undefined for missing values and text that is not a number. */
export function toNumber(value: RawValue): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : undefined;
}

function normalizeText(value: string | number | boolean | null | undefined): string {
  return String(value).trim().toLowerCase();
}
