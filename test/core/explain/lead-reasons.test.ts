import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { logit } from '../../../src/core/calibration.ts';
import { explainLeads, formatReason, topReasons } from '../../../src/core/explain/lead-reasons.ts';
import { readCsvFile, rowToRecord } from '../../../src/core/csv.ts';
import type { LeadModel } from '../../../src/core/lead-model.ts';
import type { LeadRecord } from '../../../src/core/values.ts';
import { trainLoadedModel } from '../../helpers/loaded-model.ts';

// Tolerances: log-odds sums are float32 network arithmetic; probability sums are float64.
const LOG_ODDS_TOLERANCE = 1e-4;
const PROBABILITY_TOLERANCE = 1e-9;

let leads: LeadRecord[];

beforeAll(async () => {
  const table = await readCsvFile(new URL('../../../data/x-education/Leads.csv', import.meta.url).pathname);
  // Rows past the training limit: leads the test models never saw.
  leads = table.rows.slice(8000, 8200).map((row) => rowToRecord(table.header, row));
});

const MODELS = [
  { type: 'logistic', folds: 1, name: 'a logistic model' },
  { type: 'mlp', folds: 1, name: 'an mlp model' },
  { type: 'mlp', folds: 3, name: 'an ensemble of 3 mlp networks' },
] as const;

for (const { type, folds, name } of MODELS) {
  describe(`explainLeads with ${name}`, () => {
    let model: LeadModel;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ model, cleanup } = await trainLoadedModel(type, 3000, folds));
      expect(model.members).toHaveLength(folds);
    });
    afterAll(async () => {
      model.dispose();
      await cleanup();
    });

    it('log-odds contributions plus baseline sum to the network log-odds', () => {
      const explained = explainLeads(model, leads);
      const raw = model.predictRaw(leads);

      expect(explained.method).toBe(type === 'logistic' ? 'exact-linear' : 'integrated-gradients-exact-path');
      explained.leads.forEach((lead, row) => {
        const total = lead.baseline.logOdds + lead.columns.reduce((sum, entry) => sum + entry.logOdds, 0);
        expect(Math.abs(total - lead.logOdds)).toBeLessThan(LOG_ODDS_TOLERANCE);
        // The network's own sigmoid output, read back as log-odds, is the same number. For an
        // ensemble, predictRaw is the sigmoid of the networks' mean log-odds.
        expect(Math.abs(total - logit(raw[row]!))).toBeLessThan(LOG_ODDS_TOLERANCE);
      });
    });

    it('probability contributions plus baseline sum to the calibrated probability', () => {
      const explained = explainLeads(model, leads);
      const probabilities = model.predictProba(leads);

      explained.leads.forEach((lead, row) => {
        const total = lead.baseline.probability + lead.columns.reduce((sum, entry) => sum + entry.probability, 0);
        expect(Math.abs(total - probabilities[row]!)).toBeLessThan(PROBABILITY_TOLERANCE);
        expect(lead.probability).toBe(probabilities[row]);
      });
    });

    it('contributions are grouped by export column, one each', () => {
      const explained = explainLeads(model, leads.slice(0, 3));
      const columns = model.preprocessor.state.columns.map((column) => column.column);

      expect(explained.leads[0]!.columns.map((entry) => entry.column)).toEqual(columns);
      expect(columns).toContain('Lead Origin');
      expect(columns.some((column) => column.includes(' = '))).toBe(false);
    });

    it('probability and log-odds contributions share their sign', () => {
      const explained = explainLeads(model, leads);
      let compared = 0;
      let opposite = 0;
      for (const lead of explained.leads) {
        for (const entry of lead.columns) {
          if (Math.abs(entry.logOdds) <= 1e-6) continue;
          compared += 1;
          if (Math.sign(entry.probability) !== Math.sign(entry.logOdds)) opposite += 1;
        }
      }
      // One network: always. An ensemble: except for columns whose networks disagree in direction.
      if (folds === 1) expect(opposite).toBe(0);
      else expect(opposite / compared).toBeLessThan(0.02);
    });

    it('reasons for and against match the sign shown', () => {
      for (const lead of explainLeads(model, leads).leads) {
        const reasons = topReasons(lead, 3);
        for (const entry of reasons.for) expect(entry.probability).toBeGreaterThanOrEqual(0);
        for (const entry of reasons.against) expect(entry.probability).toBeLessThanOrEqual(0);
      }
    });
  });
}

describe('explainLeads with a logistic model', () => {
  it('equals weight times distance from the training mean, by hand', async () => {
    const { model, cleanup } = await trainLoadedModel('logistic', 3000, 1);
    const lead = leads[0]!;
    const features = model.preprocessor.transform([lead]);
    const kernel = model.network.layers.at(-1)!.getWeights()[0]!.dataSync();
    const means = model.bundle.baseline!.featureMeans;
    const expected = new Map<string, number>();
    model.preprocessor.features.forEach((feature, j) => {
      expected.set(feature.column, (expected.get(feature.column) ?? 0) + kernel[j]! * (features[j]! - means[j]!));
    });

    const explained = explainLeads(model, [lead]).leads[0]!;
    for (const entry of explained.columns) {
      expect(entry.logOdds).toBeCloseTo(expected.get(entry.column)!, 5);
    }
    model.dispose();
    await cleanup();
  });
});

describe('topReasons', () => {
  const lead = {
    probability: 0.5,
    logOdds: 0,
    baseline: { logOdds: 0, probability: 0.5 },
    columns: [
      { column: 'A', value: 'x', logOdds: 0.4, probability: 0.1 },
      { column: 'B', value: 2, logOdds: -0.8, probability: -0.2 },
      { column: 'C', value: null, logOdds: 0.9, probability: 0.2 },
      { column: 'D', value: 'y', logOdds: -0.1, probability: -0.1 },
      { column: 'E', value: 'z', logOdds: 0, probability: 0 },
    ],
  };

  it('ranks positive and negative columns strongest first', () => {
    const reasons = topReasons(lead, 3);
    expect(reasons.for.map((entry) => entry.column)).toEqual(['C', 'A']);
    expect(reasons.against.map((entry) => entry.column)).toEqual(['B', 'D']);
  });

  it('stops at the requested count', () => {
    const reasons = topReasons(lead, 1);
    expect(reasons.for.map((entry) => entry.column)).toEqual(['C']);
    expect(reasons.against.map((entry) => entry.column)).toEqual(['B']);
  });

  it('ranks by probability share before log-odds', () => {
    const columns = [
      { column: 'F', value: 'a', logOdds: 1.5, probability: 0.05 },
      { column: 'G', value: 'b', logOdds: 0.5, probability: 0.3 },
    ];
    const reasons = topReasons({ ...lead, columns }, 2);
    expect(reasons.for.map((entry) => entry.column)).toEqual(['G', 'F']);
  });

  it('sides by log-odds where the probability share is 0', () => {
    const columns = [
      { column: 'H', value: 'a', logOdds: 0.7, probability: 0 },
      { column: 'I', value: 'b', logOdds: -0.4, probability: 0 },
      { column: 'J', value: 'c', logOdds: 0.2, probability: -0.01 },
    ];
    const reasons = topReasons({ ...lead, columns }, 3);
    expect(reasons.for.map((entry) => entry.column)).toEqual(['H']);
    expect(reasons.against.map((entry) => entry.column)).toEqual(['J', 'I']);
  });

  it('skips shares that are rounding noise', () => {
    const columns = [
      { column: 'K', value: 'a', logOdds: -1e-7, probability: -2e-8 },
      { column: 'L', value: 'b', logOdds: 0.3, probability: 0.05 },
    ];
    const reasons = topReasons({ ...lead, columns }, 3);
    expect(reasons.for.map((entry) => entry.column)).toEqual(['L']);
    expect(reasons.against).toEqual([]);
  });

  it('formats a reason with its sign and missing values', () => {
    expect(formatReason(lead.columns[0]!)).toBe('A = x (+0.10)');
    expect(formatReason(lead.columns[1]!)).toBe('B = 2 (-0.20)');
    expect(formatReason(lead.columns[2]!)).toBe('C = (missing) (+0.20)');
  });
});
