import { createRandom } from '../core/models/random.ts';

/** A point of a ROC curve: false and true positive rates, both in [0, 1]. */
export interface RocPoint {
  falsePositiveRate: number;
  truePositiveRate: number;
}

/** A point of a cumulative-gain curve: share of leads called (best first) and share of wins found. */
export interface GainPoint {
  leadShare: number;
  winShare: number;
}

/**
 * Returns the ROC curve of scores against 0/1 labels, one point per distinct score (tied scores
 * move the curve diagonally), from (0, 0) to (1, 1).
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocPoint[] {
  const { positives, negatives, groups } = groupByScoreDescending(labels, scores);
  const points: RocPoint[] = [{ falsePositiveRate: 0, truePositiveRate: 0 }];
  let truePositives = 0;
  let falsePositives = 0;
  for (const group of groups) {
    truePositives += group.positives;
    falsePositives += group.count - group.positives;
    points.push({
      falsePositiveRate: negatives > 0 ? falsePositives / negatives : 0,
      truePositiveRate: positives > 0 ? truePositives / positives : 0,
    });
  }
  return points;
}

/**
 * Returns the cumulative-gain curve: after calling the best-scored share of leads, the share of
 * all wins reached. Tied scores enter as one straight segment, as if called in random order.
 */
export function gainCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): GainPoint[] {
  const { positives, groups } = groupByScoreDescending(labels, scores);
  const points: GainPoint[] = [{ leadShare: 0, winShare: 0 }];
  let called = 0;
  let wins = 0;
  for (const group of groups) {
    called += group.count;
    wins += group.positives;
    points.push({ leadShare: called / labels.length, winShare: positives > 0 ? wins / positives : 0 });
  }
  return points;
}

/**
 * Orders lead indices best first. Ties (common with rule scores) are broken by a seeded shuffle
 * rather than file order, which could carry information such as lead age.
 */
export function rankLeads(scores: ArrayLike<number>, seed: number): number[] {
  const random = createRandom(seed);
  const tieBreak = Array.from({ length: scores.length }, () => random());
  return Array.from({ length: scores.length }, (_, index) => index).sort(
    (a, b) => scores[b]! - scores[a]! || tieBreak[a]! - tieBreak[b]!,
  );
}

/** A capacity: a share of leads, or a fixed number of leads sales can call. */
export type Capacity = { share: number } | { leads: number };

/** Wins each ranking hands sales at one capacity, and the wins each finds that the other misses. */
export interface CapacityRow {
  label: string;
  leads: number;
  modelWins: number;
  rulesWins: number;
  /** Wins in the model's list and not in the rules' list. */
  modelOnlyWins: number;
  /** Wins in the rules' list and not in the model's list. */
  rulesOnlyWins: number;
  modelCloseRate: number;
  rulesCloseRate: number;
}

/**
 * Compares two rankings at each capacity: the top `leads` of each list, the wins in it, and the
 * wins one list contains that the other does not. `modelOrder` and `rulesOrder` come from rankLeads.
 */
export function capacityTable(
  labels: ArrayLike<number>,
  modelOrder: readonly number[],
  rulesOrder: readonly number[],
  capacities: readonly Capacity[],
): CapacityRow[] {
  return capacities.map((capacity) => {
    const leads = 'share' in capacity ? Math.round(capacity.share * labels.length) : Math.min(capacity.leads, labels.length);
    const label = 'share' in capacity ? `top ${formatPercent(capacity.share)}` : `top ${leads} leads`;
    const modelTop = new Set(modelOrder.slice(0, leads));
    const rulesTop = new Set(rulesOrder.slice(0, leads));

    const modelWins = countWins(labels, modelTop);
    const rulesWins = countWins(labels, rulesTop);
    const modelOnlyWins = countWins(labels, modelTop, rulesTop);
    const rulesOnlyWins = countWins(labels, rulesTop, modelTop);
    return {
      label,
      leads,
      modelWins,
      rulesWins,
      modelOnlyWins,
      rulesOnlyWins,
      modelCloseRate: leads > 0 ? modelWins / leads : Number.NaN,
      rulesCloseRate: leads > 0 ? rulesWins / leads : Number.NaN,
    };
  });
}

/**
 * Parses capacities written as "5%,10%,20%,250": a percentage of leads or a number of leads.
 * Throws an Error naming the bad entry.
 */
export function parseCapacities(text: string): Capacity[] {
  return text.split(',').map((entry) => {
    const trimmed = entry.trim();
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
    if (percent && Number(percent[1]) > 0 && Number(percent[1]) <= 100) {
      return { share: Number(percent[1]) / 100 };
    }
    if (/^\d+$/.test(trimmed) && Number(trimmed) > 0) {
      return { leads: Number(trimmed) };
    }
    throw new Error(`capacity '${entry}' is invalid; expected a percentage from 0 to 100 such as 10% or a number of leads such as 250`);
  });
}

function countWins(labels: ArrayLike<number>, included: ReadonlySet<number>, excluded?: ReadonlySet<number>): number {
  let wins = 0;
  for (const index of included) {
    if (labels[index] === 1 && !excluded?.has(index)) wins += 1;
  }
  return wins;
}

function formatPercent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

interface ScoreGroup {
  count: number;
  positives: number;
}

function groupByScoreDescending(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
): { positives: number; negatives: number; groups: ScoreGroup[] } {
  if (labels.length !== scores.length) {
    throw new RangeError(`labels (${labels.length}) and scores (${scores.length}) differ in length`);
  }
  const order = Array.from({ length: labels.length }, (_, index) => index).sort((a, b) => scores[b]! - scores[a]!);
  const groups: ScoreGroup[] = [];
  let positives = 0;
  let previous = Number.NaN;
  for (const index of order) {
    if (scores[index] !== previous || groups.length === 0) groups.push({ count: 0, positives: 0 });
    previous = scores[index]!;
    const group = groups[groups.length - 1]!;
    group.count += 1;
    group.positives += labels[index] === 1 ? 1 : 0;
    positives += labels[index] === 1 ? 1 : 0;
  }
  return { positives, negatives: labels.length - positives, groups };
}
