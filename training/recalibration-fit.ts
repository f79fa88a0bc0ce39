import { fitIsotonic, fitPlatt, type Calibrator } from '../src/core/calibration.ts';
import { InsufficientDataError } from './data-guard.ts';

export type RecalibrationMethod = 'platt' | 'isotonic';

/**
 * Fewest closed leads, wins and losses a recalibration fits on without --force. Platt scaling
 * fits only two numbers, so these are a rule of thumb for it rather than a measured limit.
 * Isotonic regression needs far more, about 1,000 leads.
 */
export const MINIMUM_OUTCOMES = { leads: 100, wins: 10, losses: 10 } as const;

/** Below this many outcomes recalibrate warns that isotonic regression overfits. */
export const ISOTONIC_WARNING_LEADS = 1000;

export interface OutcomeCounts {
  leads: number;
  wins: number;
  losses: number;
}

/**
 * Counts wins and losses among 0/1 labels.
 */
export function countOutcomes(labels: ArrayLike<number>): OutcomeCounts {
  let wins = 0;
  for (let index = 0; index < labels.length; index += 1) wins += labels[index] === 1 ? 1 : 0;
  return { leads: labels.length, wins, losses: labels.length - wins };
}

/**
 * Checks the outcomes against MINIMUM_OUTCOMES. Below it, throws InsufficientDataError naming
 * every short count, unless `force` is set: then it returns the shortfall, to mark the model
 * low-confidence. Without a single win or a single loss it throws even with `force`, because no
 * calibration can be fitted. Returns undefined when there are enough outcomes.
 */
export function checkOutcomeCounts(counts: OutcomeCounts, force: boolean): string | undefined {
  if (counts.wins === 0 || counts.losses === 0) {
    throw new InsufficientDataError(
      `cannot recalibrate on ${counts.leads} closed leads with ${counts.wins} wins and ${counts.losses} losses: ` +
        'a calibration needs both won and lost leads. Check the label settings of the config, or export a longer period',
    );
  }
  const shortfalls: string[] = [];
  if (counts.leads < MINIMUM_OUTCOMES.leads) shortfalls.push(`${counts.leads} closed leads (minimum ${MINIMUM_OUTCOMES.leads})`);
  if (counts.wins < MINIMUM_OUTCOMES.wins) shortfalls.push(`${counts.wins} wins (minimum ${MINIMUM_OUTCOMES.wins})`);
  if (counts.losses < MINIMUM_OUTCOMES.losses) shortfalls.push(`${counts.losses} losses (minimum ${MINIMUM_OUTCOMES.losses})`);
  if (shortfalls.length === 0) return undefined;

  const shortfall = `only ${shortfalls.join(', ')}`;
  if (force) return shortfall;
  throw new InsufficientDataError(
    `not enough outcomes to recalibrate: the export has ${shortfall}. Export a longer period of closed leads, ` +
      'or pass --force to fit anyway and mark the new model low-confidence',
  );
}

/**
 * Fits one calibrator per ensemble member on that member's raw network outputs for the same
 * leads: `rawOutputs[m][i]` is member m's uncalibrated output for lead i, and `labels[i]` its 0/1
 * outcome. Platt scaling fits sigmoid(a * logit(raw) + b); isotonic regression overfits below
 * about 1,000 leads.
 */
export function fitMemberCalibrators(
  rawOutputs: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  method: RecalibrationMethod,
): Calibrator[] {
  return rawOutputs.map((raw) => {
    if (raw.length !== labels.length) {
      throw new RangeError(`raw outputs (${raw.length}) and labels (${labels.length}) differ in length`);
    }
    return method === 'isotonic' ? fitIsotonic(raw, labels) : fitPlatt(raw, labels);
  });
}
