import type * as tfTypes from '@tensorflow/tfjs';

import { tf } from '../tf-backend.ts';

/** One dense layer of a network, as plain weights. */
interface DenseWeights {
  kernel: tfTypes.Tensor2D;
  bias: tfTypes.Tensor1D;
  activation: 'relu' | 'linear' | 'sigmoid';
}

/** One dense layer as float64 numbers: kernel row-major [inputs, units]. */
export interface PlainDenseLayer {
  inputs: number;
  units: number;
  kernel: Float64Array;
  bias: Float64Array;
  activation: DenseWeights['activation'];
}

/**
 * The network rewritten as a function from features to the log-odds of its output: the
 * pre-activation of its final sigmoid unit. Gradients of this function drive integrated gradients.
 */
export interface LogOddsNetwork {
  /** Log-odds for a [rows, features] tensor, shape [rows]. */
  apply(x: tfTypes.Tensor2D): tfTypes.Tensor1D;
  /** The single dense layer of a logistic model as plain numbers; undefined for an MLP. */
  linear?: { weights: Float64Array; bias: number };
  /** Every dense layer as plain numbers, input first; the last one is the sigmoid unit. */
  plainLayers: PlainDenseLayer[];
  dispose(): void;
}

/**
 * Reads the dense layers of a network built by buildNetwork (ReLU or linear hidden layers, then
 * one sigmoid unit) and returns its log-odds function. Dropout is skipped because it is the
 * identity at prediction time. Throws on any other layer or activation.
 */
export function toLogOddsNetwork(network: tfTypes.LayersModel): LogOddsNetwork {
  const layers: DenseWeights[] = [];
  for (const layer of network.layers) {
    const className = layer.getClassName();
    if (className === 'Dropout' || className === 'InputLayer') continue;
    if (className !== 'Dense') throw new Error(`reasons support dense networks only; layer '${layer.name}' is a ${className}`);
    const activation = String(layer.getConfig().activation ?? 'linear');
    if (activation !== 'relu' && activation !== 'linear' && activation !== 'sigmoid') {
      throw new Error(`reasons support relu, linear and sigmoid activations; layer '${layer.name}' uses ${activation}`);
    }
    const [kernel, bias] = layer.getWeights();
    if (!kernel || !bias) throw new Error(`dense layer '${layer.name}' has no bias; reasons need one`);
    layers.push({ kernel: kernel.clone() as tfTypes.Tensor2D, bias: bias.clone() as tfTypes.Tensor1D, activation });
  }
  const last = layers[layers.length - 1];
  if (!last || last.activation !== 'sigmoid' || last.kernel.shape[1] !== 1) {
    throw new Error('reasons need a network that ends in one sigmoid unit');
  }

  const apply = (x: tfTypes.Tensor2D): tfTypes.Tensor1D =>
    tf.tidy(() => {
      let hidden: tfTypes.Tensor2D = x;
      layers.forEach((layer, index) => {
        const z = tf.add(tf.matMul(hidden, layer.kernel), layer.bias) as tfTypes.Tensor2D;
        // The last unit's sigmoid is left off: its input is the log-odds.
        if (index === layers.length - 1 || layer.activation === 'linear') hidden = z;
        else hidden = layer.activation === 'relu' ? tf.relu(z) : tf.sigmoid(z);
      });
      return tf.reshape(hidden, [-1]) as tfTypes.Tensor1D;
    });

  const plainLayers = layers.map((layer) => ({
    inputs: layer.kernel.shape[0],
    units: layer.kernel.shape[1],
    kernel: Float64Array.from(layer.kernel.dataSync()),
    bias: Float64Array.from(layer.bias.dataSync()),
    activation: layer.activation,
  }));
  const result: LogOddsNetwork = {
    apply,
    plainLayers,
    dispose: () => layers.forEach((layer) => tf.dispose([layer.kernel, layer.bias])),
  };
  if (layers.length === 1) {
    result.linear = { weights: plainLayers[0]!.kernel, bias: plainLayers[0]!.bias[0]! };
  }
  return result;
}
