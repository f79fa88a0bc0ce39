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
    // Without hidden layers the first layer is the output, whose log-odds has gradient 1 everywhere.
    const firstLayerGradient = this.hidden.length === 0 ? Float64Array.of(1) : this.integrateByMasks(points);

    const contributions = new Float64Array(first.inputs);
    for (let j = 0; j < first.inputs; j += 1) {
      let total = 0;
      const row = j * first.units;
      for (let unit = 0; unit < first.units; unit += 1) total += first.kernel[row + unit]! * firstLayerGradient[unit]!;
      contributions[j] = difference[j]! * total;
    }
    return contributions;
  }

  /**
   * Sums length times the gradient with respect to the first layer's pre-activations over the
   * intervals. Inside an interval the gradient is constant, set by which ReLU units are on at its
   * midpoint. It is linear in the last hidden layer's on/off mask, so consecutive intervals whose
   * lower layers keep their masks are summed at the last layer first and passed back once.
   */
  private integrateByMasks(points: readonly PathPoint[]): Float64Array {
    const gradient = new Float64Array(this.layers[0]!.units);
    const top = this.hidden.length - 1;
    let pending: { sum: Float64Array; masks: Uint8Array[] } | undefined;
    for (let k = 0; k + 1 < points.length; k += 1) {
      const low = points[k]!;
      const high = points[k + 1]!;
      const length = high.at - low.at;
      if (length <= 0) continue;

      const masks = this.hidden.map((layer, depth) => activeAtMidpoint(layer, low.preActivations[depth]!, high.preActivations[depth]!));
      if (pending && !sameMasks(pending.masks, masks, top)) {
        this.passBack(pending.sum, pending.masks, gradient);
        pending = undefined;
      }
      pending ??= { sum: new Float64Array(this.hidden[top]!.units), masks };
      const topMask = masks[top]!;
      for (let unit = 0; unit < topMask.length; unit += 1) if (topMask[unit]) pending.sum[unit]! += length * this.output.kernel[unit]!;
    }
    if (pending) this.passBack(pending.sum, pending.masks, gradient);
    return gradient;
  }

  /** Adds the gradient with respect to the last hidden layer's pre-activations, passed back to the first layer's. */
  private passBack(topGradient: Float64Array, masks: readonly Uint8Array[], into: Float64Array): void {
    let gradient = topGradient;
    for (let depth = this.hidden.length - 1; depth > 0; depth -= 1) {
      const layer = this.hidden[depth]!;
      const below = new Float64Array(layer.inputs);
      const mask = masks[depth - 1]!;
      for (let i = 0; i < layer.inputs; i += 1) {
        if (!mask[i]) continue;
        let total = 0;
        const row = i * layer.units;
        for (let unit = 0; unit < layer.units; unit += 1) total += layer.kernel[row + unit]! * gradient[unit]!;
        below[i] = total;
      }
      gradient = below;
    }
    for (let unit = 0; unit < into.length; unit += 1) into[unit]! += gradient[unit]!;
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
        for (const at of crossings) added.push(this.pointBetween(low, high, at, depth));
      }
      if (added.length > 0) points = sortedUniquePoints([...points, ...added]);
    }
    return points;
  }

  /**
   * Computes the point at `at` inside the interval from `low` to `high`, where no unit of layers 0 to
   * `depth - 1` changes sign. Layers up to `depth` are affine there, so their pre-activations are
   * interpolated; deeper layers are computed from layer `depth`'s activations.
   */
  private pointBetween(low: PathPoint, high: PathPoint, at: number, depth: number): PathPoint {
    const share = (at - low.at) / (high.at - low.at);
    const preActivations: Float64Array[] = [];
    for (let level = 0; level <= depth; level += 1) {
      const from = low.preActivations[level]!;
      const to = high.preActivations[level]!;
      const values = new Float64Array(from.length);
      for (let unit = 0; unit < values.length; unit += 1) values[unit] = from[unit]! + share * (to[unit]! - from[unit]!);
      preActivations.push(values);
    }
    for (let level = depth + 1; level < this.hidden.length; level += 1) {
      preActivations.push(affine(this.hidden[level]!, activate(this.hidden[level - 1]!, preActivations[level - 1]!), true));
    }
    return { at, preActivations };
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

/** Marks each unit that passes its gradient in the middle of the interval with 1, a ReLU unit that is off with 0. */
function activeAtMidpoint(layer: PlainDenseLayer, low: Float64Array, high: Float64Array): Uint8Array {
  const mask = new Uint8Array(low.length);
  for (let unit = 0; unit < mask.length; unit += 1) mask[unit] = layer.activation !== 'relu' || low[unit]! + high[unit]! > 0 ? 1 : 0;
  return mask;
}

/** Tells whether the masks of layers 0 to `count - 1` are equal. */
function sameMasks(first: readonly Uint8Array[], second: readonly Uint8Array[], count: number): boolean {
  for (let depth = 0; depth < count; depth += 1) {
    const a = first[depth]!;
    const b = second[depth]!;
    for (let unit = 0; unit < a.length; unit += 1) if (a[unit] !== b[unit]) return false;
  }
  return true;
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
