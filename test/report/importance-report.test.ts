import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runImportanceReport } from '../../src/cli/importance-report-command.ts';
import type { ImportanceReport } from '../../src/report/importance-report.ts';
import { parseCsvText } from '../../src/core/csv.ts';
import { describeModel, renderImportanceHtml } from '../../src/report/importance-html.ts';
import { buildImportanceReport, ruleScoreFromFile } from '../../src/report/importance-report.ts';
import { hasChromium, renderPage } from '../helpers/browser.ts';
import { trainLoadedModel, X_EDUCATION_CONFIG } from '../helpers/loaded-model.ts';

const TRAIN_ROWS = 3000;
const X_EDUCATION_CSV = path.resolve(import.meta.dirname, '../../data/x-education/Leads.csv');

let modelDir: string;
let featureColumns: string[];
let htmlPath: string;
let report: ImportanceReport;
let html: string;
let outDir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const { result, model, cleanup: removeModel } = await trainLoadedModel('mlp', TRAIN_ROWS);
  cleanup = removeModel;
  featureColumns = model.bundle.manifest.featureColumns;
  model.dispose();
  modelDir = result.dir;

  outDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-report-'));
  const written = await runImportanceReport({ model: modelDir, config: X_EDUCATION_CONFIG, out: outDir, repeats: '3', seed: '11', limitRows: TRAIN_ROWS });
  htmlPath = written.html;
  html = await readFile(written.html, 'utf8');
  report = JSON.parse(await readFile(written.json, 'utf8')) as ImportanceReport;
});

afterAll(async () => {
  await cleanup();
  await rm(outDir, { recursive: true, force: true });
});

describe('importance report JSON', () => {
  it('ranks every feature column once, largest AUC drop first', () => {
    const columns = report.permutation.columns.map((entry) => entry.column);
    expect([...columns].sort()).toEqual([...featureColumns].sort());
    const means = report.permutation.columns.map((entry) => entry.aucDrop.mean);
    expect(means).toEqual([...means].sort((a, b) => b - a));
  });

  it('keeps each repeat with its mean and std', () => {
    for (const entry of report.permutation.columns) {
      expect(entry.aucDrop.values).toHaveLength(3);
      expect(entry.logLossRise!.values).toHaveLength(3);
      const mean = entry.aucDrop.values.reduce((sum, value) => sum + value, 0) / 3;
      expect(entry.aucDrop.mean).toBeCloseTo(mean, 12);
    }
    expect(report.permutation.seed).toBe(11);
  });

  it('measures on the held-out leads the model was tested on', async () => {
    const metrics = JSON.parse(await readFile(path.join(modelDir, 'metrics.json'), 'utf8')) as { test: { rows: number; auc: number } };
    expect(report.heldOut.leads).toBe(metrics.test.rows);
    expect(report.permutation.reference.auc).toBeCloseTo(metrics.test.auc, 6);
  });

  it('finds time on the website among the top three columns', () => {
    const top = report.permutation.columns.slice(0, 3).map((entry) => entry.column);
    expect(top).toContain('Total Time Spent on Website');
  });

  it('has partial dependence for numeric and close rates for categorical columns', () => {
    expect(report.partialDependence.length).toBeGreaterThan(0);
    for (const curve of report.partialDependence) {
      expect(curve.points.length).toBeGreaterThan(2);
      for (const point of curve.points) expect(point.meanProbability).toBeGreaterThan(0);
    }
    expect(report.closeRates.length).toBeGreaterThan(0);
    for (const entry of report.closeRates) {
      for (const value of entry.values) expect(value.closeRate).toBeCloseTo(value.won / value.leads, 12);
    }
  });

  it('states the attribution units and how closely the sums hold', () => {
    expect(report.attribution.method).toBe('integrated-gradients-exact-path');
    expect(report.attribution.maxLogOddsGap).toBeLessThan(1e-4);
    expect(report.attribution.maxProbabilityGap).toBeLessThan(1e-9);
  });

  it('includes example leads with reasons from export columns', () => {
    expect(report.examples.length).toBeGreaterThanOrEqual(4);
    for (const example of report.examples) {
      expect(example.for.length + example.against.length).toBeGreaterThan(0);
      for (const reason of [...example.for, ...example.against]) expect(featureColumns).toContain(reason.column);
    }
  });

  it('names example leads by export id and row', async () => {
    const leads = parseCsvText(await readFile(X_EDUCATION_CSV, 'utf8'));
    const idIndex = leads.header.indexOf('Prospect ID');
    for (const example of report.examples) {
      expect(example.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      // Row numbers count the header as row 1, and the parsed rows start at row 2.
      expect(leads.rows[example.rowNumber - 2]![idIndex]).toBe(example.id);
    }
  });

  it('leaves the rule score out without a rules file', () => {
    expect(report.ruleScore.available).toBe(false);
  });
});

describe('importance report HTML', () => {
  it('is self-contained: inline SVG, no scripts, no external resources', () => {
    expect(html.match(/<svg /g)?.length ?? 0).toBeGreaterThan(5);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link /i);
    const urls = html.match(/https?:\/\/[^"' )]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('names example leads by id and row', () => {
    for (const example of report.examples) expect(html).toContain(`<strong>Lead ${example.id} (row ${example.rowNumber})</strong>`);
    expect(html).not.toContain('<strong>Lead </strong>');
  });

  it('names an example lead by row without an id', () => {
    const withoutIds = { ...report, examples: report.examples.map((example) => ({ ...example, id: '' })) };
    const page = renderImportanceHtml(withoutIds);
    expect(page).toContain(`<strong>Lead at row ${report.examples[0]!.rowNumber}</strong>`);
  });

  it('describes the model in words', () => {
    expect(html).toContain(`<p>${describeModel(report.model.type, report.model.calibration)}, trained on dataset x-education.`);
  });

  it('names the top column and the held-out size', () => {
    expect(html).toContain(report.permutation.columns[0]!.column);
    expect(html).toContain(`${report.heldOut.leads} held-out leads`);
  });
});

describe('describeModel', () => {
  it.each([
    ['mlp', 'platt', 'An MLP model with Platt calibration'],
    ['mlp', 'isotonic', 'An MLP model with isotonic calibration'],
    ['logistic', 'platt', 'A logistic regression model with Platt calibration'],
    ['logistic', 'none', 'A logistic regression model without calibration'],
  ])('describes %s with %s', (type, calibration, expected) => {
    expect(describeModel(type, calibration)).toBe(expected);
  });
});

describe.skipIf(!hasChromium())('importance report in headless Chromium', () => {
  it('renders every chart without console errors or network requests', async () => {
    const page = await renderPage(htmlPath);

    expect(page.consoleErrors).toEqual([]);
    expect(page.externalRequests).toEqual([]);
    expect(page.svgSizes).toHaveLength(html.match(/<svg /g)!.length);
    for (const size of page.svgSizes) {
      expect(size.width).toBeGreaterThan(100);
      expect(size.height).toBeGreaterThan(50);
    }
    expect(page.svgShapes).toBeGreaterThan(100);
  });
});

if (!hasChromium()) {
  console.warn('no Chromium at /usr/bin/chromium: the headless check of the importance report is skipped (apt-get install -y chromium)');
}

describe('buildImportanceReport', () => {
  it('rejects a config for another dataset', async () => {
    const otherConfig = path.join(await mkdtemp(path.join(os.tmpdir(), 'leadscore-config-')), 'other.json');
    const config = JSON.parse(await readFile(X_EDUCATION_CONFIG, 'utf8')) as Record<string, unknown>;
    const source = path.resolve(path.dirname(X_EDUCATION_CONFIG), String(config.source));
    await writeFile(otherConfig, JSON.stringify({ ...config, name: 'other-leads', source }));
    await expect(buildImportanceReport({ modelDir, configPath: otherConfig, limitRows: TRAIN_ROWS })).rejects.toThrow(
      /is for dataset 'other-leads', but model .* was trained on 'x-education'/,
    );
  });

  it('rejects a split that differs from training', async () => {
    await expect(buildImportanceReport({ modelDir, configPath: X_EDUCATION_CONFIG, limitRows: TRAIN_ROWS + 500 })).rejects.toThrow(
      /the export or the split settings changed since training/,
    );
  });

  it('measures the inputs of a shipped rules file', async () => {
    const rulesPath = path.resolve(path.dirname(X_EDUCATION_CONFIG), 'rules/x-education.rules.json');
    const ruleScore = await ruleScoreFromFile(rulesPath);
    const withRules = await buildImportanceReport({ modelDir, configPath: X_EDUCATION_CONFIG, limitRows: TRAIN_ROWS, repeats: 2, ruleScore });

    expect(withRules.ruleScore.available).toBe(true);
    if (!withRules.ruleScore.available) return;
    const measured = withRules.ruleScore.permutation.columns.map((entry) => entry.column);
    expect([...measured].sort()).toEqual([...ruleScore.columns].sort());
    expect(withRules.ruleScore.permutation.reference.auc).toBeGreaterThan(0.5);
    expect(withRules.ruleScore.permutation.columns[0]!.aucDrop.mean).toBeGreaterThan(0);
  });

  it('measures any score through the rule score hook', async () => {
    const points = (leads: readonly Record<string, unknown>[]) => leads.map((lead) => (lead['Lead Origin'] === 'Lead Add Form' ? 30 : 0) + Number(lead['Total Time Spent on Website'] ?? 0) / 100);
    const withRules = await buildImportanceReport({
      modelDir,
      configPath: X_EDUCATION_CONFIG,
      limitRows: TRAIN_ROWS,
      repeats: 2,
      ruleScore: { name: 'test rules', columns: ['Lead Origin', 'Total Time Spent on Website', 'City'], score: points },
    });

    expect(withRules.ruleScore.available).toBe(true);
    if (!withRules.ruleScore.available) return;
    const byColumn = new Map(withRules.ruleScore.permutation.columns.map((entry) => [entry.column, entry]));
    expect(byColumn.get('City')!.aucDrop.mean).toBe(0);
    expect(byColumn.get('Total Time Spent on Website')!.aucDrop.mean).toBeGreaterThan(0.01);
    expect(byColumn.get('City')!.logLossRise).toBeNull();
  });
});
