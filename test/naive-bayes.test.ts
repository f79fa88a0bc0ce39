import { describe, expect, it } from 'vitest';

import { NaiveBayesScorer } from '../bench/naive-bayes.ts';

// Four leads: channel "web" won 2 of 3, "phone" lost its only lead; visits split at the median.
const records = [
  { channel: 'web', visits: '1' },
  { channel: 'web', visits: '5' },
  { channel: 'web', visits: '6' },
  { channel: 'phone', visits: '2' },
];
const labels = [0, 1, 1, 0];

describe('NaiveBayesScorer', () => {
  it('matches a hand-computed posterior for a categorical field', () => {
    const model = new NaiveBayesScorer({ featureColumns: ['channel'], numericColumns: [], missingTokens: [''] }).fit(records, labels);

    // Won rate 1/2, so each value gets 0.5 won and 0.5 lost pseudo-leads; prior odds (2+1)/(2+1) = 1.
    // Values seen: web, phone, plus an unseen slot: 3, so both denominators are 2 + 1.5.
    // P(web | won) = 2.5/3.5, P(web | lost) = 1.5/3.5: odds 5/3, P(won) = 5/8.
    // P(phone | won) = 0.5/3.5, P(phone | lost) = 1.5/3.5: odds 1/3, P(won) = 1/4.
    const [web, phone, unseen] = model.predictProba([{ channel: 'Web' }, { channel: 'phone' }, { channel: 'fax' }]);
    expect(web).toBeCloseTo(5 / 8, 12);
    expect(phone).toBeCloseTo(1 / 4, 12);
    expect(unseen).toBeCloseTo(0.5, 12);
  });

  it('bins a numeric field at training quantiles', () => {
    const model = new NaiveBayesScorer({
      featureColumns: ['visits'],
      numericColumns: ['visits'],
      missingTokens: [''],
      bins: 2,
    }).fit(records, labels);

    // The median of 1, 2, 5, 6 is 3.5: bin 0 contains the two lost leads, bin 1 the two won ones.
    // Bin 1: P(won) = 2.5/3.5, P(lost) = 0.5/3.5, odds 5, P(won) = 5/6; bin 0 the reverse.
    const [low, high, missing] = model.predictProba([{ visits: '3' }, { visits: '40' }, { visits: '' }]);
    expect(high).toBeCloseTo(5 / 6, 12);
    expect(low).toBeCloseTo(1 / 6, 12);
    expect(missing).toBeCloseTo(0.5, 12);
  });

  it('multiplies likelihood ratios across fields', () => {
    const model = new NaiveBayesScorer({
      featureColumns: ['channel', 'visits'],
      numericColumns: ['visits'],
      missingTokens: [''],
      bins: 2,
    }).fit(records, labels);

    // Odds 5/3 from "web" times 5 from the upper visits bin: 25/3, so P(won) = 25/28.
    const [probability] = model.predictProba([{ channel: 'web', visits: '9' }]);
    expect(probability).toBeCloseTo(25 / 28, 12);
  });

  it('throws NotFittedError before fit', () => {
    const model = new NaiveBayesScorer({ featureColumns: ['channel'], numericColumns: [], missingTokens: [''] });
    expect(() => model.predictProba(records)).toThrow(/before fit/);
  });
});
