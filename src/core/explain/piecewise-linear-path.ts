import type { PlainDenseLayer } from './network-log-odds.ts';

/**
 * Exact integrated gradients for a network whose hidden layers are ReLU or linear.
 *
 * Along the straight line x(a) = baseline + a * (lead - baseline), a in [0, 1], such a network is
 * piecewise linear: its gradient is constant between the points where some hidden unit's
 * pre-activation crosses zero. The first layer's pre-activations are affine in a over the whole
 * line. Each later layer is affine within every interval found so far, so its crossings follow by
 * linear interpolation between the interval's ends. The integral of the gradient is then a sum
 * over intervals of length times the gradient at the interval's midpoint, with no step error.
 *
 * Build one per model and baseline; `attribute` returns one contribution per input feature for a
 * lead, in log-odds, computed in float64.
 */
export class ExactPathAttributor {
  private readonly hidden: readonly PlainDenseLayer[];
  private readonly output: PlainDenseLayer;
  private readonly baselinePreActivation: Float64Array;

  constructor(
    private readonly layers: readonly PlainDenseLayer[],
    private readonly baseline: ArrayLike<number>,
  ) {
    if (!isPiecewiseLinear(layers)) throw new Error('exact path attribution needs ReLU or linear hidden layers');
    this.hidden = layers.slice(0, -1);
    this.output = layers[layers.length - 1]!;
    this.baselinePreActivation = affine(layers[0]!, baseline, true);
  }

  attribute(lead: ArrayLike<number>): Float64Array {
    const first = this.layers[0]!;
    const difference = new Float64Array(first.inputs);
    for (let j = 0; j < first.inputs; j += 1) difference[j] = lead[j]! - this.baseline[j]!;
    const slope = affine(first, difference, false);

    const points = this.findBreakpoints(slope);
    const firstLayerGradient = new Float64Array(first.units);
    for (let k = 0; k + 1 < points.length; k += 1) {
      const low = points[k]!;
      const high = points[k + 1]!;
      const length = high.at - low.at;
      if (length <= 0) continue;
      // Every pre-activation is affine inside the interval, so its midpoint value is the mean of the ends.
      const middle = low.preActivations.map((values, depth) => midpoint(values, high.preActivations[depth]!));
      this.accumulateGradient(middle, length, firstLayerGradient);
    }

    const contributions = new Float64Array(first.inputs);
    for (let j = 0; j < first.inputs; j += 1) {
      let total = 0;
      const row = j * first.units;
      for (let unit = 0; unit < first.units; unit += 1) total += first.kernel[row + unit]! * firstLayerGradient[unit]!;
      contributions[j] = difference[j]! * total;
    }
    return contributions;
  }

  /** Sorted points in [0, 1] between which no hidden unit changes sign, with their pre-activations. */
  private findBreakpoints(slope: Float64Array): PathPoint[] {
    const first = this.layers[0]!;
    const alphas = [0, 1];
    if (first.activation === 'relu') {
      for (let unit = 0; unit < first.units; unit += 1) {
        const start = this.baselinePreActivation[unit]!;
        addCrossing(alphas, start, start + slope[unit]!, 0, 1);
      }
    }
    let points = sortedUnique(alphas).map((at) => this.pointAt(at, slope));

    for (let depth = 1; depth < this.hidden.length; depth += 1) {
      if (this.hidden[depth]!.activation !== 'relu') continue;
      const added: PathPoint[] = [];
      for (let k = 0; k + 1 < points.length; k += 1) {
        const low = points[k]!;
        const high = points[k + 1]!;
        const lowValues = low.preActivations[depth]!;
        const highValues = high.preActivations[depth]!;
        const crossings: number[] = [];
        for (let unit = 0; unit < lowValues.length; unit += 1) addCrossing(crossings, lowValues[unit]!, highValues[unit]!, low.at, high.at);
        for (const at of crossings) added.push(this.pointAt(at, slope));
      }
      if (added.length > 0) points = sortedUniquePoints([...points, ...added]);
    }
    return points;
  }

  private pointAt(at: number, slope: Float64Array): PathPoint {
    const firstPre = new Float64Array(this.baselinePreActivation.length);
    for (let unit = 0; unit < firstPre.length; unit += 1) firstPre[unit] = this.baselinePreActivation[unit]! + at * slope[unit]!;
    const preActivations: Float64Array[] = [firstPre];
    for (let depth = 1; depth < this.hidden.length; depth += 1) {
      preActivations.push(affine(this.hidden[depth]!, activate(this.hidden[depth - 1]!, preActivations[depth - 1]!), true));
    }
    return { at, preActivations };
  }

  /** Adds `length` times the gradient of the log-odds with respect to the first layer's pre-activations. */
  private accumulateGradient(preActivations: Float64Array[], length: number, into: Float64Array): void {
    let gradient: Float64Array = Float64Array.from(this.output.kernel);
    for (let depth = this.hidden.length - 1; depth >= 0; depth -= 1) {
      const layer = this.hidden[depth]!;
      const z = preActivations[depth]!;
      // d relu(z) / dz: 1 where the unit is on, 0 where it is off.
      if (layer.activation === 'relu') {
        for (let unit = 0; unit < layer.units; unit += 1) if (z[unit]! <= 0) gradient[unit] = 0;
      }
      if (depth === 0) break;
      const below = new Float64Array(layer.inputs);
      for (let i = 0; i < layer.inputs; i += 1) {
        let total = 0;
        const row = i * layer.units;
        for (let unit = 0; unit < layer.units; unit += 1) total += layer.kernel[row + unit]! * gradient[unit]!;
        below[i] = total;
      }
      gradient = below;
    }
    for (let unit = 0; unit < into.length; unit += 1) into[unit]! += length * gradient[unit]!;
  }
}

interface PathPoint {
  at: number;
  /** Pre-activations of every hidden layer at this point of the path. */
  preActivations: Float64Array[];
}

/** Tells whether ExactPathAttributor applies: every hidden layer is ReLU or linear. */
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
  if (layer.activation !== 'relu') return preActivation;
  const out = new Float64Array(preActivation.length);
  for (let unit = 0; unit < out.length; unit += 1) out[unit] = preActivation[unit]! > 0 ? preActivation[unit]! : 0;
  return out;
}

function midpoint(low: Float64Array, high: Float64Array): Float64Array {
  const out = new Float64Array(low.length);
  for (let unit = 0; unit < out.length; unit += 1) out[unit] = (low[unit]! + high[unit]!) / 2;
  return out;
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

function sortedUniquePoints(points: PathPoint[]): PathPoint[] {
  points.sort((a, b) => a.at - b.at);
  return points.filter((point, index) => index === 0 || point.at > points[index - 1]!.at);
}
