import { loadDatasetConfig } from '../core/dataset-config.ts';
import { LeadModel } from '../core/lead-model.ts';
import { validateLead } from '../core/lead-validation.ts';
import { readModelBundle } from '../core/model-bundle.ts';
import { columnsRead } from '../core/rules/compile-rules.ts';
import { loadRulesFile } from '../core/rules/rules-file.ts';
import { assignTier } from '../core/tiers.ts';
import { parseIsoDay } from '../core/import/cell-values.ts';
import type { LeadRecord } from '../core/values.ts';
import { importFromConfig, leadOrder, recordsForRows } from '../../training/lead-table.ts';
import { splitTableOutOfTime } from '../../training/table-split.ts';
import type { CalibrationReportInputs } from './calibration-report.ts';
import type { Capacity } from './ranking.ts';

/** Options for loadReportInputs. */
export interface ReportInputOptions {
  modelDir: string;
  rulesPath: string;
  configPath: string;
  capacities: readonly Capacity[];
  bandWidth: number;
  seed: number;
}

/**
 * Loads what the calibration report compares: the dataset split exactly as the model's training
 * cut it (fractions read from the model's metrics.json), the model's calibrated probabilities and
 * tiers on the test leads, and the rules file. Throws when the dataset config names a different
 * order column than the model was trained with, or the split no longer starts at the same lead,
 * because the test leads would then differ from the model's held-out ones.
 */
export async function loadReportInputs(options: ReportInputOptions): Promise<CalibrationReportInputs> {
  const bundle = await readModelBundle(options.modelDir);
  const rules = await loadRulesFile(options.rulesPath);
  const loaded = await loadDatasetConfig(options.configPath);
  const { split: modelSplit } = bundle.metrics;
  const { table } = await importFromConfig(loaded);
  const order = leadOrder(table, loaded);
  if (order.orderBy !== modelSplit.orderColumn) {
    throw new Error(`dataset config ${options.configPath} orders leads by '${order.orderBy}', but model ${bundle.manifest.version} was split by '${modelSplit.orderColumn}'; use the config the model was trained with`);
  }

  const configuredCutoff = modelSplit.configuredCutoff ?? undefined;
  const split = splitTableOutOfTime(order, table.rowNumbers, {
    testFraction: modelSplit.testFraction,
    calibrationFraction: modelSplit.calibrationFraction,
    cutoffValue: configuredCutoff ? parseIsoDay(configuredCutoff) : undefined,
  });
  const firstTestValue = split.cutoff;
  if (firstTestValue !== modelSplit.firstTestValue) {
    throw new Error(`the test split of ${options.configPath} starts at ${modelSplit.orderColumn} ${JSON.stringify(firstTestValue)}, but model ${bundle.manifest.version} was tested from ${JSON.stringify(modelSplit.firstTestValue)}; the export changed since training, so retrain or use the original export`);
  }

  const model = await LeadModel.fromBundle(bundle);
  try {
    // Training dropped leads whose fields the model cannot read; the report drops the same ones.
    const toLeads = (rows: Int32Array) =>
      recordsForRows(table, rows).map((record, position) => ({ record, label: table.labels[rows[position]!] as 0 | 1 }));
    const isValid = (lead: { record: LeadRecord }) => validateLead(lead.record, model.preprocessor.state.columns, loaded.config.missingTokens).length === 0;
    const training = [...toLeads(split.train), ...toLeads(split.calibration)].filter(isValid);
    const test = toLeads(split.test).filter(isValid);
    const testRecords = test.map((lead) => lead.record);
    const probabilities = Array.from(model.predictProba(testRecords));
    return {
      datasetName: loaded.config.name,
      rulesColumnsAbsent: columnsRead(rules).filter((column) => !table.columns.some((entry) => entry.name === column)),
      modelVersion: model.version,
      rules,
      rulesPath: options.rulesPath,
      training: { records: training.map((lead) => lead.record), labels: training.map((lead) => lead.label) },
      test: {
        records: testRecords,
        labels: test.map((lead) => lead.label),
        probabilities,
        tiers: probabilities.map((probability) => assignTier(model.tiers, probability)),
      },
      tierNames: model.tiers.map((tier) => tier.name),
      capacities: options.capacities,
      bandWidth: options.bandWidth,
      seed: options.seed,
    };
  } finally {
    model.dispose();
  }
}
