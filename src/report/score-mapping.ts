import { interpolateLinear } from '../core/calibration.ts';

/** A non-decreasing map from rule score to close rate, fitted on training leads. */
export interface ScoreMapping {
  /** Distinct training scores, ascending. */
  scores: number[];
  /** Fitted close rate at each score. */
  closeRates: number[];
  /** Training leads at each score. */
  counts: number[];
}

/**
 * Fits isotonic regression (pool adjacent violators, weighted by leads per distinct score) of
 * won/lost on rule score, so rule points can be read as close rates and compared with the model's
 * probabilities. Each pooled block of n leads keeps its rate at least 0.5 / (n + 1) away from 0
 * and 1. Without that margin, a small block with only wins would claim certainty and make the log
 * loss on the test leads infinite.
 * Isotonic regression overfits with few leads per score (below about 1,000 leads in total).
 */
export function fitScoreMapping(scores: ArrayLike<number>, labels: ArrayLike<number>): ScoreMapping {
  const groups = new Map<number, { wins: number; count: number }>();
  for (let index = 0; index < scores.length; index += 1) {
    const group = groups.get(scores[index]!) ?? { wins: 0, count: 0 };
    group.wins += labels[index] === 1 ? 1 : 0;
    group.count += 1;
    groups.set(scores[index]!, group);
  }
  const distinct = [...groups.keys()].sort((a, b) => a - b);

  const blocks: { wins: number; count: number; size: number }[] = [];
  for (const score of distinct) {
    const group = groups.get(score)!;
    blocks.push({ wins: group.wins, count: group.count, size: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.wins / previous.count < last.wins / last.count) break;
      previous.wins += last.wins;
      previous.count += last.count;
      previous.size += last.size;
      blocks.pop();
    }
  }

  const closeRates: number[] = [];
  let floor = 0;
  for (const block of blocks) {
    const margin = 0.5 / (block.count + 1);
    // Clipping can lower a later block below an earlier one; the running maximum keeps the map non-decreasing.
    const rate = Math.max(floor, Math.min(1 - margin, Math.max(margin, block.wins / block.count)));
    floor = rate;
    for (let k = 0; k < block.size; k += 1) closeRates.push(rate);
  }
  return { scores: distinct, closeRates, counts: distinct.map((score) => groups.get(score)!.count) };
}

/**
 * Maps a rule score to a close rate: the fitted rate at a training score, linear interpolation
 * between training scores, and the end rates beyond them.
 */
export function mapScore(mapping: ScoreMapping, score: number): number {
  if (mapping.scores.length === 0) return Number.NaN;
  return interpolateLinear(mapping.scores, mapping.closeRates, score);
}
