import type { CalibrationReport } from './calibration-report.ts';
import { fixed, percent } from './html-page.ts';

/** Number of rule changes the summary lists, largest change first. */
const CHANGES_LISTED = 5;

/** Renders a short Markdown summary: headline measures, capacity, disagreements, largest point changes. */
export function renderReportMarkdown(report: CalibrationReport): string {
  const { model, rules, disagreements } = report;
  const lines = [
    `# Model vs rules: ${report.datasetName}`,
    '',
    `Model \`${report.modelVersion}\` against rules "${report.rulesName}" on ${report.testLeads} held-out test leads (${report.testWins} won, ${percent(report.testWins / report.testLeads)}).`,
    '',
    '| Measure | Model | Rules |',
    '| --- | ---: | ---: |',
    `| AUC | ${fixed(model.rankingAuc, 3)} | ${fixed(rules.rankingAuc, 3)} |`,
    `| PR-AUC | ${fixed(model.rankingPrAuc, 3)} | ${fixed(rules.rankingPrAuc, 3)} |`,
    `| ECE | ${fixed(model.metrics.ece, 3)} | ${fixed(rules.metrics.ece, 3)} |`,
    `| Brier | ${fixed(model.metrics.brier, 3)} | ${fixed(rules.metrics.brier, 3)} |`,
    `| Log loss | ${fixed(model.metrics.logLoss, 3)} | ${fixed(rules.metrics.logLoss, 3)} |`,
    '',
    '## Capacity',
    '',
    '| Capacity | Leads | Model wins | Rules wins | Model finds, rules miss | Rules find, model misses |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.capacity.map((row) => `| ${row.label} | ${row.leads} | ${row.modelWins} | ${row.rulesWins} | ${row.modelOnlyWins} | ${row.rulesOnlyWins} |`),
    '',
    '## Disagreements',
    '',
    `Hot is the top ${percent(disagreements.hotShare)} of a ranking, cold the bottom ${percent(disagreements.coldShare)}.`,
    '',
    ...[disagreements.rulesHotModelCold, disagreements.modelHotRulesCold].map(
      (cell) => `- ${cell.label}: ${cell.leads} leads, ${cell.wins} won (${percent(cell.closeRate)}, 95 % interval ${percent(cell.lower)} to ${percent(cell.upper)})`,
    ),
    '',
    '## Largest suggested point changes',
    '',
    ...largestChanges(report),
    '',
    `Current points rank the test leads with AUC ${fixed(report.suggestedPoints.testAucCurrent, 3)}; the suggested points with AUC ${fixed(report.suggestedPoints.testAucSuggested, 3)}.`,
    '',
  ];
  return lines.join('\n');
}

function largestChanges(report: CalibrationReport): string[] {
  return report.suggestedPoints.rules
    .filter((rule) => rule.suggestedPoints !== null)
    .sort((a, b) => Math.abs(b.suggestedPoints! - b.currentPoints) - Math.abs(a.suggestedPoints! - a.currentPoints))
    .slice(0, CHANGES_LISTED)
    .map((rule) => `- \`${rule.ruleId}\`: ${rule.currentPoints} → ${rule.suggestedPoints} ${rule.pointsField} (lift ${fixed(rule.lift, 2)} on ${rule.firedLeads} training leads)`);
}
