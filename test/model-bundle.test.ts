import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LeadModel } from '../src/core/lead-model.ts';
import { readModelBundle } from '../src/core/model-bundle.ts';
import { predictNetwork } from '../src/core/models/network.ts';
import { Calibrator } from '../src/core/calibration.ts';
import { canExplain } from '../src/core/explain/lead-reasons.ts';
import { trainModel } from '../training/train.ts';

const CONFIG = path.join(import.meta.dirname, '..', 'data', 'x-education.config.json');
const FIXED_NOW = () => new Date('2026-01-02T03:04:05Z');
const LEADS = [
  { 'Lead Origin': 'Landing Page Submission', 'Lead Source': 'Google', TotalVisits: 5, 'Total Time Spent on Website': 900 },
  { 'Lead Origin': 'API', 'Lead Source': 'Olark Chat', TotalVisits: 0, 'Total Time Spent on Website': 0 },
  { 'Lead Origin': 'Lead Add Form', 'Lead Source': 'Reference', TotalVisits: 2, 'Total Time Spent on Website': 120 },
];

describe('model bundle with an ensemble', () => {
  let modelsDir: string;

  beforeAll(async () => {
    modelsDir = await mkdtemp(path.join(tmpdir(), 'leadscore-bundle-'));
  });

  afterAll(async () => {
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('round-trips three cross-fitted members', async () => {
    const result = await trainModel({
      configPath: CONFIG,
      modelsDir,
      limitRows: 1500,
      modelOverrides: { epochs: 2, folds: 3 },
      now: FIXED_NOW,
    });
    const files = await readdir(result.dir);
    expect(files).toEqual(expect.arrayContaining(['model.json', 'weights.bin', 'calibration.json', 'member-1', 'member-2']));

    const bundle = await readModelBundle(result.dir);
    expect(bundle.manifest.ensembleSize).toBe(3);
    expect(bundle.moreMembers).toHaveLength(2);

    const model = await LeadModel.fromBundle(bundle);
    const probabilities = model.predictProba(LEADS);

    // The served probability is the mean of each member's own calibrated output.
    const matrix = { values: model.preprocessor.transform(LEADS), rows: LEADS.length, columns: model.preprocessor.featureCount };
    const expected = new Float64Array(LEADS.length);
    for (const member of model.members) {
      const calibrated = new Calibrator(member.calibrator.state).calibrateAll(predictNetwork(member.network, matrix));
      calibrated.forEach((probability, index) => (expected[index]! += probability / 3));
    }
    for (let index = 0; index < LEADS.length; index += 1) {
      expect(probabilities[index]).toBeCloseTo(expected[index]!, 6);
      expect(probabilities[index]).toBeGreaterThan(0);
      expect(probabilities[index]).toBeLessThan(1);
    }
    expect(canExplain(model)).toBe(true);
    model.dispose();
  });

  it('keeps one network in the folder itself when folds is 1', async () => {
    const result = await trainModel({
      configPath: CONFIG,
      modelsDir,
      limitRows: 1500,
      modelOverrides: { epochs: 2, folds: 1 },
      now: () => new Date('2026-01-02T03:04:06Z'),
    });
    const files = await readdir(result.dir);
    expect(files.filter((name) => name.startsWith('member-'))).toEqual([]);

    const bundle = await readModelBundle(result.dir);
    expect(bundle.manifest.ensembleSize).toBe(1);
    expect(bundle.moreMembers).toBeUndefined();

    const model = await LeadModel.fromBundle(bundle);
    const raw = model.predictRaw(LEADS);
    const probabilities = model.predictProba(LEADS);
    for (let index = 0; index < LEADS.length; index += 1) {
      expect(probabilities[index]).toBeCloseTo(model.calibrator.calibrate(raw[index]!), 6);
    }
    expect(canExplain(model)).toBe(true);
    model.dispose();
  });

  it('reads a manifest without ensembleSize as one network', async () => {
    const result = await trainModel({
      configPath: CONFIG,
      modelsDir,
      limitRows: 1500,
      modelOverrides: { epochs: 2, folds: 2 },
      now: () => new Date('2026-01-02T03:04:07Z'),
    });
    // Bundles written before ensembles have neither the field nor member folders.
    const manifestPath = path.join(result.dir, 'manifest.json');
    const { ensembleSize: _dropped, ...manifest } = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    await writeFile(manifestPath, JSON.stringify(manifest));
    await rm(path.join(result.dir, 'member-1'), { recursive: true });

    const bundle = await readModelBundle(result.dir);
    expect(bundle.moreMembers).toBeUndefined();
    const model = await LeadModel.fromBundle(bundle);
    expect(model.members).toHaveLength(1);
    model.dispose();
  });
});
