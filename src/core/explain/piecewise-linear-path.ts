import type { PlainDenseLayer } from './network-log-odds.ts';

/**
 * Exact integrated gradients for a network whose hidden layers are ReLU or linear, for one lead.
 *
 * Along the straight line x(a) = baseline + a * (lead - baseline), a in [0, 1], such a network is
 * piecewise linear: its gradient is constant between the points where some hidden unit's
 * pre-activation crosses zero. The first layer's pre-activations are affine in a over the whole
 * line. Each later layer is affine within every interval found so far, so its crossings follow by
 * linear interpolation between the interval's ends. The integral of the gradient is then a sum
 * over intervals of length times the gradient at the interval's midpoint, with no step error.
 *
 * Returns one contribution per input feature, in log-odds, computed in float64.
 */
export function exactPathAttribution(layers: readonly PlainDenseLayer[], lead: ArrayLike<number>, baseline: ArrayLike<number>): Float64Array {
  const first = layers[0]!;
  const difference = Float64Array.from({ length: first.inputs }, (_, j) => lead[j]! - baseline[j]!);
  const start = affine(first, baseline, true);
  const slope = affine(first, difference, false);
  const firstPreActivation = (a: number) => start.map((value, unit) => value + a * slope[unit]!);

  let breakpoints = [0, 1];
  if (first.activation === 'relu') {
    start.forEach((value, unit) => addCrossing(breakpoints, value, value + slope[unit]!, 0, 1));
    breakpoints = sortedUnique(breakpoints);
  }
  // Hidden layers after the first, each needing the crossings of the layers before it.
  for (let depth = 1; depth < layers.length - 1; depth += 1) {
    if (layers[depth]!.activation !== 'relu') continue;
    const values = breakpoints.map((a) => forward(layers, firstPreActivation(a), depth));
    const found = [...breakpoints];
    for (let k = 0; k + 1 < breakpoints.length; k += 1) {
      const low = values[k]!;
      const high = values[k + 1]!;
      low.forEach((value, unit) => addCrossing(found, value, high[unit]!, breakpoints[k]!, breakpoints[k + 1]!));
    }
    breakpoints = sortedUnique(found);
  }

  const firstLayerGradient = new Float64Array(first.units);
  for (let k = 0; k + 1 < breakpoints.length; k += 1) {
    const length = breakpoints[k + 1]! - breakpoints[k]!;
    if (length <= 0) continue;
    const gradient = gradientAtFirstLayer(layers, firstPreActivation(breakpoints[k]! + length / 2));
    gradient.forEach((value, unit) => (firstLayerGradient[unit]! += length * value));
  }

  const contributions = new Float64Array(first.inputs);
  for (let j = 0; j < first.inputs; j += 1) {
    let total = 0;
    for (let unit = 0; unit < first.units; unit += 1) total += first.kernel[j * first.units + unit]! * firstLayerGradient[unit]!;
    contributions[j] = difference[j]! * total;
  }
  return contributions;
}

/** Tells whether exactPathAttribution applies: every hidden layer is ReLU or linear. */
export function isPiecewiseLinear(layers: readonly PlainDenseLayer[]): boolean {
  return layers.slice(0, -1).every((layer) => layer.activation === 'relu' || layer.activation === 'linear');
}

function affine(layer: PlainDenseLayer, input: ArrayLike<number>, withBias: boolean): Float64Array {
  const out = withBias ? Float64Array.from(layer.bias) : new Float64Array(layer.units);
  for (let i = 0; i < layer.inputs; i += 1) {
    const value = input[i]!;
    if (value === 0) continue;
    const row = i * layer.units;
    for (let unit = 0; unit < layer.units; unit += 1) out[unit]! += value * layer.kernel[row + unit]!;
  }
  return out;
}

function activate(layer: PlainDenseLayer, preActivation: Float64Array): Float64Array {
  return layer.activation === 'relu' ? preActivation.map((value) => Math.max(0, value)) : preActivation;
}

/** Pre-activations of layer `depth` given the first layer's pre-activations. */
function forward(layers: readonly PlainDenseLayer[], firstPreActivation: Float64Array, depth: number): Float64Array {
  let preActivation = firstPreActivation;
  for (let index = 1; index <= depth; index += 1) {
    preActivation = affine(layers[index]!, activate(layers[index - 1]!, preActivation), true);
  }
  return preActivation;
}

/** Gradient of the output log-odds with respect to the first layer's pre-activations. */
function gradientAtFirstLayer(layers: readonly PlainDenseLayer[], firstPreActivation: Float64Array): Float64Array {
  const preActivations = [firstPreActivation];
  for (let index = 1; index < layers.length - 1; index += 1) {
    preActivations.push(affine(layers[index]!, activate(layers[index - 1]!, preActivations[index - 1]!), true));
  }

  const last = layers[layers.length - 1]!;
  let gradient = Float64Array.from(last.kernel);
  for (let index = layers.length - 2; index >= 0; index -= 1) {
    const layer = layers[index]!;
    const z = preActivations[index]!;
    // d relu(z) / dz: 1 where the unit is on, 0 where it is off.
    if (layer.activation === 'relu') gradient = gradient.map((value, unit) => (z[unit]! > 0 ? value : 0));
    if (index === 0) break;
    const below = new Float64Array(layer.inputs);
    for (let i = 0; i < layer.inputs; i += 1) {
      let total = 0;
      for (let unit = 0; unit < layer.units; unit += 1) total += layer.kernel[i * layer.units + unit]! * gradient[unit]!;
      below[i] = total;
    }
    gradient = below;
  }
  return gradient;
}

function addCrossing(points: number[], low: number, high: number, from: number, to: number): void {
  if ((low > 0 && high < 0) || (low < 0 && high > 0)) {
    const crossing = from + ((to - from) * low) / (low - high);
    if (crossing > from && crossing < to) points.push(crossing);
  }
}

function sortedUnique(points: number[]): number[] {
  points.sort((a, b) => a - b);
  return points.filter((point, index) => index === 0 || point > points[index - 1]!);
}
