import type { ColumnContribution } from '../core/explain/lead-reasons.ts';
import type { ExampleLead, ImportanceReport } from './importance-report.ts';
import { horizontalBarChart } from './horizontal-bar-chart.ts';
import { escapeXml, lineChart } from './svg-charts.ts';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #222; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 0.25rem 0.6rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.note { color: #555; font-size: 0.9rem; }
.example { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1rem; margin: 0.8rem 0; }
`;

/**
 * Renders the importance report as one self-contained HTML page: inline CSS and inline SVG
 * charts, no scripts and no external resources, so it opens offline and can be mailed around.
 */
export function renderImportanceHtml(report: ImportanceReport): string {
  const sections = [
    header(report),
    importanceSection(report),
    ruleScoreSection(report),
    partialDependenceSection(report),
    closeRateSection(report),
    examplesSection(report),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Column importance: ${escapeXml(report.model.version)}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}

function header(report: ImportanceReport): string {
  const { model, heldOut, permutation } = report;
  return `<h1>What drives model ${escapeXml(model.version)}</h1>
<p>${escapeXml(describeModel(model.type, model.calibration))}, trained on dataset ${escapeXml(model.dataset)}.
Measured on ${heldOut.leads} held-out leads (${heldOut.won} won): ${escapeXml(heldOut.description)}.
On them the model has AUC ${permutation.reference.auc.toFixed(4)} and log loss ${(permutation.reference.logLoss ?? Number.NaN).toFixed(4)}.</p>
<p class="note">Generated ${escapeXml(report.generatedAt)}. Every number on this page is also in the JSON file beside it.</p>`;
}

const MODEL_TYPE_NAMES: Record<string, string> = { mlp: 'MLP', logistic: 'logistic regression' };
const CALIBRATION_NAMES: Record<string, string> = { platt: 'Platt', isotonic: 'isotonic' };

/** Describes a model in words, such as "An MLP model with Platt calibration". */
export function describeModel(type: string, calibration: string): string {
  const typeName = MODEL_TYPE_NAMES[type] ?? type;
  // "MLP" is read letter by letter, so it starts with a vowel sound.
  const article = typeName === 'MLP' || /^[aeiou]/i.test(typeName) ? 'An' : 'A';
  if (calibration === 'none') return `${article} ${typeName} model without calibration`;
  return `${article} ${typeName} model with ${CALIBRATION_NAMES[calibration] ?? calibration} calibration`;
}

/** Names an example lead by its id and export row, or by its row alone when the export has no id. */
function exampleTitle(example: ExampleLead): string {
  return example.id ? `Lead ${example.id} (row ${example.rowNumber})` : `Lead at row ${example.rowNumber}`;
}

function importanceSection(report: ImportanceReport): string {
  const { permutation } = report;
  const bars = permutation.columns.map((entry) => ({
    label: entry.column,
    value: entry.aucDrop.mean,
    error: entry.aucDrop.std,
    note: `${entry.aucDrop.mean.toFixed(4)} ± ${entry.aucDrop.std.toFixed(4)}`,
  }));
  const rows = permutation.columns.map(
    (entry, index) => `<tr><td class="number">${index + 1}</td><td>${escapeXml(entry.column)}</td>
<td class="number">${entry.aucDrop.mean.toFixed(4)}</td><td class="number">${entry.aucDrop.std.toFixed(4)}</td>
<td class="number">${entry.logLossRise ? entry.logLossRise.mean.toFixed(4) : ''}</td><td class="number">${entry.logLossRise ? entry.logLossRise.std.toFixed(4) : ''}</td></tr>`,
  );
  return `<h2>Permutation importance by export column</h2>
<p>Each column's values were shuffled across the held-out leads ${permutation.repeats} times (seed ${permutation.seed}); the bars show the mean drop in AUC and the whiskers one standard deviation over the repeats. A column near zero adds little that the other columns do not already carry; correlated columns share their importance.</p>
${horizontalBarChart(bars, { title: 'Drop in AUC when the column is shuffled', axisLabel: 'AUC drop (mean ± std over repeats)', width: 900, format: (value) => value.toFixed(3) })}
<table><thead><tr><th>#</th><th>Column</th><th>AUC drop mean</th><th>std</th><th>Log-loss rise mean (nats)</th><th>std</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function ruleScoreSection(report: ImportanceReport): string {
  const rule = report.ruleScore;
  if (!rule.available) return `<h2>Rule score inputs</h2><p class="note">${escapeXml(rule.note)}.</p>`;
  const { permutation } = rule;
  const bars = permutation.columns.map((entry) => ({
    label: entry.column,
    value: entry.aucDrop.mean,
    error: entry.aucDrop.std,
    note: `${entry.aucDrop.mean.toFixed(4)} ± ${entry.aucDrop.std.toFixed(4)}`,
  }));
  return `<h2>Rule score inputs: ${escapeXml(rule.name)}</h2>
<p>The same measurement for the rule total, which has AUC ${permutation.reference.auc.toFixed(4)} on the held-out leads. Rule points are not probabilities, so only the AUC drop is measured. Activity rules get no activity records here and add no points.</p>
${horizontalBarChart(bars, { title: 'Drop in rule-score AUC when the column is shuffled', axisLabel: 'AUC drop (mean ± std over repeats)', width: 900 })}`;
}

function partialDependenceSection(report: ImportanceReport): string {
  if (report.partialDependence.length === 0) return '';
  const charts = report.partialDependence.map((curve) => {
    const points = curve.points.map((point) => ({ x: point.value, y: point.meanProbability }));
    const xs = points.map((point) => point.x);
    const low = Math.min(...xs);
    // The axis ends on a round number so that its last tick label stays short.
    const step = 10 ** Math.floor(Math.log10(Math.max(1e-9, Math.max(...xs) - low)));
    const xDomain: [number, number] = [low, Math.max(low + step, Math.ceil(Math.max(...xs) / step) * step)];
    return lineChart({
      title: curve.column,
      xLabel: `${curve.column} (grid at training quantiles)`,
      yLabel: 'mean calibrated probability',
      series: [{ name: 'mean probability', color: '#2f6db5', points, markers: true }],
      xDomain,
      yDomain: [0, 1],
    });
  });
  return `<h2>Partial dependence of the top numeric columns</h2>
<p>For each grid value (the 5th to 95th percentiles of the training leads), the column was set to that value on every held-out lead and the calibrated probabilities averaged. This is the model's average response, not a causal effect.</p>
<div class="charts">${charts.join('\n')}</div>`;
}

function closeRateSection(report: ImportanceReport): string {
  if (report.closeRates.length === 0) return '';
  const blocks = report.closeRates.map((entry) => {
    const bars = entry.values.map((value) => ({ label: value.value, value: value.closeRate, note: `${(100 * value.closeRate).toFixed(1)} % of ${value.leads}` }));
    return horizontalBarChart(bars, { title: entry.column, axisLabel: 'observed close rate (won / leads)', width: 900, format: (value) => value.toFixed(2) });
  });
  return `<h2>Close rates by value of the top categorical columns</h2>
<p>Observed on the training leads, with the values grouped as the model groups them; small groups have wide uncertainty, so read the counts.</p>
${blocks.join('\n')}`;
}

function examplesSection(report: ImportanceReport): string {
  const { attribution } = report;
  const format = (entry: ColumnContribution) =>
    `<tr><td>${escapeXml(entry.column)}</td><td>${escapeXml(entry.value === null ? '(missing)' : String(entry.value))}</td>
<td class="number">${signed(entry.probability)}</td><td class="number">${signed(entry.logOdds)}</td></tr>`;
  const blocks = report.examples.map((example) => {
    const bars = [...example.for, ...example.against].map((entry) => ({ label: `${entry.column} = ${entry.value ?? '(missing)'}`, value: entry.probability }));
    return `<div class="example"><strong>${escapeXml(exampleTitle(example))}</strong>: probability ${example.probability.toFixed(3)} (${escapeXml(example.tier)}), outcome ${example.won ? 'won' : 'lost'}; baseline ${example.baselineProbability.toFixed(3)}.
${horizontalBarChart(bars, { title: 'Top reasons for and against', axisLabel: 'contribution (calibrated probability)', width: 900, format: signed })}
<table><thead><tr><th>Column</th><th>Value</th><th>Probability</th><th>Log-odds</th></tr></thead><tbody>${[...example.for, ...example.against].map(format).join('')}</tbody></table></div>`;
  });
  return `<h2>Example leads with their reasons</h2>
<p>Method: ${escapeXml(attribution.method)}. Log-odds contributions are in ${escapeXml(attribution.logOddsUnit)}; probability contributions are in ${escapeXml(attribution.probabilityUnit)}.
Over all held-out leads, baseline plus contributions missed the model output by at most ${attribution.maxLogOddsGap.toExponential(2)} in log-odds and ${attribution.maxProbabilityGap.toExponential(2)} in probability.</p>
${blocks.join('\n')}`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
}
