import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { fitIsotonic } from '../src/core/calibration.ts';
import { columnsRead } from '../src/core/rules/compile-rules.ts';
import { loadRulesFile } from '../src/core/rules/rules-file.ts';
import type { RulesFile } from '../src/core/rules/rules-schema.ts';
import { scoreLead } from '../src/core/rules/score-lead.ts';
import type { BenchSplit } from './datasets.ts';

/** A shipped rules file with the name of the file it came from. */
export interface NamedRules {
  file: string;
  rules: RulesFile;
}

/** Loads every data/rules/*.rules.json file under `rulesDir`; none when the folder is missing. */
export async function loadShippedRules(rulesDir: string): Promise<NamedRules[]> {
  const names = await readdir(rulesDir).catch(() => [] as string[]);
  const files = names.filter((name) => name.endsWith('.rules.json')).sort();
  return Promise.all(files.map(async (file) => ({ file, rules: await loadRulesFile(path.join(rulesDir, file)) })));
}

/** Tells whether every lead column a rules file reads exists in the split's leads. */
export function rulesFitSplit(rules: RulesFile, split: BenchSplit): boolean {
  const columns = new Set(Object.keys(split.leads[0]?.record ?? {}));
  const read = columnsRead(rules);
  return read.length > 0 && read.every((column) => columns.has(column));
}

/**
 * Scores a split's leads with a rules file. Points are not probabilities, so isotonic regression
 * fitted on the training leads maps them to close rates, as the calibration report does. The
 * leads carry no activity records, so activity rules add nothing.
 */
export function runRules(rules: RulesFile, split: BenchSplit): { probabilities: Float64Array; seconds: number } {
  const started = performance.now();
  const asOf = new Date('2100-01-01T00:00:00Z');
  const points = split.leads.map((lead) => scoreLead(rules, lead.record, [], asOf).total);
  const trainPoints = points.slice(0, split.testStart);
  const trainLabels = split.leads.slice(0, split.testStart).map((lead) => lead.label);
  const calibrator = fitIsotonic(trainPoints, trainLabels);
  const seconds = (performance.now() - started) / 1000;
  return { probabilities: calibrator.calibrateAll(points.slice(split.testStart)), seconds };
}
