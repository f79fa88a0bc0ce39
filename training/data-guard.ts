import type { ImportCounts } from '../src/core/import/import-report.ts';

/** Training stopped because the export has too few labelled leads or wins. */
export class InsufficientDataError extends Error {
  override name = 'InsufficientDataError';
}

export interface MinimumData {
  leads: number;
  wins: number;
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
      `${counts.rejected} rows were rejected. Export more closed deals, lower minimumData in the config, ` +
      `or score leads with rules (hand-set points per attribute) until enough deals have closed; ` +
      `--force trains anyway and marks the model low-confidence.`,
  );
}
