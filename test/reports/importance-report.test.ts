import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { runImportanceReport } from '../../src/cli/report-command.ts';
import type { ImportanceReport } from '../../src/reports/importance-report.ts';
import { buildImportanceReport } from '../../src/reports/importance-report.ts';
import { trainTestModel, X_EDUCATION_CONFIG } from '../support/trained-models.ts';

const TRAIN_ROWS = 3000;
const CHROMIUM = '/usr/bin/chromium';

let modelDir: string;
let featureColumns: string[];
let htmlPath: string;
let report: ImportanceReport;
let html: string;

beforeAll(async () => {
  const { result, model } = await trainTestModel('mlp', TRAIN_ROWS);
  featureColumns = model.bundle.manifest.featureColumns;
  model.dispose();
  modelDir = result.dir;

  const outDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-report-'));
  const written = await runImportanceReport({ model: modelDir, config: X_EDUCATION_CONFIG, out: outDir, repeats: '3', seed: '11', limitRows: TRAIN_ROWS });
  htmlPath = written.html;
  html = await readFile(written.html, 'utf8');
  report = JSON.parse(await readFile(written.json, 'utf8')) as ImportanceReport;
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

  it('leaves the rule score hook empty without a rules engine', () => {
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

  it('names the top column and the held-out size', () => {
    expect(html).toContain(report.permutation.columns[0]!.column);
    expect(html).toContain(`${report.heldOut.leads} held-out leads`);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('importance report in headless Chromium', () => {
  it('renders every chart without console errors or network requests', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));

      await page.goto(`file://${htmlPath}`);
      const sizes = await page.$$eval('svg', (charts) => charts.map((chart) => chart.getBoundingClientRect()).map((box) => [box.width, box.height]));

      expect(problems).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
      expect(sizes.length).toBe(html.match(/<svg /g)!.length);
      for (const [width, height] of sizes) {
        expect(width).toBeGreaterThan(100);
        expect(height).toBeGreaterThan(50);
      }
    } finally {
      await browser.close();
    }
  });
});

if (!existsSync(CHROMIUM)) {
  console.warn(`${CHROMIUM} not found: the headless Chromium check of the importance report is skipped (apt-get install -y chromium)`);
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

  it('measures a rule score through the hook', async () => {
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
