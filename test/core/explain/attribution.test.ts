import { describe, expect, it } from 'vitest';

import { attributeLogOdds } from '../../../src/core/explain/attribution.ts';
import { toLogOddsNetwork } from '../../../src/core/explain/network-log-odds.ts';
import { createRandom } from '../../../src/core/models/random.ts';
import { initBackend, tf } from '../../../src/core/tf-backend.ts';

/** Builds a small seeded network with the given hidden activation and a sigmoid output unit. */
async function buildTestNetwork(activation: 'relu' | 'linear' | 'sigmoid', inputs: number): Promise<tf.Sequential> {
  await initBackend();
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 12, activation, inputShape: [inputs], kernelInitializer: tf.initializers.heNormal({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }));
  model.add(tf.layers.dense({ units: 6, activation, kernelInitializer: tf.initializers.heNormal({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4 }) }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
  return model;
}

function randomMatrix(rows: number, columns: number, seed: number) {
  const random = createRandom(seed);
  return { values: Float32Array.from({ length: rows * columns }, () => 4 * random() - 2), rows, columns };
}

function completenessGaps(result: ReturnType<typeof attributeLogOdds>): number[] {
  return result.contributions.map((row, index) => Math.abs(result.baselineLogOdds + row.reduce((sum, value) => sum + value, 0) - result.logOdds[index]!));
}

describe('attributeLogOdds', () => {
  it('is exact on a ReLU network along the whole path', async () => {
    const model = await buildTestNetwork('relu', 5);
    const network = toLogOddsNetwork(model);
    const leads = randomMatrix(40, 5, 11);

    const result = attributeLogOdds(network, leads, [0.1, -0.2, 0.3, 0, 0.5]);

    expect(result.method).toBe('integrated-gradients-exact-path');
    for (const gap of completenessGaps(result)) expect(gap).toBeLessThan(1e-5);
    network.dispose();
  });

  it('is exact on a network with linear hidden layers', async () => {
    const model = await buildTestNetwork('linear', 4);
    const network = toLogOddsNetwork(model);

    const result = attributeLogOdds(network, randomMatrix(15, 4, 21), [0.2, 0.1, 0, -0.1]);

    expect(result.method).toBe('integrated-gradients-exact-path');
    for (const gap of completenessGaps(result)) expect(gap).toBeLessThan(1e-5);
    network.dispose();
  });

  it('matches the midpoint rule on a ReLU network as steps grow', async () => {
    const model = await buildTestNetwork('relu', 5);
    const network = toLogOddsNetwork(model);
    const leads = randomMatrix(10, 5, 12);
    const baseline = [0, 0, 0, 0, 0];
    const exact = attributeLogOdds(network, leads, baseline);
    const plainLayers = network.plainLayers;

    // Hiding the piecewise-linear shape makes attributeLogOdds fall back to the midpoint rule,
    // while the tensors it evaluates are still the same ReLU network.
    network.plainLayers = plainLayers.map((layer, index) => (index === 0 ? { ...layer, activation: 'sigmoid' as const } : layer));
    const midpoint = attributeLogOdds(network, leads, baseline, { steps: 4096, maxSteps: 4096 });
    network.plainLayers = plainLayers;

    expect(midpoint.method).toBe('integrated-gradients');
    exact.contributions.forEach((row, lead) => {
      row.forEach((value, feature) => expect(Math.abs(value - midpoint.contributions[lead]![feature]!)).toBeLessThan(5e-3));
    });
    network.dispose();
  });

  it('meets the tolerance with the midpoint rule on a smooth network', async () => {
    const model = await buildTestNetwork('sigmoid', 4);
    const network = toLogOddsNetwork(model);
    const leads = randomMatrix(20, 4, 13);

    const result = attributeLogOdds(network, leads, [0, 0, 0, 0], { tolerance: 1e-3 });

    expect(result.method).toBe('integrated-gradients');
    expect(result.maxCompletenessGap).toBeLessThan(1e-3);
    network.dispose();
  });

  it('rejects a baseline of the wrong width', async () => {
    const network = toLogOddsNetwork(await buildTestNetwork('relu', 3));
    expect(() => attributeLogOdds(network, randomMatrix(2, 3, 1), [0, 0])).toThrow(/baseline has 2 features but the leads have 3/);
    network.dispose();
  });
});
