/**
 * A horizontal bar chart as inline SVG, for rankings with long labels (export column names) and
 * for signed contributions. Like svg-charts.ts it returns a self-contained <svg> string with no
 * scripts or links. Sizes are in CSS pixels; labels are escaped.
 */

import { escapeXml } from './svg-charts.ts';

/** One bar: a label, its value and an optional error half-width and note printed beside it. */
export interface Bar {
  label: string;
  value: number;
  /** Half-width of the error bar (for example one standard deviation), in value units. */
  error?: number;
  note?: string;
}

export interface BarChartOptions {
  title: string;
  /** Axis caption under the chart, with the unit. */
  axisLabel: string;
  width?: number;
  /** Formats tick and value labels. */
  format?: (value: number) => string;
}

const CHARACTER_WIDTH = 6.6;
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

/**
 * Returns about `count` evenly spaced round tick values (steps of 1, 2 or 5 times a power of 10)
 * that cover [min, max].
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    ticks.push(Math.round(tick / step) * step);
  }
  return ticks;
}

/**
 * Draws a horizontal bar chart, one row per bar in the order given. Negative values extend left
 * of the zero line, so the same chart shows rankings and signed contributions.
 */
export function horizontalBarChart(bars: readonly Bar[], options: BarChartOptions): string {
  const format = options.format ?? ((value: number) => value.toFixed(3));
  const width = options.width ?? 720;
  // About 6.6 px per character at 12 px sans-serif; longer labels are cut to fit the column.
  const labelWidth = Math.min(330, 16 + CHARACTER_WIDTH * Math.max(0, ...bars.map((bar) => bar.label.length)));
  const labelCharacters = Math.floor((labelWidth - 12) / CHARACTER_WIDTH);
  const noteWidth = 150;
  const rowHeight = 22;
  const top = 30;
  const plotLeft = labelWidth + 10;
  const plotWidth = Math.max(100, width - plotLeft - noteWidth);
  const height = top + rowHeight * bars.length + 40;

  const low = Math.min(0, ...bars.map((bar) => bar.value - (bar.error ?? 0)));
  const high = Math.max(0, ...bars.map((bar) => bar.value + (bar.error ?? 0)));
  const ticks = niceTicks(low, high === low ? low + 1 : high, 5);
  const domainLow = Math.min(low, ticks[0] ?? low);
  const domainHigh = Math.max(high, ticks[ticks.length - 1] ?? high, domainLow + 1e-12);
  const x = (value: number) => plotLeft + ((value - domainLow) / (domainHigh - domainLow)) * plotWidth;

  const parts: string[] = [title(options.title)];
  for (const tick of ticks) {
    parts.push(`<line x1="${x(tick)}" x2="${x(tick)}" y1="${top - 4}" y2="${top + rowHeight * bars.length}" stroke="#e3e3e3"/>`);
    parts.push(text(x(tick), top + rowHeight * bars.length + 14, format(tick), 'middle', '#555'));
  }
  bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    const left = Math.min(x(0), x(bar.value));
    const barWidth = Math.abs(x(bar.value) - x(0));
    const fill = bar.value >= 0 ? '#2f6db5' : '#c0504d';
    parts.push(`<g><title>${escapeXml(`${bar.label}: ${format(bar.value)}${bar.error !== undefined ? ` ± ${format(bar.error)}` : ''}`)}</title>`);
    parts.push(text(labelWidth, y + rowHeight / 2 + 4, truncate(bar.label, labelCharacters), 'end', '#222'));
    parts.push(`<rect x="${left}" y="${y + 4}" width="${Math.max(0.5, barWidth)}" height="${rowHeight - 8}" fill="${fill}"/>`);
    if (bar.error !== undefined && bar.error > 0) {
      const middle = y + rowHeight / 2;
      parts.push(`<line x1="${x(bar.value - bar.error)}" x2="${x(bar.value + bar.error)}" y1="${middle}" y2="${middle}" stroke="#111" stroke-width="1.2"/>`);
    }
    parts.push(text(plotLeft + plotWidth + 8, y + rowHeight / 2 + 4, bar.note ?? format(bar.value), 'start', '#333'));
    parts.push('</g>');
  });
  parts.push(`<line x1="${x(0)}" x2="${x(0)}" y1="${top - 4}" y2="${top + rowHeight * bars.length}" stroke="#333"/>`);
  parts.push(text(plotLeft + plotWidth / 2, height - 8, options.axisLabel, 'middle', '#333'));
  return svg(width, height, options.title, parts);
}

function svg(width: number, height: number, label: string, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

function title(label: string): string {
  return `<text ${FONT} x="8" y="18" font-weight="600" fill="#111">${escapeXml(label)}</text>`;
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end', fill: string): string {
  return `<text ${FONT} x="${x.toFixed(2)}" y="${y.toFixed(2)}" text-anchor="${anchor}" fill="${fill}">${escapeXml(content)}</text>`;
}

function truncate(label: string, length: number): string {
  return label.length > length ? `${label.slice(0, length - 1)}…` : label;
}
