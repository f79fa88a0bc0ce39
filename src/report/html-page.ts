import type { CalibrationReport, Disagreement } from './calibration-report.ts';
import type { CloseRate } from './close-rates.ts';
import { escapeXml as escapeHtml, intervalBarChart, lineChart } from './svg-charts.ts';

const MODEL_COLOR = '#1f77b4';
const RULES_COLOR = '#d62728';

/**
 * Renders the calibration report as one self-contained HTML page: inline CSS and inline SVG
 * charts, no scripts, no fonts or images from the network.
 */
export function renderReportHtml(report: CalibrationReport): string {
  const title = `Model vs rules: ${report.datasetName}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; line-height: 1.4; padding: 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.note { color: #555; font-size: 0.9rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${renderIntro(report)}
${renderHeadline(report)}
${renderCalibration(report)}
${renderRanking(report)}
${renderCapacity(report)}
${renderCloseRates(report)}
${renderDisagreements(report)}
${renderSuggestedPoints(report)}
</body>
</html>
`;
}

function renderIntro(report: CalibrationReport): string {
  return `<p>Model <code>${escapeHtml(report.modelVersion)}</code> against the rules <q>${escapeHtml(report.rulesName)}</q>
(<code>${escapeHtml(report.rulesPath)}</code>) on the same ${report.testLeads} held-out test leads
(${report.testWins} won, ${percent(report.testWins / report.testLeads)}), the latest leads of the model's out-of-time split.
Rule scores are mapped to close rates by isotonic regression fitted on the ${report.trainingLeads} earlier leads,
so both sides can be judged as probabilities. Ties in rule scores are broken by a shuffle with seed ${report.seed}.</p>`;
}

function renderHeadline(report: CalibrationReport): string {
  const rows: [string, number, number, number][] = [
    ['AUC (ranking)', report.model.rankingAuc, report.rules.rankingAuc, 3],
    ['PR-AUC (average precision)', report.model.rankingPrAuc, report.rules.rankingPrAuc, 3],
    ['ECE (10 bins)', report.model.metrics.ece, report.rules.metrics.ece, 3],
    ['Brier score', report.model.metrics.brier, report.rules.metrics.brier, 3],
    ['Log loss', report.model.metrics.logLoss, report.rules.metrics.logLoss, 3],
  ];
  const body = rows.map(([name, model, rules, digits]) => `<tr><td>${name}</td><td>${fixed(model, digits)}</td><td>${fixed(rules, digits)}</td></tr>`).join('\n');
  return `<h2>Summary</h2>
<table id="headline"><thead><tr><th>Measure</th><th>Model</th><th>Rules</th></tr></thead><tbody>
${body}
</tbody></table>
<p class="note">Higher AUC and PR-AUC rank wins better; lower ECE, Brier and log loss mean probabilities closer to observed close rates.</p>`;
}

function renderCalibration(report: CalibrationReport): string {
  const chart = (name: string, color: string, bins: CalibrationReport['model']['reliability']) =>
    lineChart({
      title: `Reliability: ${name}`,
      xLabel: 'predicted close rate',
      yLabel: 'observed close rate',
      diagonal: true,
      series: [{
        name,
        color,
        markers: true,
        points: bins.map((bin) => ({ x: bin.meanProbability, y: bin.observedRate })),
        weights: bins.map((bin) => bin.count),
      }],
    });
  return `<h2>Calibration</h2>
<p class="note">Each dot is one of 10 equal-width probability bins, sized by its number of leads; dots on the dashed line are perfectly calibrated.</p>
<div class="charts">${chart('model', MODEL_COLOR, report.model.reliability)}${chart('rules (mapped)', RULES_COLOR, report.rules.reliability)}</div>`;
}

function renderRanking(report: CalibrationReport): string {
  const roc = lineChart({
    title: 'ROC curve',
    xLabel: 'false positive rate',
    yLabel: 'true positive rate',
    diagonal: true,
    legend: 'bottom-right',
    series: [
      { name: `model (AUC ${fixed(report.model.rankingAuc, 3)})`, color: MODEL_COLOR, points: report.model.roc.map((p) => ({ x: p.falsePositiveRate, y: p.truePositiveRate })) },
      { name: `rules (AUC ${fixed(report.rules.rankingAuc, 3)})`, color: RULES_COLOR, dashed: true, points: report.rules.roc.map((p) => ({ x: p.falsePositiveRate, y: p.truePositiveRate })) },
    ],
  });
  const gain = lineChart({
    title: 'Cumulative gain',
    xLabel: 'share of leads called, best first',
    yLabel: 'share of wins reached',
    diagonal: true,
    legend: 'bottom-right',
    series: [
      { name: 'model', color: MODEL_COLOR, points: report.model.gain.map((p) => ({ x: p.leadShare, y: p.winShare })) },
      { name: 'rules', color: RULES_COLOR, dashed: true, points: report.rules.gain.map((p) => ({ x: p.leadShare, y: p.winShare })) },
    ],
  });
  return `<h2>Ranking</h2>\n<div class="charts">${roc}${gain}</div>`;
}

function renderCapacity(report: CalibrationReport): string {
  const body = report.capacity
    .map((row) => `<tr><td>${escapeHtml(row.label)}</td><td>${row.leads}</td><td>${row.modelWins} (${percent(row.modelCloseRate)})</td><td>${row.rulesWins} (${percent(row.rulesCloseRate)})</td><td>${row.modelOnlyWins}</td><td>${row.rulesOnlyWins}</td></tr>`)
    .join('\n');
  return `<h2>Capacity</h2>
<p class="note">If sales can call only the top of each list: the wins each list hands them, and the wins each list contains that the other one misses.</p>
<table id="capacity"><thead><tr><th>Capacity</th><th>Leads</th><th>Model wins</th><th>Rules wins</th><th>Model finds, rules miss</th><th>Rules find, model misses</th></tr></thead><tbody>
${body}
</tbody></table>`;
}

function renderCloseRates(report: CalibrationReport): string {
  const bars = (rows: readonly CloseRate[]) => rows.map((row) => ({ label: row.label, value: row.closeRate, lower: row.lower, upper: row.upper, note: `${row.leads} leads` }));
  return `<h2>Close rates</h2>
<p class="note">Observed close rate on the test leads with its Wilson 95 % interval (whiskers).</p>
<h3>By model tier</h3>
${closeRateTable('tiers', 'Tier', report.closeRateByTier)}
<h3>By rule-score band</h3>
${closeRateTable('bands', 'Rule points', report.closeRateByRuleBand)}
<div class="charts">${intervalBarChart({ title: 'Close rate by model tier', yLabel: 'close rate', color: MODEL_COLOR, bars: bars(report.closeRateByTier) })}${intervalBarChart({ title: 'Close rate by rule-score band', yLabel: 'close rate', color: RULES_COLOR, bars: bars(report.closeRateByRuleBand) })}</div>`;
}

function closeRateTable(id: string, heading: string, rows: readonly CloseRate[]): string {
  const body = rows.map((row) => `<tr><td>${escapeHtml(row.label)}</td><td>${row.leads}</td><td>${row.wins}</td><td>${percent(row.closeRate)}</td><td>${percent(row.lower)} to ${percent(row.upper)}</td></tr>`).join('\n');
  return `<table id="${id}"><thead><tr><th>${heading}</th><th>Leads</th><th>Won</th><th>Close rate</th><th>95 % interval</th></tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function renderDisagreements(report: CalibrationReport): string {
  const { disagreements } = report;
  const row = (cell: Disagreement) =>
    `<tr><td>${escapeHtml(cell.label)}</td><td>${cell.leads}</td><td>${cell.wins}</td><td>${percent(cell.closeRate)}</td><td>${percent(cell.lower)} to ${percent(cell.upper)}</td><td>${escapeHtml(cell.commonRules.map((rule) => `${rule.ruleId} (${rule.leads})`).join(', '))}</td></tr>`;
  return `<h2>Disagreements</h2>
<p class="note">Hot is the top ${percent(disagreements.hotShare)} of a ranking, cold the bottom ${percent(disagreements.coldShare)}.</p>
<table id="disagreements"><thead><tr><th>Leads</th><th>Count</th><th>Won</th><th>Close rate</th><th>95 % interval</th><th>Rules that fired most</th></tr></thead><tbody>
${[disagreements.rulesHotModelCold, disagreements.modelHotRulesCold, disagreements.bothHot, disagreements.bothCold].map(row).join('\n')}
</tbody></table>`;
}

function renderSuggestedPoints(report: CalibrationReport): string {
  const suggestion = report.suggestedPoints;
  const body = suggestion.rules
    .map((rule) => `<tr><td>${escapeHtml(rule.ruleId)}</td><td>${rule.group}</td><td>${rule.pointsField}</td><td>${rule.currentPoints}</td><td>${rule.suggestedPoints ?? 'no data'}</td><td>${fixed(rule.coefficient, 3)}</td><td>${fixed(rule.lift, 2)}</td><td>${rule.firedLeads}</td><td>${percent(rule.closeRateWhenFired)}</td></tr>`)
    .join('\n');
  return `<h2>Suggested points</h2>
<p class="note">A logistic regression (L2 penalty ${suggestion.l2}) of won/lost on the rules' features over the ${suggestion.trainingLeads} training leads
(close rate ${percent(suggestion.baseCloseRate)}). Coefficients are log-odds per unit; ${fixed(suggestion.pointsPerLogOdds, 2)} points per unit of log-odds
gives the strongest rule the team's largest contribution, ${suggestion.teamPointRange} points. Lift is the close rate when the rule fires over the base rate;
correlated rules share credit, so read coefficient and lift together.
On the test leads the current points rank with AUC ${fixed(suggestion.testAucCurrent, 3)}, the suggested points (without caps) with AUC ${fixed(suggestion.testAucSuggested, 3)}.</p>
<table id="suggested-points"><thead><tr><th>Rule</th><th>Group</th><th>Field</th><th>Current</th><th>Suggested</th><th>Coefficient</th><th>Lift</th><th>Fired on</th><th>Close rate when fired</th></tr></thead><tbody>
${body}
</tbody></table>`;
}

/** Formats a share as a percentage with one decimal, or an en dash for NaN. */
export function percent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : '–';
}

/** Formats a number with fixed digits, or an en dash for NaN. */
export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
