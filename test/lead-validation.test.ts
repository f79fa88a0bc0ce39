import { describe, expect, it } from 'vitest';

import type { ColumnState } from '../src/core/features.ts';
import { validateLead } from '../src/core/lead-validation.ts';

const columns: ColumnState[] = [
  { kind: 'numeric', column: 'TotalVisits', min: 0, log: false, median: 3, clipLow: 0, clipHigh: 50, mean: 3, std: 2 },
  { kind: 'boolean', column: 'Do Not Email' },
  { kind: 'categorical', column: 'Lead Source', keys: ['google'], labels: ['Google'] },
];

describe('validateLead', () => {
  it('accepts missing fields, null, missing tokens, numeric strings and unseen categories', () => {
    expect(validateLead({}, columns, ['Select'])).toEqual([]);
    expect(validateLead({ TotalVisits: null, 'Do Not Email': 'Select', 'Lead Source': 'Billboard' }, columns, ['Select'])).toEqual([]);
    expect(validateLead({ TotalVisits: '4' }, columns, [])).toEqual([]);
  });

  it('accepts a column placeholder below the minimum', () => {
    const withPlaceholder: ColumnState[] = [{ ...columns[0]!, missingValues: ['-1'] } as ColumnState];
    expect(validateLead({ TotalVisits: -1 }, withPlaceholder, [])).toEqual([]);
    expect(validateLead({ TotalVisits: '-1.0' }, withPlaceholder, [])).toEqual([]);
    expect(validateLead({ TotalVisits: -2 }, withPlaceholder, [])).toMatchObject([{ code: 'too_small' }]);
  });

  it('ignores fields the model does not read', () => {
    expect(validateLead({ Tags: { nested: true } }, columns, [])).toEqual([]);
  });

  it('reports a negative count as too_small with the path', () => {
    const issues = validateLead({ TotalVisits: -2 }, columns, [], ['body', 'leads', 0]);
    expect(issues).toEqual([
      {
        path: ['body', 'leads', 0, 'TotalVisits'],
        code: 'too_small',
        expected: '>= 0',
        received: '-2',
        message: 'TotalVisits must be at least 0, got -2',
      },
    ]);
  });

  it('reports a non-numeric string and a boolean word it cannot read', () => {
    const issues = validateLead({ TotalVisits: 'many', 'Do Not Email': 'maybe' }, columns, []);
    expect(issues.map((issue) => issue.code)).toEqual(['invalid_type', 'invalid_value']);
    expect(issues[0]!.received).toBe('"many"');
  });

  it('reports an object where a value belongs', () => {
    const issues = validateLead({ 'Lead Source': { name: 'Google' } }, columns, []);
    expect(issues[0]).toMatchObject({ code: 'invalid_type', expected: 'string', received: 'object' });
  });
});
