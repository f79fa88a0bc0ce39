import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import { DatasetConfigError } from './errors.ts';
import { CsvSettings, LabelFromDates } from './import/import-settings.ts';
import { applyConfigPreset, presetOnlyExclusions } from './config-presets.ts';
import { parseNumber } from './values.ts';

/** A `date` column becomes day-of-week features; its text is read with the label's date formats. */
export const ColumnType = z.enum(['numeric', 'categorical', 'boolean', 'date']);
export type ColumnType = z.infer<typeof ColumnType>;

export const ColumnSpec = z.strictObject({
  type: ColumnType,
  /** Smallest allowed value of a numeric column, for example 0 for a count. */
  min: z.number().optional(),
  /** Applies log(1 + x) before scaling; suits heavy-tailed counts and durations. */
  log: z.boolean().optional(),
  /**
   * Placeholders that mean "no answer" in this column only, such as 999 days or -1, on top of
   * `missingTokens`. A numeric column compares them as numbers, so "999" also matches 999.0.
   */
  missingValues: z.array(z.string().trim().min(1)).min(1).optional(),
}).superRefine((spec, context) => {
  if (spec.type !== 'numeric') return;
  spec.missingValues?.forEach((value, index) => {
    if (parseNumber(value) === null) {
      const message = `'${value}' is not a number; a numeric column compares its missingValues as numbers, so list them as "999" or "-1"`;
      context.addIssue({ code: 'custom', path: ['missingValues', index], message });
    }
  });
});
export type ColumnSpec = z.infer<typeof ColumnSpec>;

export const LeakageColumn = z.strictObject({
  column: z.string().min(1),
  reason: z.string().min(1),
});

export const ModelSettings = z.strictObject({
  type: z.enum(['logistic', 'mlp']).default('mlp'),
  hiddenUnits: z.array(z.number().int().positive()).default([64, 32]),
  epochs: z.number().int().positive().default(60),
  batchSize: z.number().int().positive().default(256),
  learningRate: z.number().positive().default(0.003),
  /** L2 penalty on the weights of every dense layer. */
  l2: z.number().nonnegative().default(0.0005),
  dropout: z.number().min(0).max(0.9).default(0.3),
  /** Epochs without improvement of the validation log loss before training stops. */
  patience: z.number().int().positive().default(8),
  seed: z.number().int().default(42),
  /**
   * Networks in a cross-fitted ensemble. With k > 1 the leads before the test part are cut into
   * k consecutive blocks, and each network trains on all blocks but one, which stops its training
   * early and fits its calibration. Scores are the mean of the calibrated networks, and training
   * takes about k times as long. The default 1 trains one network on the older leads and
   * calibrates it on the most recent `split.calibrationFraction`.
   */
  folds: z.number().int().min(1).max(10).default(1),
  /**
   * With folds = 1 only: after early stopping picks the epoch count on the calibration slice,
   * trains a second network on the training part and the slice together for that many epochs
   * and serves it with the first network's calibration. The slice is the most recent history,
   * which matters most when the won rate drifts, but the calibration was fitted on another network.
   */
  refit: z.boolean().default(false),
});
export type ModelSettings = z.infer<typeof ModelSettings>;

export const TierSpec = z.strictObject({
  name: z.string().min(1),
  minProbability: z.number().min(0).max(1),
});
export type TierSpec = z.infer<typeof TierSpec>;

export const DatasetConfig = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  description: z.string().optional(),
  /** CSV export of leads, relative to the config file. */
  source: z.string().min(1),
  /** Lead key column, never a feature; leave it out when the export has none. */
  idColumn: z.string().min(1).optional(),
  /** Name of a preset (for example "hubspot-deals") whose settings this config extends. */
  preset: z.string().optional(),
  csv: CsvSettings,
  /** A 0/1 (or won/lost) column; set this or `labelFromDates`. */
  labelColumn: z.string().min(1).optional(),
  /** Values of the label column that count as won; everything else counts as lost. */
  positiveValues: z.array(z.string()).min(1).default(['1']),
  /** When set, label values outside positiveValues and negativeValues reject the row. */
  negativeValues: z.array(z.string()).optional(),
  /** Label from created, closed and won dates with a close window; set this or `labelColumn`. */
  labelFromDates: LabelFromDates.optional(),
  /** Column whose ascending order is the order in time; by default the created date of labelFromDates. */
  orderColumn: z.string().min(1).optional(),
  ignoreColumns: z.array(z.string()).default([]),
  leakageColumns: z.array(LeakageColumn).default([]),
  /** Cell values that mean "no answer", compared after trimming. */
  missingTokens: z.array(z.string()).default(['']),
  /** Declared column types; columns not listed here have their type inferred. */
  columns: z.record(z.string(), ColumnSpec).default({}),
  split: z
    .strictObject({
      testFraction: z.number().gt(0).lt(1).default(0.2),
      calibrationFraction: z.number().gt(0).lt(1).default(0.2),
      /** Leads created on or after this date (YYYY-MM-DD) form the test set, in place of testFraction. */
      cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').optional(),
      /** Orders leads by their row in the export, for exports written in time order without a date. */
      fileOrder: z.boolean().default(false),
    })
    .prefault({}),
  /** Below these counts of labelled leads and wins, training stops unless forced. */
  minimumData: z
    .strictObject({
      leads: z.number().int().nonnegative().default(1000),
      wins: z.number().int().nonnegative().default(100),
    })
    .prefault({}),
  /** How much worse a retrained challenger may score than the active model and still be promoted. */
  promotion: z
    .strictObject({
      aucMargin: z.number().nonnegative().default(0.005),
      logLossMargin: z.number().nonnegative().default(0.005),
    })
    .prefault({}),
  features: z
    .strictObject({
      /** A category needs at least this many training rows to get its own feature. */
      minCategoryCount: z.number().int().positive().default(20),
      /** Share of training values clipped at each end of a numeric column; 0 turns clipping off. */
      clipPercentile: z.number().min(0).lt(0.5).default(0.005),
      maxCategories: z.number().int().positive().default(30),
    })
    .prefault({}),
  model: ModelSettings.prefault({}),
  calibration: z.enum(['platt', 'isotonic']).default('platt'),
  /** Probability thresholds, highest first; by default the quartiles of the training leads. */
  tiers: z.array(TierSpec).min(1).optional(),
}).superRefine(
  (config, context) => {
    if ((config.labelColumn === undefined) === (config.labelFromDates === undefined)) {
      context.addIssue({ code: 'custom', path: ['labelColumn'], message: 'set exactly one of labelColumn or labelFromDates' });
    }
    if (!config.orderColumn && !config.labelFromDates && !config.split?.fileOrder) {
      const message = 'set orderColumn, labelFromDates or split.fileOrder so that the test leads come after the training leads';
      context.addIssue({ code: 'custom', path: ['orderColumn'], message });
    }
    if (config.split?.cutoff && !config.labelFromDates) {
      const message = 'a cutoff date needs labelFromDates (it splits by created date)';
      context.addIssue({ code: 'custom', path: ['split', 'cutoff'], message });
    }
  },
  // Runs even when other settings are invalid, so a config without any label source reports that at once.
  { when: () => true },
);
export type DatasetConfig = z.infer<typeof DatasetConfig>;

export interface LoadedDatasetConfig {
  config: DatasetConfig;
  /** Absolute path of the CSV named by `source`, or of the path given on the command line. */
  sourcePath: string;
  /** True when `sourcePath` came from the command line rather than the config's `source`. */
  sourceOverridden: boolean;
  /** Absolute path of labelFromDates.wonDeals.source, when set. */
  wonDealsPath?: string;
  configPath: string;
  /** Ignored and leakage columns that only the preset names; an export may lack them. */
  optionalExclusions: Set<string>;
}

export interface LoadDatasetConfigOptions {
  /** Export to read in place of the config's `source`, resolved against the working folder. */
  sourceOverride?: string | undefined;
}

/**
 * Reads and validates a dataset config file (JSON). Relative paths inside it resolve against the
 * config file's folder. Throws DatasetConfigError naming each invalid setting.
 */
export async function loadDatasetConfig(configPath: string, options: LoadDatasetConfigOptions = {}): Promise<LoadedDatasetConfig> {
  const absolutePath = path.resolve(configPath);
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    throw new DatasetConfigError(`dataset config '${configPath}' could not be read: ${(error as Error).message}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DatasetConfigError(`dataset config '${configPath}' is not valid JSON: ${(error as Error).message}`);
  }

  const merged = applyConfigPreset(json, configPath);
  const parsed = DatasetConfig.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}${receivedSuffix(merged, issue.path)}`);
    throw new DatasetConfigError(`dataset config '${configPath}' is invalid:\n${problems.join('\n')}`);
  }

  const folder = path.dirname(absolutePath);
  const wonDeals = parsed.data.labelFromDates?.wonDeals;
  return {
    config: parsed.data,
    optionalExclusions: presetOnlyExclusions(json),
    sourcePath: options.sourceOverride ? path.resolve(options.sourceOverride) : path.resolve(folder, parsed.data.source),
    sourceOverridden: Boolean(options.sourceOverride),
    ...(wonDeals ? { wonDealsPath: path.resolve(folder, wonDeals.source) } : {}),
    configPath: absolutePath,
  };
}

/** Describes the value a config contains at `pathInConfig`, as ` (received ...)`, or '' where there is none. */
function receivedSuffix(config: unknown, pathInConfig: readonly PropertyKey[]): string {
  let value: unknown = config;
  for (const key of pathInConfig) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  if (value === undefined || (typeof value === 'object' && value !== null)) return '';
  const text = JSON.stringify(value);
  return ` (received ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}
