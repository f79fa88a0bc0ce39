/**
 * Inline SVG charts for the notebooks: horizontal bars (rates by category) and reliability
 * diagrams. Each function returns a self-contained <svg> string; `svgOutput` in display.ts turns it
 * into a cell output.
 */
import type { ReliabilityBin } from '../src/core/metrics.ts';

/** One bar: its label, its value in the chart's units, and an optional note after the value. */
export interface Bar {
  label: string;
  value: number;
  note?: string;
}

export interface BarChartOptions {
  title: string;
  bars: readonly Bar[];
  /** Right end of the value axis; defaults to the largest value. */
  maxValue?: number;
  /** Formats a value for its label; defaults to a percentage with one decimal. */
  formatValue?: (value: number) => string;
  /** Draws a vertical reference line, for example the overall conversion rate. */
  reference?: { value: number; label: string };
  width?: number;
}

/** One line of a reliability diagram. */
export interface ReliabilitySeries {
  name: string;
  color: string;
  bins: readonly ReliabilityBin[];
}

const FONT = 'font-family="sans-serif" font-size="11"';
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 130;

/** Escapes text for SVG and HTML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a';
}

/** Renders one horizontal bar per entry, top to bottom in the given order. */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 640;
  const format = options.formatValue ?? formatPercent;
  const plotWidth = width - LABEL_WIDTH - VALUE_WIDTH;
  const maxValue = options.maxValue ?? Math.max(...options.bars.map((bar) => bar.value), 1e-9);
  const top = options.reference ? 40 : 28;
  const height = top + options.bars.length * (BAR_HEIGHT + BAR_GAP) + 10;
  const x = (value: number) => LABEL_WIDTH + (Math.max(0, value) / maxValue) * plotWidth;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<text x="4" y="16" ${FONT} font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  if (options.reference) {
    // Drawn before the bars so that the bars and their labels stay readable on top of it.
    const refX = x(options.reference.value).toFixed(1);
    parts.push(
      `<line x1="${refX}" y1="${top - 4}" x2="${refX}" y2="${height - 6}" stroke="#c44" stroke-dasharray="4 3"/>`,
      `<text x="${refX}" y="${top - 8}" text-anchor="middle" ${FONT} fill="#c44">${escapeXml(options.reference.label)}</text>`,
    );
  }
  options.bars.forEach((bar, index) => {
    const y = top + index * (BAR_HEIGHT + BAR_GAP);
    const label = bar.label.length > 34 ? `${bar.label.slice(0, 33)}…` : bar.label;
    const valueText = bar.note ? `${format(bar.value)}  ${bar.note}` : format(bar.value);
    parts.push(
      `<text x="${LABEL_WIDTH - 6}" y="${y + 13}" text-anchor="end" ${FONT}>${escapeXml(label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${(x(bar.value) - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="#4878a8" fill-opacity="0.85"/>`,
      `<text x="${(x(bar.value) + 4).toFixed(1)}" y="${y + 13}" ${FONT}>${escapeXml(valueText)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Renders a reliability diagram: for each series, the observed win rate of each probability bin
 * against the bin's mean predicted probability, with dots sized by the bin's lead count and the
 * diagonal of perfect calibration. Empty bins are skipped.
 */
export function reliabilityChart(title: string, series: readonly ReliabilitySeries[], size = 380): string {
  const margin = { top: 30, right: 16, bottom: 44, left: 52 };
  const plot = size - margin.left - margin.right;
  const legendHeight = series.length * 16 + 16;
  const height = size + legendHeight;
  const x = (p: number) => margin.left + p * plot;
  const y = (p: number) => margin.top + (1 - p) * plot;
  const maxCount = Math.max(1, ...series.flatMap((line) => line.bins.map((bin) => bin.count)));

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${height}" viewBox="0 0 ${size} ${height}">`,
    `<text x="4" y="16" ${FONT} font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${x(0)}" y="${y(1)}" width="${plot}" height="${plot}" fill="none" stroke="#888"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 4"/>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<text x="${x(tick)}" y="${y(0) + 14}" text-anchor="middle" ${FONT}>${tick}</text>`,
      `<text x="${x(0) - 6}" y="${y(tick) + 4}" text-anchor="end" ${FONT}>${tick}</text>`,
    );
  }
  parts.push(
    `<text x="${x(0.5)}" y="${y(0) + 32}" text-anchor="middle" ${FONT}>mean predicted probability</text>`,
    `<text transform="translate(14 ${y(0.5)}) rotate(-90)" text-anchor="middle" ${FONT}>observed win rate</text>`,
  );

  series.forEach((line, index) => {
    const filled = line.bins.filter((bin) => bin.count > 0);
    const path = filled.map((bin, i) => `${i === 0 ? 'M' : 'L'}${x(bin.meanProbability).toFixed(1)},${y(bin.observedRate).toFixed(1)}`);
    parts.push(`<path d="${path.join(' ')}" fill="none" stroke="${line.color}" stroke-width="2"/>`);
    for (const bin of filled) {
      const radius = 2 + 6 * Math.sqrt(bin.count / maxCount);
      parts.push(
        `<circle cx="${x(bin.meanProbability).toFixed(1)}" cy="${y(bin.observedRate).toFixed(1)}" r="${radius.toFixed(1)}" fill="${line.color}" fill-opacity="0.6"><title>${bin.count} leads</title></circle>`,
      );
    }
    const legendY = size + 12 + index * 16;
    parts.push(
      `<rect x="${margin.left}" y="${legendY - 9}" width="12" height="10" fill="${line.color}"/>`,
      `<text x="${margin.left + 18}" y="${legendY}" ${FONT}>${escapeXml(line.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
