import { describe, expect, it } from 'vitest';

import { permutationImportance, summarize } from '../../../src/core/explain/permutation-importance.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import type { LeadRecord } from '../../../src/core/values.ts';

/** Leads whose label follows `signal` exactly; `noise` is unrelated to the label. */
function syntheticLeads(count: number): { leads: LeadRecord[]; labels: number[] } {
  const random = createRandom(3);
  const leads: LeadRecord[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const signal = random();
    leads.push({ signal, noise: random(), source: signal > 0.5 ? 'Referral' : 'Ads' });
    labels.push(signal > 0.5 ? 1 : 0);
  }
  return { leads, labels };
}

// A score that reads only `signal`, squeezed into (0, 1) so that log loss is defined.
const scoreBySignal = (leads: readonly LeadRecord[]) => leads.map((lead) => 0.05 + 0.9 * Number(lead.signal));

describe('permutationImportance', () => {
  const { leads, labels } = syntheticLeads(400);

  it('finds the column the score reads and none in the others', () => {
    const result = permutationImportance(leads, labels, scoreBySignal, { columns: ['noise', 'signal', 'source'], repeats: 4, seed: 1, probabilities: true });

    expect(result.reference.auc).toBe(1);
    expect(result.columns.map((entry) => entry.column)[0]).toBe('signal');
    const signal = result.columns[0]!;
    // Shuffled, the signal is unrelated to the label: AUC falls from 1 to about 0.5.
    expect(signal.aucDrop.mean).toBeGreaterThan(0.4);
    expect(signal.aucDrop.mean).toBeLessThan(0.6);
    expect(signal.logLossRise!.mean).toBeGreaterThan(0);
    for (const entry of result.columns.slice(1)) {
      expect(entry.aucDrop.mean).toBe(0);
      expect(entry.aucDrop.std).toBe(0);
      expect(entry.logLossRise!.mean).toBe(0);
    }
  });

  it('records one value per repeat with their spread', () => {
    const result = permutationImportance(leads, labels, scoreBySignal, { columns: ['signal'], repeats: 5, seed: 9, probabilities: true });
    const drop = result.columns[0]!.aucDrop;

    expect(drop.values).toHaveLength(5);
    expect(drop.mean).toBeCloseTo(drop.values.reduce((sum, value) => sum + value, 0) / 5, 12);
    expect(drop.std).toBeGreaterThan(0);
  });

  it('repeats exactly with the same seed and differs with another', () => {
    const options = { columns: ['signal'], repeats: 3, probabilities: true };
    const first = permutationImportance(leads, labels, scoreBySignal, { ...options, seed: 5 });
    const second = permutationImportance(leads, labels, scoreBySignal, { ...options, seed: 5 });
    const other = permutationImportance(leads, labels, scoreBySignal, { ...options, seed: 6 });

    expect(second.columns[0]!.aucDrop.values).toEqual(first.columns[0]!.aucDrop.values);
    expect(other.columns[0]!.aucDrop.values).not.toEqual(first.columns[0]!.aucDrop.values);
  });

  it('skips log loss for scores that are not probabilities', () => {
    const points = (batch: readonly LeadRecord[]) => batch.map((lead) => (lead.source === 'Referral' ? 25 : 5));
    const result = permutationImportance(leads, labels, points, { columns: ['source'], repeats: 2, seed: 1, probabilities: false });

    expect(result.reference.logLoss).toBeNull();
    expect(result.columns[0]!.logLossRise).toBeNull();
    expect(result.columns[0]!.aucDrop.mean).toBeGreaterThan(0.4);
  });

  it('rejects fewer than one repeat', () => {
    expect(() => permutationImportance(leads, labels, scoreBySignal, { columns: ['signal'], repeats: 0, seed: 1, probabilities: true })).toThrow(
      /repeats must be a whole number of at least 1, got 0/,
    );
  });
});

describe('summarize', () => {
  it('returns the mean and population standard deviation', () => {
    const result = summarize([1, 2, 3, 4]);
    expect(result.mean).toBe(2.5);
    expect(result.std).toBeCloseTo(Math.sqrt(1.25), 12);
  });
});
