import { describe, expect, it } from 'vitest';

import { fitPreprocessor, inferColumnType, Preprocessor, type PreprocessorOptions } from '../src/core/features.ts';

const baseOptions: PreprocessorOptions = {
  featureColumns: ['visits', 'source', 'optIn'],
  declaredColumns: { visits: { type: 'numeric', min: 0 } },
  missingTokens: ['', 'Select'],
  minCategoryCount: 2,
  maxCategories: 10,
};

const trainingLeads = [
  { visits: '1', source: 'Google', optIn: 'Yes' },
  { visits: '3', source: 'google', optIn: 'No' },
  { visits: '', source: 'Referral', optIn: 'No' },
  { visits: '5', source: 'Referral', optIn: 'Select' },
  { visits: '7', source: 'Chat', optIn: 'Yes' },
];

describe('fitPreprocessor', () => {
  it('infers boolean and categorical types and honours declared ones', () => {
    const preprocessor = fitPreprocessor(trainingLeads, baseOptions);
    expect(preprocessor.state.columns.map((column) => column.kind)).toEqual(['numeric', 'categorical', 'boolean']);
  });

  it('names one feature per kept category plus (other) and (missing), matched case-insensitively', () => {
    const preprocessor = fitPreprocessor(trainingLeads, baseOptions);
    const sourceFeatures = preprocessor.features.filter((feature) => feature.column === 'source').map((feature) => feature.name);
    // Google (2 rows, either case) and Referral (2) reach minCategoryCount 2; Chat (1) does not.
    expect(sourceFeatures).toEqual(['source = Google', 'source = Referral', 'source = (other)', 'source = (missing)']);
  });

  it('standardizes numbers with training statistics and imputes the median', () => {
    const preprocessor = fitPreprocessor(trainingLeads, baseOptions);
    const matrix = preprocessor.transform([{ visits: 4 }, { visits: null }]);
    const width = preprocessor.featureCount;
    // Training values 1, 3, 5, 7: mean 4 and median 4, so 4 scales to 0 and a missing value to 0.
    expect(matrix[0]).toBeCloseTo(0, 6);
    expect(matrix[1]).toBe(0);
    expect(matrix[width]).toBeCloseTo(0, 6);
    expect(matrix[width + 1]).toBe(1);
  });

  it('sends unseen categories to (other) and missing tokens to (missing)', () => {
    const preprocessor = fitPreprocessor(trainingLeads, baseOptions);
    const names = preprocessor.features.map((feature) => feature.name);
    const matrix = preprocessor.transform([{ source: 'Billboard' }, { source: 'Select' }]);
    const width = preprocessor.featureCount;
    expect(matrix[names.indexOf('source = (other)')]).toBe(1);
    expect(matrix[width + names.indexOf('source = (missing)')]).toBe(1);
    expect(matrix[names.indexOf('source = Google')]).toBe(0);
  });

  it('encodes booleans as 0/1 with a missing indicator', () => {
    const preprocessor = fitPreprocessor(trainingLeads, baseOptions);
    const names = preprocessor.features.map((feature) => feature.name);
    const matrix = preprocessor.transform([{ optIn: true }, { optIn: 'Select' }]);
    const width = preprocessor.featureCount;
    expect(matrix[names.indexOf('optIn')]).toBe(1);
    expect(matrix[width + names.indexOf('optIn')]).toBe(0);
    expect(matrix[width + names.indexOf('optIn (missing)')]).toBe(1);
  });

  it('round-trips through its JSON state with identical output', () => {
    const preprocessor = fitPreprocessor(trainingLeads, baseOptions);
    const restored = new Preprocessor(JSON.parse(JSON.stringify(preprocessor.state)));
    expect(Array.from(restored.transform(trainingLeads))).toEqual(Array.from(preprocessor.transform(trainingLeads)));
  });
});

describe('inferColumnType', () => {
  it('calls Yes/No columns boolean, numeric strings numeric and anything else categorical', () => {
    expect(inferColumnType(['Yes', 'No', 'no'])).toBe('boolean');
    expect(inferColumnType(['1', '2.5', '0'])).toBe('numeric');
    expect(inferColumnType(['1', 'two'])).toBe('categorical');
  });
});

describe('numeric clipping', () => {
  const leads = Array.from({ length: 200 }, (_, index) => ({ visits: String(index) }));
  const options = { ...baseOptions, featureColumns: ['visits'] };

  it('clips values beyond the training percentiles by default', () => {
    const preprocessor = fitPreprocessor(leads, options);
    const [atTop, beyond] = [preprocessor.transform([{ visits: 199 }])[0], preprocessor.transform([{ visits: 10_000 }])[0]];
    expect(beyond).toBeCloseTo(atTop!, 6);
  });

  it('lets values extrapolate when clipPercentile is 0', () => {
    const preprocessor = fitPreprocessor(leads, { ...options, clipPercentile: 0 });
    const state = preprocessor.state.columns[0]!;
    if (state.kind !== 'numeric') throw new Error('expected a numeric column');
    const beyond = preprocessor.transform([{ visits: 10_000 }])[0]!;
    expect(state.clipLow).toBeNull();
    expect(beyond).toBeCloseTo((10_000 - state.mean) / state.std, 4);
  });
});

describe('per-column missing values', () => {
  // pdays-style column: 999 means "never contacted", not a day count.
  const leads = [{ pdays: '3' }, { pdays: '5' }, { pdays: '999' }, { pdays: '999.0' }, { pdays: '7' }];
  const options: PreprocessorOptions = {
    ...baseOptions,
    featureColumns: ['pdays'],
    declaredColumns: { pdays: { type: 'numeric', missingValues: ['999'] } },
    clipPercentile: 0,
  };

  it('leaves placeholders out of the scaling statistics', () => {
    const state = fitPreprocessor(leads, options).state.columns[0]!;
    if (state.kind !== 'numeric') throw new Error('expected a numeric column');
    // Only 3, 5 and 7 count: mean 5, median 5, population sd sqrt(8/3).
    expect(state.mean).toBeCloseTo(5, 6);
    expect(state.median).toBe(5);
    expect(state.std).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(state.missingValues).toEqual(['999']);
  });

  it('sets the missing indicator for text and numeric placeholders', () => {
    const preprocessor = fitPreprocessor(leads, options);
    const matrix = preprocessor.transform([{ pdays: '999' }, { pdays: 999 }, { pdays: ' 999.00 ' }, { pdays: 998 }]);
    expect(Array.from(matrix.subarray(0, 6))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(matrix[6]).toBeCloseTo((998 - 5) / Math.sqrt(8 / 3), 4);
    expect(matrix[7]).toBe(0);
  });

  it('keeps the placeholders through the JSON state', () => {
    const preprocessor = fitPreprocessor(leads, options);
    const restored = new Preprocessor(JSON.parse(JSON.stringify(preprocessor.state)));
    expect(Array.from(restored.transform([{ pdays: 999 }]))).toEqual([0, 1]);
  });

  it('matches categorical placeholders case-insensitively', () => {
    const preprocessor = fitPreprocessor([{ region: 'North' }, { region: 'North' }, { region: 'N/A' }], {
      ...baseOptions,
      featureColumns: ['region'],
      declaredColumns: { region: { type: 'categorical', missingValues: ['n/a'] } },
    });
    expect(preprocessor.features.map((feature) => feature.name)).toEqual(['region = North', 'region = (other)', 'region = (missing)']);
    expect(Array.from(preprocessor.transform([{ region: ' N/A ' }]))).toEqual([0, 0, 1]);
  });
});
