import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { fitPlatt, type CalibratorState } from '../../src/core/calibration.ts';
import { loadDatasetConfig } from '../../src/core/dataset-config.ts';
import { DatasetConfigError, ModelNotFoundError } from '../../src/core/errors.ts';
import { LeadModel } from '../../src/core/lead-model.ts';
import { expectedCalibrationError } from '../../src/core/metrics.ts';
import { readModelBundle } from '../../src/core/model-bundle.ts';
import { readActiveVersion, setActiveVersion } from '../../src/core/model-registry.ts';
import { InsufficientDataError } from '../../training/data-guard.ts';
import { importFromConfig, recordsForRows } from '../../training/lead-table.ts';
import { recalibrateModel } from '../../training/recalibrate.ts';
import { importRecentOutcomes } from '../../training/recent-outcomes.ts';
import { scoreMembers } from '../../training/recalibration-scoring.ts';
import { trainModel, type TrainResult } from '../../training/train.ts';
import { X_EDUCATION_CONFIG } from '../helpers/model-fixture.ts';
import { createSyntheticDataset } from './synthetic-config.ts';
import { writeShiftedLeads } from './x-education-outcomes.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-recalibrate-'));
const exportPath = (name: string) => path.join(folder, name);
let clock = Date.parse('2030-01-01T00:00:00Z');
/** A clock one minute later on every call, so every recalibration gets its own version. */
const nextMinute = () => new Date((clock += 60_000));

async function trainSource(modelsDir: string, folds = 1): Promise<TrainResult> {
  const result = await trainModel({
    configPath: X_EDUCATION_CONFIG,
    modelsDir,
    limitRows: 3000,
    modelOverrides: { type: 'logistic', epochs: 10, patience: 3, folds },
    now: nextMinute,
  });
  await setActiveVersion(modelsDir, result.version);
  return result;
}

async function hashFolder(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hashes[path.relative(dir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return hashes;
}

/** Reads every lead of an export with the X Education config, with its outcome. */
async function readLabelledLeads(filePath: string) {
  const loaded = await loadDatasetConfig(X_EDUCATION_CONFIG, { sourceOverride: filePath });
  const { table } = await importFromConfig(loaded);
  const rows = Int32Array.from({ length: table.rowCount }, (_, index) => index);
  return { records: recordsForRows(table, rows), labels: Array.from(table.labels) };
}

async function eceOf(dir: string, leads: Awaited<ReturnType<typeof readLabelledLeads>>): Promise<{ ece: number; meanProbability: number }> {
  const model = await LeadModel.fromBundle(await readModelBundle(dir));
  const probabilities = model.predictProba(leads.records);
  model.dispose();
  const meanProbability = probabilities.reduce((sum, p) => sum + p, 0) / probabilities.length;
  return { ece: expectedCalibrationError(leads.labels, probabilities), meanProbability };
}

describe('recalibrateModel', () => {
  const modelsDir = path.join(folder, 'models');
  let source: TrainResult;

  beforeAll(async () => {
    source = await trainSource(modelsDir);
    writeShiftedLeads(exportPath('recent.csv'), { from: 3000, to: 5999, keepWinChance: 0.3, seed: 1 });
    writeShiftedLeads(exportPath('later.csv'), { from: 6000, to: 9239, keepWinChance: 0.3, seed: 2 });
    writeShiftedLeads(exportPath('few.csv'), { from: 3000, to: 3059, keepWinChance: 1, seed: 3 });
    writeShiftedLeads(exportPath('no-wins.csv'), { from: 3000, to: 3299, keepWinChance: 0, seed: 4 });
    writeShiftedLeads(exportPath('bad-rows.csv'), {
      from: 3000,
      to: 3499,
      keepWinChance: 0.3,
      seed: 5,
      cells: { 7: { TotalVisits: 'many' }, 12: { 'Page Views Per Visit': '-2' }, 40: { Converted: '' } },
    });
  }, 120_000);

  it('lowers ECE on later shifted leads', async () => {
    const result = await recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('recent.csv'), modelsDir, now: nextMinute });
    const later = await readLabelledLeads(exportPath('later.csv'));
    const wonRate = later.labels.filter((label) => label === 1).length / later.labels.length;

    const before = await eceOf(source.dir, later);
    const after = await eceOf(result.dir, later);

    expect(wonRate).toBeLessThan(0.2);
    expect(before.ece).toBeGreaterThan(0.1);
    expect(after.ece).toBeLessThan(before.ece / 2);
    expect(Math.abs(after.meanProbability - wonRate)).toBeLessThan(0.04);
    expect('skipped' in result.record.heldOut).toBe(false);
    if (!('skipped' in result.record.heldOut)) {
      expect(result.record.heldOut.after.ece).toBeLessThan(result.record.heldOut.before.ece);
      expect(result.record.heldOut.fitLeads + result.record.heldOut.after.rows).toBe(result.record.outcomes.leads);
    }
  }, 60_000);

  it('writes a new version and leaves the source untouched', async () => {
    const sourceFiles = await hashFolder(source.dir);

    const result = await recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('recent.csv'), modelsDir, now: nextMinute });

    expect(await hashFolder(source.dir)).toEqual(sourceFiles);
    expect(result.version).not.toBe(source.version);
    expect(result.version).toMatch(/^x-education-\d{8}-\d{6}-logistic-recalibrated$/);
    expect(result.activated).toBe(false);
    expect(await readActiveVersion(modelsDir)).toBe(source.version);
    const copied = await hashFolder(result.dir);
    expect(copied['weights.bin']).toBe(sourceFiles['weights.bin']);
    expect(copied['preprocessing.json']).toBe(sourceFiles['preprocessing.json']);
    expect(copied['calibration.json']).not.toBe(sourceFiles['calibration.json']);
  }, 60_000);

  it('records the source and outcomes in the manifest', async () => {
    const result = await recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('recent.csv'), modelsDir, now: nextMinute });

    const manifest = JSON.parse(await readFile(path.join(result.dir, 'manifest.json'), 'utf8'));
    const recalibration = manifest.recalibration;
    expect(recalibration.sourceVersion).toBe(source.version);
    expect(recalibration.method).toBe('platt');
    expect(recalibration.outcomesFile).toBe('recent.csv');
    expect(recalibration.outcomes.leads).toBe(3000);
    expect(recalibration.outcomes.wins + recalibration.outcomes.losses).toBe(3000);
    expect(recalibration.order.by).toBe('Lead Number');
    expect(Number(recalibration.order.first)).toBeLessThan(Number(recalibration.order.last));
    expect(recalibration.inSample.after.ece).toBeLessThan(recalibration.inSample.before.ece);
    expect(manifest.calibration).toBe('platt');
    expect(manifest.lowConfidence).toBeUndefined();
  }, 60_000);

  it('writes a bundle that loads and scores', async () => {
    const result = await recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('recent.csv'), modelsDir, now: nextMinute });
    const later = await readLabelledLeads(exportPath('later.csv'));

    const model = await LeadModel.fromBundle(await readModelBundle(result.dir));
    const predictions = model.scoreLeads(later.records.slice(0, 50));
    model.dispose();

    expect(predictions).toHaveLength(50);
    for (const prediction of predictions) {
      expect(prediction.probability).toBeGreaterThan(0);
      expect(prediction.probability).toBeLessThan(1);
      expect(['hot', 'warm', 'cool', 'cold']).toContain(prediction.tier);
    }
  }, 60_000);

  it('activates the new version with activate', async () => {
    const result = await recalibrateModel({
      configPath: X_EDUCATION_CONFIG,
      outcomesPath: exportPath('recent.csv'),
      modelsDir,
      activate: true,
      now: nextMinute,
    });

    expect(result.activated).toBe(true);
    expect(await readActiveVersion(modelsDir)).toBe(result.version);
    await setActiveVersion(modelsDir, source.version);
  }, 60_000);

  it('recalibrates a named version that is not active', async () => {
    const active = await recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('recent.csv'), modelsDir, activate: true, now: nextMinute });

    const named = await recalibrateModel({
      configPath: X_EDUCATION_CONFIG,
      outcomesPath: exportPath('recent.csv'),
      modelsDir,
      sourceVersion: source.version,
      now: nextMinute,
    });

    expect(named.record.sourceVersion).toBe(source.version);
    expect(await readActiveVersion(modelsDir)).toBe(active.version);
    await setActiveVersion(modelsDir, source.version);
  }, 60_000);

  it('rejects fewer than 100 closed leads, naming the counts', async () => {
    const versionsBefore = await readdir(modelsDir);

    const recalibration = recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('few.csv'), modelsDir, now: nextMinute });

    await expect(recalibration).rejects.toThrow(InsufficientDataError);
    await expect(recalibration).rejects.toThrow('only 60 closed leads (minimum 100)');
    await expect(recalibration).rejects.toThrow('--force');
    expect(await readdir(modelsDir)).toEqual(versionsBefore);
  }, 60_000);

  it('fits below the minimum with force and marks the model low-confidence', async () => {
    const result = await recalibrateModel({
      configPath: X_EDUCATION_CONFIG,
      outcomesPath: exportPath('few.csv'),
      modelsDir,
      force: true,
      now: nextMinute,
    });

    expect(result.record.lowConfidence).toContain('only 60 closed leads (minimum 100)');
    const manifest = JSON.parse(await readFile(path.join(result.dir, 'manifest.json'), 'utf8'));
    expect(manifest.lowConfidence).toContain('recalibrated on only 60 closed leads');
  }, 60_000);

  it('rejects outcomes without a win even with force', async () => {
    const recalibration = recalibrateModel({
      configPath: X_EDUCATION_CONFIG,
      outcomesPath: exportPath('no-wins.csv'),
      modelsDir,
      force: true,
      now: nextMinute,
    });

    await expect(recalibration).rejects.toThrow(InsufficientDataError);
    await expect(recalibration).rejects.toThrow('300 closed leads with 0 wins and 300 losses');
  }, 60_000);

  it('reports bad rows by row number', async () => {
    const result = await recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('bad-rows.csv'), modelsDir, now: nextMinute });

    const rejected = result.importReport.rejected.map((cell) => [cell.row, cell.column, cell.reason]);
    expect(rejected).toContainEqual([7, 'TotalVisits', 'invalid-number']);
    expect(rejected).toContainEqual([12, 'Page Views Per Visit', 'below-minimum']);
    expect(rejected).toContainEqual([40, 'Converted', 'missing-label']);
    expect(result.record.outcomes.leads).toBe(497);
    expect(result.record.outcomes.rejected).toBe(3);
    const written = JSON.parse(await readFile(path.join(result.dir, 'import-report.json'), 'utf8'));
    expect(written.rejected.map((cell: { row: number }) => cell.row)).toEqual([7, 12, 40]);
  }, 60_000);

  it('rejects a config of another dataset', async () => {
    const other = await createSyntheticDataset({ rows: 300, seed: 3 });

    const recalibration = recalibrateModel({ configPath: other.configPath, outcomesPath: other.exportPath, modelsDir, now: nextMinute });

    await expect(recalibration).rejects.toThrow(DatasetConfigError);
    await expect(recalibration).rejects.toThrow(`model ${source.version} was trained on dataset 'x-education'`);
  });

  it('rejects an unknown model version, listing the known ones', async () => {
    const recalibration = recalibrateModel({
      configPath: X_EDUCATION_CONFIG,
      outcomesPath: exportPath('recent.csv'),
      modelsDir,
      sourceVersion: 'x-education-19990101-000000-mlp',
      now: nextMinute,
    });

    await expect(recalibration).rejects.toThrow(ModelNotFoundError);
    await expect(recalibration).rejects.toThrow(source.version);
  });
});

describe('recalibrateModel on an ensemble', () => {
  it('fits each member on its own raw outputs', async () => {
    const modelsDir = path.join(folder, 'ensemble-models');
    const source = await trainSource(modelsDir, 2);
    const sourceBundle = await readModelBundle(source.dir);

    const result = await recalibrateModel({ configPath: X_EDUCATION_CONFIG, outcomesPath: exportPath('recent.csv'), modelsDir, now: nextMinute });

    const bundle = await readModelBundle(result.dir);
    expect(bundle.moreMembers).toHaveLength(1);
    const loaded = await loadDatasetConfig(X_EDUCATION_CONFIG, { sourceOverride: exportPath('recent.csv') });
    const outcomes = await importRecentOutcomes(loaded, sourceBundle.manifest, sourceBundle.preprocessing);
    const scores = await scoreMembers(sourceBundle, outcomes.table, outcomes.rows);
    const saved = [bundle.calibration, bundle.moreMembers![0]!.calibration] as Extract<CalibratorState, { method: 'platt' }>[];
    scores.raw.forEach((raw, index) => {
      const expected = fitPlatt(raw, outcomes.labels).state as Extract<CalibratorState, { method: 'platt' }>;
      expect(saved[index]!.slope).toBeCloseTo(expected.slope, 6);
      expect(saved[index]!.intercept).toBeCloseTo(expected.intercept, 6);
    });
    expect(saved[0]!.intercept).not.toBeCloseTo(saved[1]!.intercept, 3);
  }, 120_000);
});
