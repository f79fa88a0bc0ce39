/** A lead field as it arrives: a CSV cell is a string, a JSON field may be typed. */
export type RawValue = string | number | boolean | null | undefined;

/** A lead as a record of export column names to raw values. */
export type LeadRecord = Record<string, RawValue>;

const TRUE_WORDS = new Set(['yes', 'true', 'y', '1']);
const FALSE_WORDS = new Set(['no', 'false', 'n', '0']);

/** Tells whether a raw value means "no answer" under the dataset's missing-value tokens. */
export function isMissing(value: RawValue, missingTokens: ReadonlySet<string>): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return trimmed === '' || missingTokens.has(trimmed.toLowerCase());
}

const DECIMAL_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Parses a finite number from a number or a decimal string such as "12", "-0.5" or "1e3";
 * returns null for anything else, including hexadecimal ("0x10") and "Infinity".
 */
export function parseNumber(value: RawValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!DECIMAL_NUMBER.test(trimmed)) return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Parses Yes/No, true/false or 1/0 in any case; returns null for any other value. */
export function parseBoolean(value: RawValue): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (value === 1) return true;
    if (value === 0) return false;
    return null;
  }
  if (typeof value !== 'string') return null;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return null;
}

/** Normalizes a category for matching: trimmed and case-folded, so "Google" and "google" meet. */
export function categoryKey(value: RawValue): string {
  return String(value).trim().toLowerCase();
}

/** Builds the set of missing-value tokens, case-folded for matching. */
export function missingTokenSet(tokens: readonly string[]): Set<string> {
  return new Set(tokens.map((token) => token.trim().toLowerCase()));
}

/**
 * Builds a test for a column's own "no answer" placeholders (a dataset config's
 * `columns.NAME.missingValues`). A numeric column compares them as numbers, so "999", "999.0"
 * and the number 999 all match. Other columns compare trimmed, case-folded text.
 */
export function placeholderMatcher(placeholders: readonly string[], numeric: boolean): (value: RawValue) => boolean {
  if (numeric) {
    const numbers = new Set(placeholders.map(parseNumber).filter((number): number is number => number !== null));
    return (value) => {
      const number = typeof value === 'boolean' ? null : parseNumber(value);
      return number !== null && numbers.has(number);
    };
  }
  const texts = missingTokenSet(placeholders);
  return (value) => value !== null && value !== undefined && texts.has(String(value).trim().toLowerCase());
}
