import type { InputIssue } from './errors.ts';
import { parseDateValue } from './date-features.ts';
import { isMissingFor, type ColumnState } from './features.ts';
import { missingTokenSet, parseBoolean, parseNumber, type RawValue } from './values.ts';

/**
 * Checks the fields a model reads in one lead against the column types it was trained on.
 * Missing fields, null, missing-value tokens and each column's own `missingValues` are allowed
 * because they become missing values, so a placeholder such as -1 passes a `min` of 0. Unseen
 * categories are allowed (they join the "(other)" bucket), and fields the model does not read are
 * ignored. Returns one issue per problem, with paths starting at `pathPrefix`.
 */
export function validateLead(
  lead: Record<string, unknown>,
  columns: readonly ColumnState[],
  missingTokens: readonly string[],
  pathPrefix: (string | number)[] = [],
): InputIssue[] {
  const tokens = missingTokenSet(missingTokens);
  const issues: InputIssue[] = [];
  for (const column of columns) {
    const value = lead[column.column];
    if (value === undefined) continue;
    const path = [...pathPrefix, column.column];
    if (!isRawValue(value)) {
      issues.push({
        path,
        code: 'invalid_type',
        expected: expectedType(column),
        received: Array.isArray(value) ? 'array' : typeof value,
        message: `${column.column} must be ${expectedType(column)}, not ${Array.isArray(value) ? 'an array' : `an ${typeof value}`}`,
      });
      continue;
    }
    if (isMissingFor(column, value, tokens)) continue;
    const issue = checkValue(column, value, path);
    if (issue) issues.push(issue);
  }
  return issues;
}

function isRawValue(value: unknown): value is RawValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function expectedType(column: ColumnState): string {
  switch (column.kind) {
    case 'numeric':
      return 'number';
    case 'boolean':
      return 'boolean (true/false, "Yes"/"No" or 1/0)';
    case 'categorical':
      return 'string';
    case 'date':
      return `date (${column.formats.join(' or ')})`;
  }
}

function describe(value: RawValue): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function checkValue(column: ColumnState, value: RawValue, path: (string | number)[]): InputIssue | undefined {
  switch (column.kind) {
    case 'numeric': {
      const number = parseNumber(value);
      if (number === null || typeof value === 'boolean') {
        return {
          path,
          code: 'invalid_type',
          expected: 'number',
          received: describe(value),
          message: `${column.column} must be a finite number, got ${describe(value)}`,
        };
      }
      if (column.min !== undefined && number < column.min) {
        return {
          path,
          code: 'too_small',
          expected: `>= ${column.min}`,
          received: describe(value),
          message: `${column.column} must be at least ${column.min}, got ${describe(value)}`,
        };
      }
      return undefined;
    }
    case 'boolean':
      if (parseBoolean(value) === null) {
        return {
          path,
          code: 'invalid_value',
          expected: expectedType(column),
          received: describe(value),
          message: `${column.column} must be true/false, "Yes"/"No" or 1/0, got ${describe(value)}`,
        };
      }
      return undefined;
    case 'categorical':
      if (typeof value === 'boolean') {
        return {
          path,
          code: 'invalid_type',
          expected: 'string',
          received: describe(value),
          message: `${column.column} must be a string, got ${describe(value)}`,
        };
      }
      return undefined;
    case 'date':
      if (parseDateValue(column, value) === undefined) {
        return {
          path,
          code: 'invalid_format',
          expected: expectedType(column),
          received: describe(value),
          message: `${column.column} must be a date (${column.formats.join(' or ')}), got ${describe(value)}`,
        };
      }
      return undefined;
  }
}
