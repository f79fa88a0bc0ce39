/**
 * Small inline-SVG charts for the reports: line charts (reliability, ROC, gain) and bars with
 * interval whiskers (close rates). Output is a self-contained <svg> string with no scripts,
 * fonts or links, so a report page works offline.
 */

/** One line of a line chart, with points in data units. */
export interface ChartSeries {
  name: string;
  color: string;
  points: readonly { x: number; y: number }[];
  dashed?: boolean;
  /** Draws a dot at each point, sized by `weights` (e.g. leads per bin) when given. */
  markers?: boolean;
  weights?: readonly number[];
}

/** Options for lineChart. */
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  /** Draws the y = x reference line (perfect calibration, random ranking). */
  diagonal?: boolean;
  /** Corner of the legend. Bottom-right suits curves that rise quickly (ROC, gain). */
  legend?: 'top-left' | 'bottom-right';
  width?: number;
  height?: number;
}

/** One bar with its interval, e.g. a close rate and its Wilson bounds. */
export interface IntervalBar {
  label: string;
  value: number;
  lower: number;
  upper: number;
  note?: string;
}

/** Options for intervalBarChart. */
export interface IntervalBarChartOptions {
  title: string;
  yLabel: string;
  bars: readonly IntervalBar[];
  color: string;
  yDomain?: readonly [number, number];
  width?: number;
  height?: number;
}

const MARGIN = { top: 32, right: 16, bottom: 48, left: 56 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** Renders a line chart with axes, ticks at quarters of each domain, and a legend. */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 440;
  const height = options.height ?? 340;
  const [xMin, xMax] = options.xDomain ?? [0, 1];
  const [yMin, yMax] = options.yDomain ?? [0, 1];
  const plot = plotArea(width, height);
  const x = (value: number) => plot.left + ((value - xMin) / (xMax - xMin)) * plot.width;
  const y = (value: number) => plot.bottom - ((value - yMin) / (yMax - yMin)) * plot.height;

  const parts = [
    open(width, height, options.title),
    axes(plot, options.xLabel, options.yLabel, TICKS.map((t) => ({ at: x(xMin + t * (xMax - xMin)), text: formatTick(xMin + t * (xMax - xMin)) })), TICKS.map((t) => ({ at: y(yMin + t * (yMax - yMin)), text: formatTick(yMin + t * (yMax - yMin)) }))),
  ];
  if (options.diagonal) {
    parts.push(`<line class="reference" x1="${x(xMin)}" y1="${y(yMin)}" x2="${x(xMax)}" y2="${y(yMax)}" stroke="#999" stroke-dasharray="4 4"/>`);
  }
  for (const series of options.series) {
    parts.push(seriesPath(series, x, y));
  }
  parts.push(legend(options.series, plot, options.legend ?? 'top-left'), '</svg>');
  return parts.join('\n');
}

/** Renders one bar per category with a whisker from `lower` to `upper`, leaving NaN bars empty. */
export function intervalBarChart(options: IntervalBarChartOptions): string {
  const width = options.width ?? Math.max(440, 60 + options.bars.length * 56);
  const height = options.height ?? 340;
  const [yMin, yMax] = options.yDomain ?? [0, 1];
  const plot = plotArea(width, height);
  const slot = plot.width / Math.max(1, options.bars.length);
  const y = (value: number) => plot.bottom - ((value - yMin) / (yMax - yMin)) * plot.height;

  const xTicks = options.bars.map((bar, index) => ({ at: plot.left + slot * (index + 0.5), text: bar.label }));
  const yTicks = TICKS.map((t) => ({ at: y(yMin + t * (yMax - yMin)), text: formatTick(yMin + t * (yMax - yMin)) }));
  const parts = [open(width, height, options.title), axes(plot, '', options.yLabel, xTicks, yTicks)];

  options.bars.forEach((bar, index) => {
    if (!Number.isFinite(bar.value)) return;
    const centre = plot.left + slot * (index + 0.5);
    const barWidth = slot * 0.6;
    const tooltip = escapeXml(`${bar.label}: ${formatTick(bar.value)} (${formatTick(bar.lower)} to ${formatTick(bar.upper)})${bar.note ? `, ${bar.note}` : ''}`);
    parts.push(
      `<rect class="bar" x="${round(centre - barWidth / 2)}" y="${round(y(bar.value))}" width="${round(barWidth)}" height="${round(plot.bottom - y(bar.value))}" fill="${options.color}" fill-opacity="0.7"><title>${tooltip}</title></rect>`,
      `<line class="interval" x1="${round(centre)}" y1="${round(y(bar.lower))}" x2="${round(centre)}" y2="${round(y(bar.upper))}" stroke="#222"/>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

function plotArea(width: number, height: number): PlotArea {
  const left = MARGIN.left;
  const top = MARGIN.top;
  const right = width - MARGIN.right;
  const bottom = height - MARGIN.bottom;
  return { left, right, top, bottom, width: right - left, height: bottom - top };
}

function open(width: number, height: number, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ].join('\n');
}

function axes(plot: PlotArea, xLabel: string, yLabel: string, xTicks: readonly { at: number; text: string }[], yTicks: readonly { at: number; text: string }[]): string {
  const parts = [
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="#333"/>`,
    `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}" stroke="#333"/>`,
  ];
  for (const tick of xTicks) {
    parts.push(`<text x="${round(tick.at)}" y="${plot.bottom + 15}" text-anchor="middle">${escapeXml(tick.text)}</text>`);
  }
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${plot.left}" y1="${round(tick.at)}" x2="${plot.right}" y2="${round(tick.at)}" stroke="#eee"/>`,
      `<text x="${plot.left - 6}" y="${round(tick.at) + 4}" text-anchor="end">${escapeXml(tick.text)}</text>`,
    );
  }
  if (xLabel) parts.push(`<text x="${plot.left + plot.width / 2}" y="${plot.bottom + 36}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${plot.top + plot.height / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  return parts.join('\n');
}

function seriesPath(series: ChartSeries, x: (value: number) => number, y: (value: number) => number): string {
  const finite = series.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  const path = finite.map((point, index) => `${index === 0 ? 'M' : 'L'}${round(x(point.x))},${round(y(point.y))}`).join(' ');
  const parts = [`<path class="series" d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 3"' : ''}><title>${escapeXml(series.name)}</title></path>`];
  if (series.markers) {
    const maxWeight = Math.max(1, ...(series.weights ?? [1]));
    series.points.forEach((point, index) => {
      if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) return;
      const weight = series.weights?.[index] ?? maxWeight;
      const radius = 2 + 4 * Math.sqrt(weight / maxWeight);
      parts.push(`<circle cx="${round(x(point.x))}" cy="${round(y(point.y))}" r="${round(radius)}" fill="${series.color}"><title>${escapeXml(`${series.name}: ${formatTick(point.x)}, ${formatTick(point.y)}`)}</title></circle>`);
    });
  }
  return parts.join('\n');
}

function legend(series: readonly ChartSeries[], plot: PlotArea, corner: 'top-left' | 'bottom-right'): string {
  return series
    .map((entry, index) => {
      const top = corner === 'top-left' ? plot.top + 8 + index * 16 : plot.bottom - 8 - (series.length - 1 - index) * 16;
      const left = corner === 'top-left' ? plot.left + 10 : plot.right - 140;
      return `<line x1="${left}" y1="${top}" x2="${left + 18}" y2="${top}" stroke="${entry.color}" stroke-width="2"${entry.dashed ? ' stroke-dasharray="6 3"' : ''}/><text x="${left + 24}" y="${top + 4}">${escapeXml(entry.name)}</text>`;
    })
    .join('\n');
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
