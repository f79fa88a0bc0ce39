/**
 * Classification metrics for probabilities against 0/1 labels. Every function takes parallel
 * arrays `labels` (0 or 1) and `probabilities` (in [0, 1]) of equal length.
 */

const LOG_LOSS_EPSILON = 1e-15;

function checkLengths(labels: ArrayLike<number>, probabilities: ArrayLike<number>): void {
  if (labels.length !== probabilities.length) {
    throw new RangeError(`labels (${labels.length}) and probabilities (${probabilities.length}) differ in length`);
  }
  if (labels.length === 0) throw new RangeError('metrics need at least one row');
}

/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney) formula, with tied scores given their
 * average rank. Returns NaN when only one class is present.
 */
export function rocAuc(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkLengths(labels, probabilities);
  const order = Array.from({ length: labels.length }, (_, index) => index).sort(
    (a, b) => probabilities[a]! - probabilities[b]!,
  );

  let positiveRankSum = 0;
  let positives = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && probabilities[order[end + 1]!] === probabilities[order[start]!]) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) {
      if (labels[order[k]!] === 1) {
        positiveRankSum += averageRank;
        positives += 1;
      }
    }
    start = end + 1;
  }

  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Area under the precision-recall curve as average precision: the mean of the precision at each
 * positive's rank, with tied scores entered as one step (as scikit-learn's average_precision_score).
 */
export function averagePrecision(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkLengths(labels, probabilities);
  const order = Array.from({ length: labels.length }, (_, index) => index).sort(
    (a, b) => probabilities[b]! - probabilities[a]!,
  );
  const totalPositives = Array.from(labels).filter((label) => label === 1).length;
  if (totalPositives === 0) return Number.NaN;

  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let sum = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && probabilities[order[end + 1]!] === probabilities[order[start]!]) end += 1;
    for (let k = start; k <= end; k += 1) if (labels[order[k]!] === 1) truePositives += 1;
    seen = end + 1;
    const recall = truePositives / totalPositives;
    sum += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
    start = end + 1;
  }
  return sum;
}

/** Mean squared difference between probability and outcome. */
export function brierScore(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkLengths(labels, probabilities);
  let sum = 0;
  for (let i = 0; i < labels.length; i += 1) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / labels.length;
}

/** Mean negative log-likelihood in nats, with probabilities clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkLengths(labels, probabilities);
  let sum = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probabilities[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanProbability: number;
  observedRate: number;
}

/**
 * Splits [0, 1] into `binCount` equal-width bins (the last one closed at 1) and returns the mean
 * predicted probability and the observed positive rate of each; empty bins have NaN means.
 */
export function reliabilityBins(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  binCount = 10,
): ReliabilityBin[] {
  checkLengths(labels, probabilities);
  const sums = Array.from({ length: binCount }, () => ({ count: 0, probability: 0, positives: 0 }));
  for (let i = 0; i < labels.length; i += 1) {
    const p = probabilities[i]!;
    const bin = sums[Math.min(binCount - 1, Math.floor(p * binCount))]!;
    bin.count += 1;
    bin.probability += p;
    bin.positives += labels[i]!;
  }
  return sums.map((bin, index) => ({
    lower: index / binCount,
    upper: (index + 1) / binCount,
    count: bin.count,
    meanProbability: bin.count > 0 ? bin.probability / bin.count : Number.NaN,
    observedRate: bin.count > 0 ? bin.positives / bin.count : Number.NaN,
  }));
}

/**
 * Expected calibration error: the count-weighted mean of |observed rate - mean probability| over
 * `binCount` equal-width bins.
 */
export function expectedCalibrationError(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  binCount = 10,
): number {
  const bins = reliabilityBins(labels, probabilities, binCount);
  let sum = 0;
  for (const bin of bins) {
    if (bin.count > 0) sum += bin.count * Math.abs(bin.observedRate - bin.meanProbability);
  }
  return sum / labels.length;
}

/** The headline metrics written to metrics.json for one split. */
export interface ClassificationMetrics {
  rows: number;
  positives: number;
  positiveRate: number;
  auc: number;
  prAuc: number;
  brier: number;
  ece: number;
  logLoss: number;
}

/** Computes every headline metric for one split. */
export function classificationMetrics(labels: ArrayLike<number>, probabilities: ArrayLike<number>): ClassificationMetrics {
  checkLengths(labels, probabilities);
  const positives = Array.from(labels).filter((label) => label === 1).length;
  return {
    rows: labels.length,
    positives,
    positiveRate: positives / labels.length,
    auc: rocAuc(labels, probabilities),
    prAuc: averagePrecision(labels, probabilities),
    brier: brierScore(labels, probabilities),
    ece: expectedCalibrationError(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
  };
}
