import type { ModelSettings } from '../dataset-config.ts';
import { NotFittedError } from '../errors.ts';
import { logLoss } from '../metrics.ts';
import { tf } from '../tf-backend.ts';
import { createRandom, shuffledIndices } from './random.ts';

/** A row-major feature matrix with its shape. */
export interface FeatureMatrix {
  values: Float32Array;
  rows: number;
  columns: number;
}

/** Progress of one training epoch, for terminals and logs. */
export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  validationLoss: number;
}

export interface FitOptions {
  settings: ModelSettings;
  /**
   * Rows that decide early stopping; never the test rows. Without them the network trains for
   * exactly `settings.epochs` epochs and keeps the last weights.
   */
  validation?: { x: FeatureMatrix; y: Float32Array };
  onEpoch?: (progress: EpochProgress) => void;
}

/** Model files as stored in a bundle: Keras-style topology JSON and the weight bytes. */
export interface NetworkArtifacts {
  modelJson: { modelTopology: unknown; weightSpecs: tf.io.WeightsManifestEntry[] };
  weights: Uint8Array;
}

const PREDICT_BATCH = 4096;

/**
 * Builds a logistic regression (one sigmoid unit) or a multilayer perceptron (ReLU hidden
 * layers with dropout) over `inputSize` features. Weight initialisation is seeded.
 */
export function buildNetwork(inputSize: number, settings: ModelSettings): tf.Sequential {
  const model = tf.sequential();
  const regularizer = settings.l2 > 0 ? tf.regularizers.l2({ l2: settings.l2 }) : undefined;
  let seed = settings.seed;
  const hidden = settings.type === 'mlp' ? settings.hiddenUnits : [];

  hidden.forEach((units, index) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed++ }),
        kernelRegularizer: regularizer,
        ...(index === 0 ? { inputShape: [inputSize] } : {}),
      }),
    );
    if (settings.dropout > 0) model.add(tf.layers.dropout({ rate: settings.dropout, seed: seed++ }));
  });
  model.add(
    tf.layers.dense({
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }),
      kernelRegularizer: regularizer,
      ...(hidden.length === 0 ? { inputShape: [inputSize] } : {}),
    }),
  );
  model.compile({ optimizer: tf.train.adam(settings.learningRate), loss: 'binaryCrossentropy' });
  return model;
}

/** A trained network and the epoch whose weights it kept. */
export interface FittedNetwork {
  model: tf.Sequential;
  /** 1-based epoch with the lowest validation log loss, or the last epoch without validation rows. */
  bestEpoch: number;
}

/**
 * Trains with Adam on binary cross-entropy, shuffling each epoch with the seeded generator, and
 * keeps the weights of the epoch with the lowest validation log loss (early stopping).
 */
export async function fitNetwork(x: FeatureMatrix, y: Float32Array, options: FitOptions): Promise<tf.Sequential> {
  return (await fitNetworkWithEpoch(x, y, options)).model;
}

/** Trains like fitNetwork and also returns the epoch early stopping chose. */
export async function fitNetworkWithEpoch(x: FeatureMatrix, y: Float32Array, options: FitOptions): Promise<FittedNetwork> {
  const { settings } = options;
  const model = buildNetwork(x.columns, settings);
  const random = createRandom(settings.seed);
  let best = { loss: Number.POSITIVE_INFINITY, weights: [] as tf.Tensor[], epoch: 0 };
  let epochsSinceBest = 0;

  for (let epoch = 1; epoch <= settings.epochs; epoch += 1) {
    const order = shuffledIndices(x.rows, random);
    const { xs, ys } = tf.tidy(() => {
      const indices = tf.tensor1d(order, 'int32');
      return {
        xs: tf.gather(tf.tensor2d(x.values, [x.rows, x.columns]), indices),
        ys: tf.gather(tf.tensor2d(y, [x.rows, 1]), indices),
      };
    });
    const history = await model.fit(xs, ys, { epochs: 1, batchSize: settings.batchSize, shuffle: false, verbose: 0 });
    xs.dispose();
    ys.dispose();

    const loss = Number(history.history.loss?.[0] ?? Number.NaN);
    if (!options.validation) {
      options.onEpoch?.({ epoch, epochs: settings.epochs, loss, validationLoss: Number.NaN });
      continue;
    }
    const validationLoss = logLoss(options.validation.y, predictNetwork(model, options.validation.x));
    options.onEpoch?.({ epoch, epochs: settings.epochs, loss, validationLoss });

    if (validationLoss < best.loss - 1e-5) {
      best.weights.forEach((tensor) => tensor.dispose());
      best = { loss: validationLoss, weights: model.getWeights().map((tensor) => tensor.clone()), epoch };
      epochsSinceBest = 0;
    } else if (++epochsSinceBest >= settings.patience) {
      break;
    }
  }

  if (!options.validation) return { model, bestEpoch: settings.epochs };
  model.setWeights(best.weights);
  best.weights.forEach((tensor) => tensor.dispose());
  return { model, bestEpoch: best.epoch };
}

/** Predicts P(won) for each row, in batches so that large inputs do not exhaust memory. */
export function predictNetwork(model: tf.LayersModel, x: FeatureMatrix): Float32Array {
  const out = new Float32Array(x.rows);
  for (let start = 0; start < x.rows; start += PREDICT_BATCH) {
    const end = Math.min(x.rows, start + PREDICT_BATCH);
    const batch = tf.tidy(() => {
      const input = tf.tensor2d(x.values.subarray(start * x.columns, end * x.columns), [end - start, x.columns]);
      return (model.predict(input) as tf.Tensor).dataSync();
    });
    out.set(batch, start);
  }
  return out;
}

/** Serializes a trained network into bundle artifacts. */
export async function saveNetwork(model: tf.LayersModel): Promise<NetworkArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.weightData || !captured.weightSpecs) throw new NotFittedError('the network produced no weights to save');

  const weightData = captured.weightData;
  const buffers = Array.isArray(weightData) ? weightData : [weightData];
  const weights = Buffer.concat(buffers.map((buffer) => Buffer.from(buffer)));
  return { modelJson: { modelTopology: captured.modelTopology, weightSpecs: captured.weightSpecs }, weights };
}

/** Restores a network saved by saveNetwork. */
export async function loadNetwork(artifacts: NetworkArtifacts): Promise<tf.LayersModel> {
  const weights = artifacts.weights;
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs: artifacts.modelJson.weightSpecs,
      weightData,
    }),
  );
}
