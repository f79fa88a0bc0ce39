import type { TierSpec } from './dataset-config.ts';
import { InvalidInputError, type InputIssue } from './errors.ts';
import { quantile } from './features.ts';

/** Default tier names, hottest first. */
export const DEFAULT_TIER_NAMES = ['hot', 'warm', 'cool', 'cold'] as const;

/**
 * Derives default tiers from the quartiles of calibrated probabilities on the training leads,
 * so each tier contains about a quarter of past leads (the convention of priority quartiles).
 */
export function quartileTiers(probabilities: ArrayLike<number>): TierSpec[] {
  const sorted = Array.from(probabilities).sort((a, b) => a - b);
  const cuts = [0.75, 0.5, 0.25].map((q) => roundProbability(quantile(sorted, q)));
  return [
    { name: DEFAULT_TIER_NAMES[0], minProbability: cuts[0]! },
    { name: DEFAULT_TIER_NAMES[1], minProbability: cuts[1]! },
    { name: DEFAULT_TIER_NAMES[2], minProbability: cuts[2]! },
    { name: DEFAULT_TIER_NAMES[3], minProbability: 0 },
  ];
}

function roundProbability(p: number): number {
  return Math.round(p * 10_000) / 10_000;
}

/**
 * Checks tiers for use: sorted hottest first, the last one starting at 0 so every lead gets a
 * tier. Returns a list of problems, empty when the tiers are usable.
 */
export function tierProblems(tiers: readonly TierSpec[]): string[] {
  const problems: string[] = [];
  tiers.forEach((tier, index) => {
    const next = tiers[index + 1];
    if (next && next.minProbability >= tier.minProbability) {
      problems.push(
        `tier '${next.name}' (minProbability ${next.minProbability}) must have a lower threshold than '${tier.name}' (${tier.minProbability}); list tiers hottest first`,
      );
    }
  });
  const names = tiers.map((tier) => tier.name);
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  if (duplicates.length > 0) problems.push(`tier names must be unique; repeated: ${[...new Set(duplicates)].join(', ')}`);
  const last = tiers[tiers.length - 1];
  if (last && last.minProbability !== 0) {
    problems.push(`the last tier '${last.name}' must have minProbability 0 so that every lead gets a tier`);
  }
  return problems;
}

/** Returns the name of the first tier whose threshold the probability reaches. */
export function assignTier(tiers: readonly TierSpec[], probability: number): string {
  for (const tier of tiers) if (probability >= tier.minProbability) return tier.name;
  return tiers[tiers.length - 1]?.name ?? 'unranked';
}

/**
 * Parses tiers written as "hot:0.6,warm:0.3,cold:0". Throws an Error naming the bad entry.
 */
export function parseTierList(text: string): TierSpec[] {
  const tiers = text.split(',').map((entry) => {
    const [name, threshold] = entry.split(':').map((part) => part.trim());
    const minProbability = Number(threshold);
    if (!name || threshold === undefined || threshold === '' || !Number.isFinite(minProbability) || minProbability < 0 || minProbability > 1) {
      throw new Error(`tier entry '${entry}' is invalid; expected name:probability with a probability from 0 to 1, as in "hot:0.6,warm:0.3,cold:0"`);
    }
    return { name, minProbability };
  });
  const problems = tierProblems(tiers);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return tiers;
}

/**
 * Checks tier names a client sent against the served tiers, case-sensitively, because scores
 * store the name as the model assigns it. Returns one issue per unknown name, at `path` plus its
 * index when `names` came as a list.
 */
export function unknownTierIssues(names: readonly string[], tiers: readonly TierSpec[], path: (string | number)[], listed: boolean): InputIssue[] {
  const known = tiers.map((tier) => tier.name);
  const expected = `one of ${known.map((name) => `"${name}"`).join(', ')}`;
  const issues: InputIssue[] = [];
  names.forEach((name, index) => {
    if (known.includes(name)) return;
    issues.push({
      path: listed ? [...path, index] : path,
      code: 'invalid_value',
      expected,
      received: `"${name}"`,
      message: `tier "${name}" is not a tier of the served model; expected ${expected}`,
    });
  });
  return issues;
}

/** Throws InvalidInputError (400) listing every name of `names` that is not a served tier. */
export function assertKnownTiers(names: readonly string[], tiers: readonly TierSpec[], path: (string | number)[], listed: boolean): void {
  const issues = unknownTierIssues(names, tiers, path, listed);
  if (issues.length === 0) return;

  const known = tiers.map((tier) => tier.name).join(', ');
  const count = issues.length === 1 ? 'an unknown tier' : `${issues.length} unknown tiers`;
  throw new InvalidInputError(`the request names ${count}. The served model's tiers are ${known}`, issues);
}
