import { describe, expect, it } from 'vitest';

import { closeRatesByValue, partialDependence, quantileGrid } from '../../../src/core/explain/column-effects.ts';
import type { CategoricalColumnState, NumericColumnState } from '../../../src/core/features.ts';
import { missingTokenSet, type LeadRecord } from '../../../src/core/values.ts';

const missing = missingTokenSet(['', 'Select']);
const visits: NumericColumnState = { kind: 'numeric', column: 'visits', log: false, median: 0, clipLow: null, clipHigh: null, mean: 0, std: 1 };

describe('quantileGrid', () => {
  it('places points at training quantiles without repeats', () => {
    const leads = [0, 0, 0, 0, 0, 10, 20, 30, 40, 50, 'Select'].map((value) => ({ visits: value }));
    const grid = quantileGrid(leads, visits, missing, [0.1, 0.3, 0.5, 0.9]);

    expect(grid).toEqual([
      { value: 0, quantile: 0.1 },
      { value: 5, quantile: 0.5 },
      { value: 41, quantile: 0.9 },
    ]);
  });

  it('is empty when the column has no numbers', () => {
    expect(quantileGrid([{ visits: '' }], visits, missing)).toEqual([]);
  });

  it('leaves out the column placeholders', () => {
    const leads = [1, 2, 3, 999, '999', 999.0].map((value) => ({ visits: value }));
    const grid = quantileGrid(leads, { ...visits, missingValues: ['999'] }, missing, [0.5, 0.95]);

    expect(grid).toEqual([
      { value: 2, quantile: 0.5 },
      { value: 2.9, quantile: 0.95 },
    ]);
  });
});

describe('partialDependence', () => {
  it('averages the prediction with the column set on every lead', () => {
    const leads: LeadRecord[] = [{ visits: 1, bonus: 0 }, { visits: 7, bonus: 0.2 }];
    const predict = (batch: readonly LeadRecord[]) => batch.map((lead) => Number(lead.visits) / 100 + Number(lead.bonus));

    const points = partialDependence(leads, 'visits', [{ value: 10, quantile: 0.5 }, { value: 50, quantile: 0.9 }], predict);

    expect(points[0]!.meanProbability).toBeCloseTo((0.1 + 0.3) / 2, 12);
    expect(points[1]!.meanProbability).toBeCloseTo((0.5 + 0.7) / 2, 12);
  });
});

describe('closeRatesByValue', () => {
  it('counts leads and wins per bucket as the model groups them', () => {
    const column: CategoricalColumnState = { kind: 'categorical', column: 'Lead Origin', keys: ['api', 'lead add form'], labels: ['API', 'Lead Add Form'] };
    const leads = ['API', 'api', 'Lead Add Form', 'Quick Add Form', '', 'API'].map((value) => ({ 'Lead Origin': value }));
    const labels = [1, 0, 1, 1, 0, 0];

    const rates = closeRatesByValue(leads, labels, column, missing);

    expect(rates).toEqual([
      { value: 'API', leads: 3, won: 1, closeRate: 1 / 3 },
      { value: '(missing)', leads: 1, won: 0, closeRate: 0 },
      { value: '(other)', leads: 1, won: 1, closeRate: 1 },
      { value: 'Lead Add Form', leads: 1, won: 1, closeRate: 1 },
    ]);
  });

  it('buckets a placeholder as missing', () => {
    const column: CategoricalColumnState = { kind: 'categorical', column: 'Country', keys: ['india'], labels: ['India'], missingValues: ['N/A'] };
    const leads = ['India', 'n/a', 'N/A'].map((value) => ({ Country: value }));

    const rates = closeRatesByValue(leads, [1, 0, 1], column, missing);

    expect(rates.find((rate) => rate.value === '(missing)')).toEqual({ value: '(missing)', leads: 2, won: 1, closeRate: 0.5 });
  });
});
