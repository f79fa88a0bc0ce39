import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { REPORT_FILES, runCalibrationReport } from '../../src/cli/report-command.ts';
import type { CalibrationReport } from '../../src/report/calibration-report.ts';
import { trainModel, type TrainResult } from '../../training/train.ts';
import { hasChromium, renderPage } from '../helpers/browser.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RULES = path.join(ROOT, 'data/rules/x-education.rules.json');
const WEB_RULES = path.join(ROOT, 'data/rules/web-behaviour.rules.json');
const LEADS_USED = 3000;

let dir: string;
let configPath: string;
let trained: TrainResult;
let report: CalibrationReport;

beforeAll(async () => {
  // A config over the first leads of the bundled export, so training stays quick and the report
  // re-creates exactly the split the model was trained on.
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-report-'));
  const lines = (await readFile(path.join(ROOT, 'data/x-education/Leads.csv'), 'utf8')).split('\r\n');
  await writeFile(path.join(dir, 'leads.csv'), `${lines.slice(0, LEADS_USED + 1).join('\r\n')}\r\n`);
  const config = JSON.parse(await readFile(path.join(ROOT, 'data/x-education.config.json'), 'utf8'));
  configPath = path.join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ ...config, source: 'leads.csv' }));

  trained = await trainModel({
    configPath,
    modelsDir: path.join(dir, 'models'),
    modelOverrides: { epochs: 8, patience: 3 },
    now: () => new Date('2026-01-15T10:00:00Z'),
  });
  report = await runCalibrationReport({
    model: trained.dir,
    rules: RULES,
    config: configPath,
    out: path.join(dir, 'report'),
    capacity: '5%,10%,20%,100',
    bandWidth: '10',
    seed: '42',
  });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report calibration', () => {
  it.each([
    ['warns about rule columns the dataset lacks', WEB_RULES, ["'email'", "'job_title'", "'industry'", "'company_size'", "'lead_source'"]],
    ['stays quiet when the rules fit the dataset', RULES, []],
  ])('%s', async (_case, rules, absent) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    await runCalibrationReport({ model: trained.dir, rules, config: configPath, out: path.join(dir, 'report-warning'), capacity: '10%', bandWidth: '10', seed: '42' });
    const warnings = errors.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith('warning:'));
    vi.restoreAllMocks();

    if (absent.length === 0) {
      expect(warnings).toEqual([]);
      return;
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${rules} reads ${absent.length} of its ${absent.length} columns from leads that dataset 'x-education' does not provide`);
    for (const column of absent) expect(warnings[0]).toContain(column);
  });

  it('measures the model on its own test split', () => {
    expect(report.testLeads).toBe(trained.metrics.test.rows);
    expect(report.model.metrics.auc).toBeCloseTo(trained.metrics.test.auc, 9);
    expect(report.model.metrics.ece).toBeCloseTo(trained.metrics.test.ece, 9);
    expect(report.trainingLeads).toBe(LEADS_USED - report.testLeads);
  });

  it('fills the capacity table for each capacity', () => {
    expect(report.capacity.map((row) => row.leads)).toEqual([30, 60, 120, 100]);
    for (const row of report.capacity) {
      expect(row.modelWins - row.modelOnlyWins).toBe(row.rulesWins - row.rulesOnlyWins);
    }
  });

  it('counts every test lead once per tier and per band', () => {
    const byTier = report.closeRateByTier.reduce((sum, row) => sum + row.leads, 0);
    const byBand = report.closeRateByRuleBand.reduce((sum, row) => sum + row.leads, 0);

    expect(byTier).toBe(report.testLeads);
    expect(byBand).toBe(report.testLeads);
  });

  it('writes JSON with the numbers of the page', async () => {
    const json = JSON.parse(await readFile(path.join(dir, 'report', REPORT_FILES.json), 'utf8'));
    const html = await readFile(path.join(dir, 'report', REPORT_FILES.html), 'utf8');
    const markdown = await readFile(path.join(dir, 'report', REPORT_FILES.markdown), 'utf8');

    expect(json.model.rankingAuc).toBeCloseTo(report.model.rankingAuc, 12);
    expect(html).toContain(`<td>${report.model.rankingAuc.toFixed(3)}</td><td>${report.rules.rankingAuc.toFixed(3)}</td>`);
    expect(markdown).toContain(`| AUC | ${report.model.rankingAuc.toFixed(3)} | ${report.rules.rankingAuc.toFixed(3)} |`);
    expect(json.suggestedPoints.rules).toHaveLength(21);
  });

  it('keeps the page free of scripts and outside links', async () => {
    const html = await readFile(path.join(dir, 'report', REPORT_FILES.html), 'utf8');

    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(6);
  });

  it('rejects a config whose split differs from the model', async () => {
    const fullConfig = path.join(ROOT, 'data/x-education.config.json');

    await expect(
      runCalibrationReport({ model: trained.dir, rules: RULES, config: fullConfig, out: path.join(dir, 'other'), capacity: '10%', bandWidth: '10', seed: '42' }),
    ).rejects.toThrow(/the export changed since training/);
  });

  it('rejects a bad capacity before loading data', async () => {
    await expect(
      runCalibrationReport({ model: trained.dir, rules: RULES, config: configPath, out: path.join(dir, 'other'), capacity: '10%,lots', bandWidth: '10', seed: '42' }),
    ).rejects.toThrow("capacity 'lots' is invalid");
  });
});

const chromiumTitle = hasChromium()
  ? 'report calibration in Chromium'
  : 'report calibration in Chromium (skipped: no Chromium at /usr/bin/chromium, install it with apt-get install chromium)';

describe.skipIf(!hasChromium())(chromiumTitle, () => {
  it('renders every chart without console errors', async () => {
    const page = await renderPage(path.join(dir, 'report', REPORT_FILES.html));

    expect(page.consoleErrors).toEqual([]);
    expect(page.externalRequests).toEqual([]);
    expect(page.svgSizes).toHaveLength(6);
    for (const size of page.svgSizes) {
      expect(size.width).toBeGreaterThan(100);
      expect(size.height).toBeGreaterThan(100);
    }
    expect(page.svgShapes).toBeGreaterThan(100);
  });

  it('catches a console error on a broken page', async () => {
    const broken = path.join(dir, 'broken.html');
    await writeFile(broken, '<!doctype html><title>x</title><script>console.error("chart failed")</script>');

    const page = await renderPage(broken);

    expect(page.consoleErrors).toEqual(['chart failed']);
    expect(page.svgSizes).toEqual([]);
  });
});
