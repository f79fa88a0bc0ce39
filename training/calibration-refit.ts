import type { Calibrator } from '../src/core/calibration.ts';
import { classificationMetrics } from '../src/core/metrics.ts';
import { bundleMembers, type ModelBundle } from '../src/core/model-bundle.ts';
import type { CalibrationComparison, CalibrationMetrics } from '../src/core/recalibration-record.ts';
import type { RecentOutcomes } from './recent-outcomes.ts';
import { countOutcomes, fitMemberCalibrators, ISOTONIC_WARNING_LEADS, type RecalibrationMethod } from './recalibration-fit.ts';
import { predictBundle, scoreMembers, type MemberScores } from './recalibration-scoring.ts';

/**
 * Fits the new calibrators on every outcome, after the held-out comparison on the newest part.
 * Returns the recalibrated bundle, its probabilities on the outcomes, both comparisons and the
 * warnings for the user.
 */
export async function fitOnOutcomes(bundle: ModelBundle, outcomes: RecentOutcomes, method: RecalibrationMethod, heldOutFraction: number) {
  const warnings: string[] = [];
  if (method === 'isotonic' && outcomes.rows.length < ISOTONIC_WARNING_LEADS) {
    warnings.push(
      `isotonic regression on ${outcomes.rows.length} closed leads overfits (it needs about ${ISOTONIC_WARNING_LEADS}); Platt scaling suits so few`,
    );
  }

  const scores = await scoreMembers(bundle, outcomes.table, outcomes.rows);
  const heldOut = await compareOnNewest(bundle, outcomes, scores, method, heldOutFraction);
  const calibrators = fitMemberCalibrators(scores.raw, outcomes.labels, method);
  warnings.push(...reversedRankingWarnings(calibrators));
  const recalibrated = withCalibrators(bundle, calibrators);
  const probabilities = await predictBundle(recalibrated, outcomes.table, outcomes.rows);
  const inSample: CalibrationComparison = {
    before: calibrationMetrics(outcomes.labels, scores.probabilities),
    after: calibrationMetrics(outcomes.labels, probabilities),
  };
  return { recalibrated, probabilities, heldOut, inSample, warnings };
}

/**
 * Fits calibrations on all but the newest `fraction` of the outcomes and compares them with the
 * source's on the newest part. Skipped, with the reason, when either part lacks a win or a loss.
 */
async function compareOnNewest(
  bundle: ModelBundle,
  outcomes: RecentOutcomes,
  scores: MemberScores,
  method: RecalibrationMethod,
  fraction: number,
): Promise<(CalibrationComparison & { fitLeads: number; from: string }) | { skipped: string }> {
  const { rows, labels, order } = outcomes;
  const fitLeads = Math.round(rows.length * (1 - fraction));
  const fitCounts = countOutcomes(labels.subarray(0, fitLeads));
  const heldOutCounts = countOutcomes(labels.subarray(fitLeads));
  if (heldOutCounts.leads === 0) return { skipped: 'no leads held out (held-out fraction 0 or too few outcomes)' };
  for (const [part, counts] of [['older', fitCounts], ['newest', heldOutCounts]] as const) {
    if (counts.wins === 0 || counts.losses === 0) {
      return { skipped: `the ${part} part has ${counts.wins} wins and ${counts.losses} losses; a comparison needs both` };
    }
  }

  const calibrators = fitMemberCalibrators(scores.raw.map((raw) => raw.subarray(0, fitLeads)), labels.subarray(0, fitLeads), method);
  const heldOutRows = rows.subarray(fitLeads);
  const after = await predictBundle(withCalibrators(bundle, calibrators), outcomes.table, heldOutRows);
  const heldOutLabels = labels.subarray(fitLeads);
  return {
    fitLeads,
    from: order.format(order.values[heldOutRows[0]!]!),
    before: calibrationMetrics(heldOutLabels, scores.probabilities.subarray(fitLeads)),
    after: calibrationMetrics(heldOutLabels, after),
  };
}

/** Returns a copy of the bundle whose members carry the given calibrators, in member order. */
function withCalibrators(bundle: ModelBundle, calibrators: readonly Calibrator[]): ModelBundle {
  const members = bundleMembers(bundle).map((member, index) => ({ ...member, calibration: calibrators[index]!.state }));
  const [first, ...others] = members;
  const copy: ModelBundle = { ...bundle, manifest: { ...bundle.manifest }, calibration: first!.calibration };
  if (others.length > 0) copy.moreMembers = others;
  return copy;
}

/**
 * Lists a warning for each Platt fit with a slope of 0 or below. Such a fit flattens or reverses
 * its network's ranking, which happens when the network ranks the outcomes no better than chance.
 */
function reversedRankingWarnings(calibrators: readonly Calibrator[]): string[] {
  return calibrators.flatMap((calibrator, index) => {
    const state = calibrator.state;
    if (state.method !== 'platt' || state.slope > 0) return [];
    return [
      `network ${index + 1} got a Platt slope of ${state.slope.toFixed(3)}, which flattens or reverses its ranking: ` +
        'it ranks these outcomes no better than chance, so retrain rather than recalibrate',
    ];
  });
}


function calibrationMetrics(labels: ArrayLike<number>, probabilities: Float64Array): CalibrationMetrics {
  const meanProbability = probabilities.reduce((sum, probability) => sum + probability, 0) / probabilities.length;
  return { ...classificationMetrics(labels, probabilities), meanProbability };
}
