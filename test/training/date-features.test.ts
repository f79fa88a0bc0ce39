import { describe, expect, it } from 'vitest';

import { fitDateColumn, writeDateFeatures } from '../../src/core/date-features.ts';
import { fitPreprocessor } from '../../src/core/features.ts';
import { validateLead } from '../../src/core/lead-validation.ts';

describe('date features', () => {
  const state = fitDateColumn('first_contact_date', ['DD/MM/YYYY']);

  it('sets the weekday indicator', () => {
    const matrix = new Float32Array(8);
    // 2018-04-02 was a Monday, 2018-04-08 a Sunday.
    writeDateFeatures(state, '02/04/2018', false, matrix, 0);
    expect(Array.from(matrix)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    matrix.fill(0);
    writeDateFeatures(state, '2018-04-08', false, matrix, 0);
    expect(Array.from(matrix)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('marks missing dates', () => {
    const matrix = new Float32Array(8);
    writeDateFeatures(state, '', true, matrix, 0);
    expect(Array.from(matrix)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('transforms through the preprocessor', () => {
    const preprocessor = fitPreprocessor([{ day: '2024-01-03' }], {
      featureColumns: ['day'],
      declaredColumns: { day: { type: 'date' } },
      missingTokens: [''],
      minCategoryCount: 1,
      maxCategories: 5,
    });
    expect(preprocessor.featureCount).toBe(8);
    expect(preprocessor.features[2]!.name).toBe('day weekday Wed');
    expect(Array.from(preprocessor.transform([{ day: '2024-01-03' }]))).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('rejects a lead with an unreadable date', () => {
    const issues = validateLead({ first_contact_date: '31/02/2018' }, [state], ['']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: ['first_contact_date'], code: 'invalid_format' });
  });
});
