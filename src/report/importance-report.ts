import { closeRatesByValue, partialDependence, quantileGrid, type CloseRate, type PartialDependencePoint } from '../core/explain/column-effects.ts';
import { explainLeads, topReasons, type ColumnContribution, type LeadExplanations } from '../core/explain/lead-reasons.ts';
import type { ColumnState } from '../core/features.ts';
import { permutationImportance, type PermutationImportance } from '../core/explain/permutation-importance.ts';
import { LeadModel } from '../core/lead-model.ts';
import { readModelBundle } from '../core/model-bundle.ts';
import { columnsRead } from '../core/rules/compile-rules.ts';
import { loadRulesFile } from '../core/rules/rules-file.ts';
import { scoreLead } from '../core/rules/score-lead.ts';
import { missingTokenSet, type LeadRecord } from '../core/values.ts';
import type { EvaluationLead } from '../../training/evaluation-split.ts';
import { loadEvaluationSplit } from '../../training/evaluation-split.ts';
import { readCellsAtRows } from '../../training/lead-ids.ts';

/**
 * A second score to measure beside the model, such as rule points. `score` returns one number
 * per lead; only ranking matters, so AUC is measured and log loss is not.
 */
export interface ExtraScore {
  name: string;
  columns: string[];
  score: (leads: readonly LeadRecord[]) => ArrayLike<number>;
}

/**
 * Loads a rules file as a score for the importance report: the rule total per lead, with the
 * lead columns the rules and exclusions read. Activity rules get no activities here, so they add
 * nothing and their inputs are not measured.
 */
export async function ruleScoreFromFile(rulesPath: string): Promise<ExtraScore> {
  const rules = await loadRulesFile(rulesPath);
  return {
    name: rules.name,
    columns: columnsRead(rules),
    score: (leads) => leads.map((lead) => scoreLead(rules, lead).total),
  };
}

export interface ImportanceReportOptions {
  modelDir: string;
  configPath: string;
  repeats?: number;
  seed?: number;
  /** Numeric columns that get a partial-dependence curve, most important first. */
  numericColumns?: number;
  /** Categorical and boolean columns that get close rates by value, most important first. */
  categoricalColumns?: number;
  exampleLeads?: number;
  /** The row limit the model was trained with, if any. */
  limitRows?: number;
  /** The rule score to measure beside the model, for example from ruleScoreFromFile. */
  ruleScore?: ExtraScore;
}

export interface ExampleLead {
  /** Value of the model's id column in the export; empty when the export has no id column. */
  id: string;
  /** Row of the lead in the export, as a spreadsheet shows it: the header is row 1. */
  rowNumber: number;
  won: boolean;
  probability: number;
  tier: string;
  baselineProbability: number;
  for: ColumnContribution[];
  against: ColumnContribution[];
}

/** Every number behind the importance report; written as JSON beside the HTML page. */
export interface ImportanceReport {
  generatedAt: string;
  model: { version: string; type: string; calibration: string; dataset: string };
  heldOut: { leads: number; won: number; description: string };
  permutation: PermutationImportance;
  ruleScore: { available: true; name: string; permutation: PermutationImportance } | { available: false; note: string };
  partialDependence: { column: string; points: PartialDependencePoint[] }[];
  closeRates: { column: string; values: CloseRate[] }[];
  attribution: {
    method: string;
    logOddsUnit: string;
    probabilityUnit: string;
    /** Largest |baseline + sum - output| over every held-out lead, in each unit. */
    maxLogOddsGap: number;
    maxProbabilityGap: number;
  };
  examples: ExampleLead[];
}

const EXAMPLE_QUANTILES = [0.99, 0.9, 0.7, 0.5, 0.25, 0.05];

/**
 * Measures which export columns drive a model on its held-out (test) leads. The report has
 * permutation importance with repeats and partial dependence of the top numeric columns. It also
 * has observed close rates of the top categorical ones on the training leads, and example leads
 * with their reasons.
 */
export async function buildImportanceReport(options: ImportanceReportOptions): Promise<ImportanceReport> {
  const bundle = await readModelBundle(options.modelDir);
  const model = await LeadModel.fromBundle(bundle);
  try {
    const split = await loadEvaluationSplit({
      configPath: options.configPath,
      manifest: bundle.manifest,
      metrics: bundle.metrics,
      preprocessing: bundle.preprocessing,
      limitRows: options.limitRows,
    });
    const heldOut = split.test.map((lead) => lead.record);
    const labels = split.test.map((lead) => lead.label);
    const seed = options.seed ?? 42;
    const repeats = options.repeats ?? 5;
    const columns = bundle.manifest.featureColumns;
    const predict = (leads: readonly LeadRecord[]) => model.predictProba(leads);

    const permutation = permutationImportance(heldOut, labels, predict, { columns, repeats, seed, probabilities: true });
    const ranked = permutation.columns.map((entry) => bundle.preprocessing.columns.find((column) => column.column === entry.column)!);
    const effects = measureColumnEffects(ranked, heldOut, split.train, predict, {
      missingTokens: missingTokenSet(bundle.preprocessing.missingTokens),
      numericColumns: options.numericColumns ?? 4,
      categoricalColumns: options.categoricalColumns ?? 4,
    });
    const explained = explainLeads(model, heldOut);
    const examples = pickExamples(split.test, explained.leads, model, options.exampleLeads ?? EXAMPLE_QUANTILES.length);
    const idColumn = bundle.manifest.idColumn;
    const ids = idColumn ? await readCellsAtRows(split.dataset, idColumn, examples.map((example) => example.rowNumber)) : new Map<number, string>();
    for (const example of examples) example.id = ids.get(example.rowNumber) ?? '';

    return {
      generatedAt: new Date().toISOString(),
      model: { version: model.version, type: bundle.manifest.modelType, calibration: bundle.calibration.method, dataset: bundle.manifest.dataset.name },
      heldOut: {
        leads: heldOut.length,
        won: labels.filter((label) => label === 1).length,
        description: `the test part of the out-of-time split (the latest leads by ${bundle.metrics.split.orderColumn}), which the model neither trained nor calibrated on`,
      },
      permutation,
      ruleScore: options.ruleScore
        ? { available: true, name: options.ruleScore.name, permutation: permutationImportance(heldOut, labels, options.ruleScore.score, { columns: options.ruleScore.columns, repeats, seed, probabilities: false }) }
        : { available: false, note: 'no rules file was given; pass --rules to measure the rule score inputs too' },
      partialDependence: effects.partialDependence,
      closeRates: effects.closeRates,
      attribution: summarizeAttribution(explained),
      examples,
    };
  } finally {
    model.dispose();
  }
}

/**
 * Computes partial dependence for the most important numeric columns (grid from the training
 * leads, averaged over the held-out leads) and close rates for the most important categorical and
 * boolean ones (on the training leads). `ranked` is most important first.
 */
function measureColumnEffects(
  ranked: readonly ColumnState[],
  heldOut: readonly LeadRecord[],
  training: readonly EvaluationLead[],
  predict: (leads: readonly LeadRecord[]) => ArrayLike<number>,
  options: { missingTokens: ReadonlySet<string>; numericColumns: number; categoricalColumns: number },
): Pick<ImportanceReport, 'partialDependence' | 'closeRates'> {
  const trainingLeads = training.map((lead) => lead.record);
  const trainingLabels = training.map((lead) => lead.label);
  const partialDependenceCurves = ranked
    .filter((column) => column.kind === 'numeric')
    .slice(0, options.numericColumns)
    .map((column) => ({
      column: column.column,
      points: partialDependence(heldOut, column.column, quantileGrid(trainingLeads, column, options.missingTokens), predict),
    }));
  const closeRates = ranked
    .filter((column) => column.kind !== 'numeric')
    .slice(0, options.categoricalColumns)
    .map((column) => ({ column: column.column, values: closeRatesByValue(trainingLeads, trainingLabels, column, options.missingTokens) }));
  return { partialDependence: partialDependenceCurves, closeRates };
}

/** States the attribution units and the largest gap of the sums over the explained leads. */
function summarizeAttribution(explained: LeadExplanations): ImportanceReport['attribution'] {
  const gaps = explained.leads.map((lead) => ({
    logOdds: Math.abs(lead.baseline.logOdds + lead.columns.reduce((sum, entry) => sum + entry.logOdds, 0) - lead.logOdds),
    probability: Math.abs(lead.baseline.probability + lead.columns.reduce((sum, entry) => sum + entry.probability, 0) - lead.probability),
  }));
  return {
    method: explained.method,
    logOddsUnit: "log-odds of the network's uncalibrated output, from the baseline lead (the training means of every model input)",
    probabilityUnit: "calibrated probability: the lead's probability minus the baseline's, shared among columns in proportion to their log-odds contributions",
    maxLogOddsGap: Math.max(...gaps.map((gap) => gap.logOdds)),
    maxProbabilityGap: Math.max(...gaps.map((gap) => gap.probability)),
  };
}

function pickExamples(
  leads: readonly EvaluationLead[],
  explained: ReturnType<typeof explainLeads>['leads'],
  model: LeadModel,
  count: number,
): ExampleLead[] {
  const order = explained.map((_, index) => index).sort((a, b) => explained[a]!.probability - explained[b]!.probability);
  const picked = [...new Set(EXAMPLE_QUANTILES.slice(0, count).map((q) => order[Math.round(q * (order.length - 1))]!))];
  const tiers = model.scoreLeads(picked.map((index) => leads[index]!.record));
  return picked.map((index, position) => {
    const explanation = explained[index]!;
    const reasons = topReasons(explanation, 3);
    return {
      // Filled in by the caller: the lead table leaves out the id column.
      id: '',
      rowNumber: leads[index]!.rowNumber,
      won: leads[index]!.label === 1,
      probability: explanation.probability,
      tier: tiers[position]!.tier,
      baselineProbability: explanation.baseline.probability,
      for: reasons.for,
      against: reasons.against,
    };
  });
}
