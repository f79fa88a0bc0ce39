import { describe, expect, it } from 'vitest';

import { assignTier, parseTierList, quartileTiers, tierProblems } from '../src/core/tiers.ts';

describe('tiers', () => {
  it('assigns the first tier whose threshold the probability reaches', () => {
    const tiers = parseTierList('hot:0.6,warm:0.3,cold:0');
    expect(assignTier(tiers, 0.6)).toBe('hot');
    expect(assignTier(tiers, 0.59)).toBe('warm');
    expect(assignTier(tiers, 0)).toBe('cold');
  });

  it('derives quartile thresholds from training probabilities', () => {
    const tiers = quartileTiers([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(tiers.map((tier) => tier.minProbability)).toEqual([0.4, 0.3, 0.2, 0]);
    expect(tiers.map((tier) => tier.name)).toEqual(['hot', 'warm', 'cool', 'cold']);
  });

  it('rejects thresholds out of order or without a floor at 0', () => {
    expect(tierProblems([{ name: 'a', minProbability: 0.2 }, { name: 'b', minProbability: 0.5 }, { name: 'c', minProbability: 0 }])).toHaveLength(1);
    expect(() => parseTierList('hot:0.6,warm:0.3')).toThrow(/must have minProbability 0/);
    expect(() => parseTierList('hot:1.5,cold:0')).toThrow(/tier entry 'hot:1.5' is invalid/);
  });
});
