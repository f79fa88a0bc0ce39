import { describe, expect, it } from 'vitest';

import { ModelSettings } from '../src/core/dataset-config.ts';
import { fitNetwork, loadNetwork, predictNetwork, saveNetwork, type FeatureMatrix } from '../src/core/models/network.ts';
import { createRandom } from '../src/core/models/random.ts';
import { initBackend } from '../src/core/tf-backend.ts';

/** Two features; the label is 1 when x0 + x1 > 0, with 10 % of labels flipped. */
function separableData(rows: number, seed: number): { x: FeatureMatrix; y: Float32Array } {
  const random = createRandom(seed);
  const values = new Float32Array(rows * 2);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i += 1) {
    values[i * 2] = random() * 2 - 1;
    values[i * 2 + 1] = random() * 2 - 1;
    const clean = values[i * 2]! + values[i * 2 + 1]! > 0 ? 1 : 0;
    y[i] = random() < 0.1 ? 1 - clean : clean;
  }
  return { x: { values, rows, columns: 2 }, y };
}

describe('fitNetwork', () => {
  it('learns a linear boundary with both model types and round-trips through save and load', async () => {
    await initBackend();
    const train = separableData(2000, 1);
    const validation = separableData(500, 2);
    for (const type of ['logistic', 'mlp'] as const) {
      const settings = ModelSettings.parse({ type, epochs: 15, learningRate: 0.05, hiddenUnits: [8] });
      const model = await fitNetwork(train.x, train.y, { settings, validation });
      const predictions = predictNetwork(model, validation.x);
      const accuracy = predictions.reduce((hits, p, i) => hits + ((p > 0.5 ? 1 : 0) === validation.y[i] ? 1 : 0), 0) / validation.x.rows;
      expect(accuracy).toBeGreaterThan(0.8);

      const restored = await loadNetwork(await saveNetwork(model));
      expect(Array.from(predictNetwork(restored, validation.x))).toEqual(Array.from(predictions));
    }
  });

  it('gives identical weights for the same seed', async () => {
    await initBackend();
    const train = separableData(500, 3);
    const settings = ModelSettings.parse({ type: 'mlp', epochs: 3, hiddenUnits: [4] });
    const first = predictNetwork(await fitNetwork(train.x, train.y, { settings, validation: train }), train.x);
    const second = predictNetwork(await fitNetwork(train.x, train.y, { settings, validation: train }), train.x);
    expect(Array.from(second)).toEqual(Array.from(first));
  });
});
