/** An observed close rate with its Wilson 95 % interval. */
export interface CloseRate {
  label: string;
  leads: number;
  wins: number;
  closeRate: number;
  lower: number;
  upper: number;
}

const Z_95 = 1.959963984540054;

/**
 * Returns the Wilson score interval for `wins` out of `leads` (default 95 %). Unlike the normal
 * approximation it stays inside [0, 1] and behaves for small counts and rates near 0 or 1.
 * Returns NaN bounds when `leads` is 0.
 */
export function wilsonInterval(wins: number, leads: number, z = Z_95): { lower: number; upper: number } {
  if (leads === 0) return { lower: Number.NaN, upper: Number.NaN };
  const rate = wins / leads;
  const z2 = z * z;
  const centre = (rate + z2 / (2 * leads)) / (1 + z2 / leads);
  const halfWidth = (z / (1 + z2 / leads)) * Math.sqrt((rate * (1 - rate)) / leads + z2 / (4 * leads * leads));
  return { lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}

/** Builds a close-rate row for the leads at `indices`. */
export function closeRate(label: string, labels: ArrayLike<number>, indices: readonly number[]): CloseRate {
  const wins = indices.reduce((sum, index) => sum + (labels[index] === 1 ? 1 : 0), 0);
  const interval = wilsonInterval(wins, indices.length);
  return {
    label,
    leads: indices.length,
    wins,
    closeRate: indices.length > 0 ? wins / indices.length : Number.NaN,
    ...interval,
  };
}

/**
 * Groups leads by a key and returns one close-rate row per key in the order of `keys`,
 * including keys no lead has (0 leads, NaN rate).
 */
export function closeRatesBy(labels: ArrayLike<number>, keyOf: (index: number) => string, keys: readonly string[]): CloseRate[] {
  const members = new Map<string, number[]>(keys.map((key) => [key, []]));
  for (let index = 0; index < labels.length; index += 1) {
    members.get(keyOf(index))?.push(index);
  }
  return keys.map((key) => closeRate(key, labels, members.get(key) ?? []));
}

/** A rule-score band: scores from `min` (inclusive) to `max` (exclusive). */
export interface ScoreBand {
  label: string;
  min: number;
  max: number;
}

/**
 * Cuts rule scores into bands of `width` points from the lowest to the highest score seen, so
 * sales can read close rates by the numbers they already use.
 */
export function scoreBands(scores: ArrayLike<number>, width: number): ScoreBand[] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < scores.length; index += 1) {
    low = Math.min(low, scores[index]!);
    high = Math.max(high, scores[index]!);
  }
  if (!Number.isFinite(low)) return [];

  const bands: ScoreBand[] = [];
  for (let min = Math.floor(low / width) * width; min <= high; min += width) {
    bands.push({ label: `${min} to ${min + width}`, min, max: min + width });
  }
  return bands;
}

/** Returns the label of the band containing `score`. */
export function bandOf(bands: readonly ScoreBand[], score: number): string {
  const band = bands.find((candidate) => score >= candidate.min && score < candidate.max);
  return band?.label ?? bands[bands.length - 1]?.label ?? '';
}
