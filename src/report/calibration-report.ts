import { classificationMetrics, type ClassificationMetrics, reliabilityBins, type ReliabilityBin, rocAuc, averagePrecision } from '../core/metrics.ts';
import type { RulesFile } from '../core/rules/rules-schema.ts';
import { scoreLead, type RuleScore } from '../core/rules/score-lead.ts';
import type { LeadRecord } from '../core/values.ts';
import { bandOf, closeRate, closeRatesBy, type CloseRate, scoreBands } from './close-rates.ts';
import { type Capacity, capacityTable, type CapacityRow, gainCurve, type GainPoint, rankLeads, rocCurve, type RocPoint } from './ranking.ts';
import { fitScoreMapping, mapScore, type ScoreMapping } from './score-mapping.ts';
import { type PointsSuggestion, rescoreWithSuggestion, suggestPoints } from './suggested-points.ts';

/** Leads with their 0/1 outcomes. */
export interface LabelledRecords {
  records: readonly LeadRecord[];
  labels: readonly number[];
}

/** Inputs of the calibration report: rules, training leads, and test leads with model output. */
export interface CalibrationReportInputs {
  datasetName: string;
  modelVersion: string;
  rules: RulesFile;
  rulesPath: string;
  /**
   * Columns the rules read that the dataset's leads lack, because the export has no such column
   * or the dataset config excludes it. The rules see them as missing on every lead.
   */
  rulesColumnsAbsent?: readonly string[];
  /** Leads before the test split: fit the rule-score mapping and the suggested points. */
  training: LabelledRecords;
  /** Held-out leads, with the model's calibrated probabilities and tiers for each. */
  test: LabelledRecords & { probabilities: readonly number[]; tiers: readonly string[] };
  /** Model tier names, hottest first. */
  tierNames: readonly string[];
  capacities: readonly Capacity[];
  bandWidth: number;
  /** Seed for breaking ties in the rankings. */
  seed: number;
  /** Share of leads each ranking calls "hot" (top) and "cold" (bottom) when looking for disagreements. */
  hotShare?: number;
  coldShare?: number;
}

/** One ranking's measures on the test leads. */
export interface RankingSummary {
  /** Calibration metrics of the probabilities (the model's, or the rule scores mapped to close rates). */
  metrics: ClassificationMetrics;
  /** AUC and PR-AUC of the raw ranking (rule points before mapping). */
  rankingAuc: number;
  rankingPrAuc: number;
  reliability: ReliabilityBin[];
  roc: RocPoint[];
  gain: GainPoint[];
}

/** A disagreement cell: leads one ranking calls hot and the other cold. */
export interface Disagreement extends CloseRate {
  /** Rules that fired most often on these leads, with how many of them each fired on. */
  commonRules: { ruleId: string; leads: number }[];
}

/** Every number the calibration report shows. */
export interface CalibrationReport {
  datasetName: string;
  modelVersion: string;
  rulesName: string;
  rulesPath: string;
  trainingLeads: number;
  testLeads: number;
  testWins: number;
  seed: number;
  model: RankingSummary;
  rules: RankingSummary & { mapping: ScoreMapping };
  capacity: CapacityRow[];
  closeRateByTier: CloseRate[];
  closeRateByRuleBand: CloseRate[];
  disagreements: {
    hotShare: number;
    coldShare: number;
    rulesHotModelCold: Disagreement;
    modelHotRulesCold: Disagreement;
    bothHot: Disagreement;
    bothCold: Disagreement;
  };
  suggestedPoints: PointsSuggestion & { testAucCurrent: number; testAucSuggested: number };
}

const MAX_CURVE_POINTS = 200;

/**
 * Measures the model and the rules side by side on the test leads. Rule scores are mapped to close
 * rates fitted on the training leads. The report covers calibration (reliability, ECE, Brier, log
 * loss), ranking (AUC, PR-AUC, ROC, cumulative gain), capacity, close rates by tier and band,
 * disagreements and suggested points. The function is pure: the caller loads data, model and rules.
 */
export function buildCalibrationReport(inputs: CalibrationReportInputs): CalibrationReport {
  const { rules, training, test } = inputs;
  const trainingScores = training.records.map((record) => scoreLead(rules, record));
  const testScores = test.records.map((record) => scoreLead(rules, record));
  const testTotals = testScores.map((score) => score.total);

  const mapping = fitScoreMapping(trainingScores.map((score) => score.total), training.labels);
  const ruleProbabilities = testTotals.map((total) => mapScore(mapping, total));

  const modelOrder = rankLeads(test.probabilities, inputs.seed);
  const rulesOrder = rankLeads(testTotals, inputs.seed);

  const bands = scoreBands(testTotals, inputs.bandWidth);
  const suggestion = suggestPoints(rules, trainingScores, training.labels);
  const suggestedTotals = rescoreWithSuggestion(rules, testScores, suggestion);

  return {
    datasetName: inputs.datasetName,
    modelVersion: inputs.modelVersion,
    rulesName: rules.name,
    rulesPath: inputs.rulesPath,
    trainingLeads: training.labels.length,
    testLeads: test.labels.length,
    testWins: test.labels.filter((label) => label === 1).length,
    seed: inputs.seed,
    model: summarizeRanking(test.labels, test.probabilities, test.probabilities),
    rules: { ...summarizeRanking(test.labels, ruleProbabilities, testTotals), mapping },
    capacity: capacityTable(test.labels, modelOrder, rulesOrder, inputs.capacities),
    closeRateByTier: closeRatesBy(test.labels, (index) => test.tiers[index]!, inputs.tierNames),
    closeRateByRuleBand: closeRatesBy(test.labels, (index) => bandOf(bands, testTotals[index]!), bands.map((band) => band.label)),
    disagreements: findDisagreements(test.labels, modelOrder, rulesOrder, testScores, inputs.hotShare ?? 0.2, inputs.coldShare ?? 0.5),
    suggestedPoints: {
      ...suggestion,
      testAucCurrent: rocAuc(test.labels, testTotals),
      testAucSuggested: rocAuc(test.labels, suggestedTotals),
    },
  };
}

function summarizeRanking(labels: readonly number[], probabilities: readonly number[], rankingScores: readonly number[]): RankingSummary {
  return {
    metrics: classificationMetrics(labels, probabilities),
    rankingAuc: rocAuc(labels, rankingScores),
    rankingPrAuc: averagePrecision(labels, rankingScores),
    reliability: reliabilityBins(labels, probabilities),
    roc: thin(rocCurve(labels, rankingScores)),
    gain: thin(gainCurve(labels, rankingScores)),
  };
}

function findDisagreements(
  labels: readonly number[],
  modelOrder: readonly number[],
  rulesOrder: readonly number[],
  scores: readonly RuleScore[],
  hotShare: number,
  coldShare: number,
): CalibrationReport['disagreements'] {
  const hotCount = Math.round(labels.length * hotShare);
  const coldCount = Math.round(labels.length * coldShare);
  const modelHot = new Set(modelOrder.slice(0, hotCount));
  const rulesHot = new Set(rulesOrder.slice(0, hotCount));
  const modelCold = new Set(modelOrder.slice(labels.length - coldCount));
  const rulesCold = new Set(rulesOrder.slice(labels.length - coldCount));

  const cell = (label: string, first: ReadonlySet<number>, second: ReadonlySet<number>): Disagreement => {
    const indices = [...first].filter((index) => second.has(index)).sort((a, b) => a - b);
    return { ...closeRate(label, labels, indices), commonRules: commonRules(indices.map((index) => scores[index]!)) };
  };
  return {
    hotShare,
    coldShare,
    rulesHotModelCold: cell('rules hot, model cold', rulesHot, modelCold),
    modelHotRulesCold: cell('model hot, rules cold', modelHot, rulesCold),
    bothHot: cell('both hot', modelHot, rulesHot),
    bothCold: cell('both cold', modelCold, rulesCold),
  };
}

function commonRules(scores: readonly RuleScore[]): { ruleId: string; leads: number }[] {
  const counts = new Map<string, number>();
  for (const score of scores) {
    for (const fired of score.fired) counts.set(fired.id, (counts.get(fired.id) ?? 0) + 1);
  }
  return [...counts]
    .map(([ruleId, leads]) => ({ ruleId, leads }))
    .sort((a, b) => b.leads - a.leads || a.ruleId.localeCompare(b.ruleId))
    .slice(0, 5);
}

/** Keeps at most MAX_CURVE_POINTS evenly spaced points (always the first and last) for drawing. */
function thin<T>(points: readonly T[]): T[] {
  if (points.length <= MAX_CURVE_POINTS) return [...points];
  const step = (points.length - 1) / (MAX_CURVE_POINTS - 1);
  return Array.from({ length: MAX_CURVE_POINTS }, (_, index) => points[Math.round(index * step)]!);
}
