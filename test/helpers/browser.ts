import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it when missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** True when a Chromium binary exists at CHROMIUM_PATH. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** What a page showed in headless Chromium. */
export interface RenderedPage {
  /** Console messages of type error, and uncaught page errors. */
  consoleErrors: string[];
  /** Requests to anything but the page's own file. */
  externalRequests: string[];
  /** Width and height of each <svg> element as laid out. */
  svgSizes: { width: number; height: number }[];
  /** Number of drawn shapes (path, line, circle, rect) inside the SVGs. */
  svgShapes: number;
}

/**
 * Opens a local HTML file in headless Chromium with a fresh profile and no background network,
 * and returns its console errors, outside requests and laid-out SVG charts.
 */
export async function renderPage(file: string): Promise<RenderedPage> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'leadscore-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const externalRequests: string[] = [];
    const url = `file://${path.resolve(file)}`;
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      if (request.url() !== url) externalRequests.push(request.url());
    });

    await page.goto(url, { waitUntil: 'load' });
    const svgSizes = await page.$$eval('svg', (elements) => elements.map((element) => {
      const box = element.getBoundingClientRect();
      return { width: box.width, height: box.height };
    }));
    const svgShapes = await page.$$eval('svg path, svg line, svg circle, svg rect', (elements) => elements.length);
    return { consoleErrors, externalRequests, svgSizes, svgShapes };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
