import { describe, expect, it } from 'vitest';

import { sampledEceNoise } from '../bench/ece-noise.ts';

describe('sampledEceNoise', () => {
  it('matches the expected deviation of one bin', () => {
    // Every probability 0.5 falls into one bin, so ECE is |won rate - 0.5|. For 1,000 leads its
    // mean is sqrt(0.25 / 1000) * sqrt(2 / pi), about 0.0126.
    const noise = sampledEceNoise(new Float64Array(1000).fill(0.5), 400);
    expect(noise.mean).toBeGreaterThan(0.011);
    expect(noise.mean).toBeLessThan(0.0142);
    expect(noise.p90).toBeGreaterThan(noise.mean);
    expect(noise.draws).toBe(400);
  });

  it('shrinks as the test part grows', () => {
    const probabilities = (rows: number) => Float64Array.from({ length: rows }, (_, index) => (index % 97) / 97);
    const small = sampledEceNoise(probabilities(500));
    const large = sampledEceNoise(probabilities(20_000));
    expect(large.mean).toBeLessThan(small.mean / 3);
  });

  it('repeats with the same seed', () => {
    const probabilities = Float64Array.from({ length: 300 }, (_, index) => index / 300);
    expect(sampledEceNoise(probabilities, 50, 3)).toEqual(sampledEceNoise(probabilities, 50, 3));
  });
});
