import { sigmoid, type Calibrator } from '../calibration.ts';
import { meanOfMembers, type LeadModel } from '../lead-model.ts';
import { isMissingFor } from '../features.ts';
import { missingTokenSet, type LeadRecord, type RawValue } from '../values.ts';
import { attributeLogOdds, type AttributionMethod, type AttributionOptions, type LogOddsAttribution } from './attribution.ts';
import { toLogOddsNetwork, type LogOddsNetwork } from './network-log-odds.ts';

/**
 * One export column's share of a lead's score. `logOdds` is in log-odds of the network's
 * uncalibrated output; `probability` is in calibrated probability (see explainLeads).
 */
export interface ColumnContribution {
  column: string;
  /** The lead's value as received; null when it is missing. */
  value: RawValue;
  logOdds: number;
  probability: number;
}

/**
 * A lead's score taken apart by column. In log-odds, `baseline.logOdds` plus every column's
 * `logOdds` is `logOdds`; in probability, `baseline.probability` plus every column's
 * `probability` is `probability`.
 */
export interface LeadExplanation {
  /** Calibrated probability of winning, as predictProba returns it. */
  probability: number;
  /** Log-odds of the network's uncalibrated output; for an ensemble, the mean over its networks. */
  logOdds: number;
  /** The model at the baseline lead (the training means of every model input). */
  baseline: { logOdds: number; probability: number };
  /** Every column the model reads, in the model's column order. */
  columns: ColumnContribution[];
}

export interface LeadExplanations {
  method: AttributionMethod;
  /** Largest |baseline + sum of log-odds contributions - log-odds| over the leads. */
  maxCompletenessGap: number;
  leads: LeadExplanation[];
}

/** The top reasons for (positive) and against (negative) one lead's score, strongest first. */
export interface LeadReasons {
  for: ColumnContribution[];
  against: ColumnContribution[];
}

/** A model bundle without baseline.json: it predates reasons and must be retrained for them. */
export class ReasonsUnavailableError extends Error {
  override name = 'ReasonsUnavailableError';
}

// NOTE: these weight copies are not freed when a model is swapped out of the registry. Each one
// keeps a second copy of the model's weights (kilobytes to megabytes) for the life of the process.
const networks = new WeakMap<LeadModel, LogOddsNetwork[]>();

/** Tells whether the model can give reasons: its bundle has the baseline lead. */
export function canExplain(model: LeadModel): boolean {
  return model.bundle.baseline !== undefined;
}

/**
 * Takes each lead's score apart by export column.
 *
 * Log-odds: the network's input features are attributed from the baseline of training means,
 * exactly for a logistic model and by integrated gradients for an MLP. Then the features that
 * come from one column (its one-hot categories, or its value and missing flag) are summed. An
 * ensemble gets the mean of its networks' attributions, which adds up to the mean of their
 * log-odds, because integrated gradients are linear in the network.
 *
 * Probability: for each network, the lead's calibrated probability minus the baseline's is
 * shared among the columns in proportion to their log-odds contributions. That ratio is the
 * secant slope of the calibrated probability against the log-odds, never negative because
 * calibration is monotone, so signs and ranking stay as in log-odds. When the log-odds total is 0
 * within 1e-9, the derivative at the lead replaces it. An ensemble's shares are the mean of its
 * networks' shares, which adds up to its probability minus its baseline probability. A column
 * whose networks disagree in direction can then get a probability share of the opposite sign to
 * its mean log-odds share.
 */
export function explainLeads(model: LeadModel, leads: readonly LeadRecord[], options: AttributionOptions = {}): LeadExplanations {
  const baseline = model.bundle.baseline;
  if (!baseline) {
    throw new ReasonsUnavailableError(`model ${model.version} has no baseline.json, so it cannot give reasons; retrain it with this version of leadscore`);
  }
  const { preprocessor } = model;
  const matrix = { values: preprocessor.transform(leads), rows: leads.length, columns: preprocessor.featureCount };
  const attributions = networksFor(model).map((network) => attributeLogOdds(network, matrix, baseline.featureMeans, options));
  const { baselineLogOdds, logOdds } = meanLogOdds(attributions);
  const memberProbabilities = model.predictMemberProba(leads);
  const probabilities = meanOfMembers(memberProbabilities);
  const memberBaselines = model.members.map((member, index) => member.calibrator.calibrate(sigmoid(attributions[index]!.baselineLogOdds)));
  const baselineProbability = mean(memberBaselines);

  const columnStates = preprocessor.state.columns;
  const columnNames = columnStates.map((column) => column.column);
  const columnIndex = new Map(columnNames.map((name, index) => [name, index]));
  const featureColumn = preprocessor.features.map((feature) => columnIndex.get(feature.column)!);
  const missingTokens = missingTokenSet(preprocessor.state.missingTokens);

  let maxCompletenessGap = 0;
  const explained = leads.map((lead, row): LeadExplanation => {
    const logOddsByColumn = new Float64Array(columnNames.length);
    const probabilityByColumn = new Float64Array(columnNames.length);
    attributions.forEach((member, index) => {
      const memberByColumn = new Float64Array(columnNames.length);
      member.contributions[row]!.forEach((value, feature) => (memberByColumn[featureColumn[feature]!]! += value));
      const calibrator = model.members[index]!.calibrator;
      const change = memberProbabilities[index]![row]! - memberBaselines[index]!;
      const slope = probabilitySlope(calibrator, change, memberByColumn, member.logOdds[row]!);
      memberByColumn.forEach((value, column) => {
        logOddsByColumn[column]! += value / attributions.length;
        probabilityByColumn[column]! += (value * slope) / attributions.length;
      });
    });

    const total = logOddsByColumn.reduce((sum, value) => sum + value, 0);
    maxCompletenessGap = Math.max(maxCompletenessGap, Math.abs(baselineLogOdds + total - logOdds[row]!));

    return {
      probability: probabilities[row]!,
      logOdds: logOdds[row]!,
      baseline: { logOdds: baselineLogOdds, probability: baselineProbability },
      columns: columnNames.map((column, index) => ({
        column,
        value: isMissingFor(columnStates[index]!, lead[column], missingTokens) ? null : lead[column]!,
        logOdds: logOddsByColumn[index]!,
        probability: probabilityByColumn[index]!,
      })),
    };
  });
  return { method: attributions[0]!.method, maxCompletenessGap, leads: explained };
}

// Shares below this, in probability and in log-odds, are float rounding (a column at its training
// mean gets about 1e-7) and round to 0 in API responses, so they are no reason either way.
const NEGLIGIBLE_SHARE = 1e-6;

/**
 * Picks the `count` strongest columns for (positive) and against (negative) the score, ranked by
 * probability share and then by log-odds. A column's side is the sign of its probability share,
 * or of its log-odds share where the probability share is 0 (a flat stretch of isotonic
 * calibration), so the side always matches the sign a reason is shown with.
 */
export function topReasons(explanation: LeadExplanation, count: number): LeadReasons {
  const side = (entry: ColumnContribution) => {
    if (Math.abs(entry.probability) < NEGLIGIBLE_SHARE && Math.abs(entry.logOdds) < NEGLIGIBLE_SHARE) return 0;
    return Math.sign(entry.probability !== 0 ? entry.probability : entry.logOdds);
  };
  const ranked = [...explanation.columns].sort((a, b) => b.probability - a.probability || b.logOdds - a.logOdds);
  return {
    for: ranked.filter((entry) => side(entry) > 0).slice(0, count),
    against: ranked.filter((entry) => side(entry) < 0).reverse().slice(0, count),
  };
}

/** Formats a contribution for people and CRMs: "Lead Origin = Lead Add Form (+0.21)". */
export function formatReason(entry: ColumnContribution, digits = 2): string {
  const value = entry.value === null ? '(missing)' : String(entry.value);
  const sign = entry.probability >= 0 ? '+' : '-';
  return `${entry.column} = ${value} (${sign}${Math.abs(entry.probability).toFixed(digits)})`;
}

/** Secant slope of one network's calibrated probability against its log-odds, from the baseline. */
function probabilitySlope(calibrator: Calibrator, probabilityChange: number, logOddsByColumn: Float64Array, logOdds: number): number {
  const logOddsTotal = logOddsByColumn.reduce((sum, value) => sum + value, 0);
  if (Math.abs(logOddsTotal) > 1e-9) return probabilityChange / logOddsTotal;
  const step = 1e-4;
  return (calibrator.calibrate(sigmoid(logOdds + step)) - calibrator.calibrate(sigmoid(logOdds - step))) / (2 * step);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function networksFor(model: LeadModel): LogOddsNetwork[] {
  let converted = networks.get(model);
  if (!converted) {
    converted = model.members.map((member) => toLogOddsNetwork(member.network));
    networks.set(model, converted);
  }
  return converted;
}

/** Averages the members' baseline log-odds and each lead's log-odds. */
function meanLogOdds(attributions: readonly LogOddsAttribution[]): { baselineLogOdds: number; logOdds: Float64Array } {
  const count = attributions.length;
  const logOdds = new Float64Array(attributions[0]!.logOdds.length);
  let baselineLogOdds = 0;
  for (const member of attributions) {
    member.logOdds.forEach((value, row) => (logOdds[row]! += value / count));
    baselineLogOdds += member.baselineLogOdds / count;
  }
  return { baselineLogOdds, logOdds };
}
