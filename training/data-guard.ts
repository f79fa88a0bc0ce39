import type { ImportCounts } from '../src/core/import/import-report.ts';

/** Training stopped because the export has too few labelled leads or wins. */
export class InsufficientDataError extends Error {
  override name = 'InsufficientDataError';
}

export interface MinimumData {
  leads: number;
  wins: number;
}

/** Points at a config mistake when the counts look like one rather than like a small export. */
function likelyCause(counts: ImportCounts): string {
  if (counts.rowsUsed > 0 && counts.won === 0) {
    return ' (no lead counts as won: check that positiveValues, or wonValues under labelFromDates, match the values in the export)';
  }
  if (counts.rejected > counts.rowsRead / 2) {
    return ' (most rows were rejected: check the column types declared in the config, such as a text column declared numeric)';
  }
  return '';
}

/**
 * Checks the labelled leads and wins against the configured minimum. Below it, throws
 * InsufficientDataError saying what is missing, unless `force` is set: then it returns the
 * shortfall so the model can be marked low-confidence. Returns undefined when there is enough data.
 */
export function checkMinimumData(counts: ImportCounts, minimum: MinimumData, force: boolean): string | undefined {
  const shortfalls: string[] = [];
  if (counts.rowsUsed < minimum.leads) shortfalls.push(`${counts.rowsUsed} labelled leads (minimum ${minimum.leads})`);
  if (counts.won < minimum.wins) shortfalls.push(`${counts.won} wins (minimum ${minimum.wins})`);
  if (shortfalls.length === 0) return undefined;

  const shortfall = `only ${shortfalls.join(' and ')}`;
  if (force) return shortfall;
  throw new InsufficientDataError(
    `not enough closed deals to train: the export has ${shortfall}; ${counts.censored} leads are still open and ` +
      `${counts.rejected} rows were rejected${likelyCause(counts)}. Export more closed deals, lower minimumData in the config, ` +
      `or score leads with rules (hand-set points per attribute) until enough deals have closed; ` +
      `--force trains anyway and marks the model low-confidence.`,
  );
}
