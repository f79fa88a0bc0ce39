import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { RulesFile } from './rules-schema.ts';

/** One problem in a rules file: where it is, the value found there and what is allowed. */
export interface RulesFileIssue {
  path: string;
  received: unknown;
  message: string;
}

/** Error for a rules file that cannot be read, is not JSON, or breaks the schema, listing every problem. */
export class RulesFileError extends Error {
  override name = 'RulesFileError';

  constructor(
    readonly source: string,
    readonly issues: RulesFileIssue[],
  ) {
    const lines = issues.map((issue) => `  ${issue.path}: ${issue.message} (received ${describeValue(issue.received)})`);
    super(`rules file ${source} is invalid:\n${lines.join('\n')}`);
  }
}

/**
 * Validates parsed JSON as a rules file. `source` names the file in error messages.
 * Throws RulesFileError listing every problem, each with its path and the value found.
 */
export function parseRulesFile(json: unknown, source: string): RulesFile {
  const result = RulesFile.safeParse(json);
  if (!result.success) {
    throw new RulesFileError(source, result.error.issues.map((issue) => toRulesFileIssue(json, issue)));
  }

  const issues = findCrossFieldIssues(result.data);
  if (issues.length > 0) {
    throw new RulesFileError(source, issues);
  }
  return result.data;
}

/** Reads and validates a rules file (UTF-8 JSON). Throws RulesFileError when it is missing or invalid. */
export async function loadRulesFile(path: string): Promise<RulesFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new RulesFileError(path, [{ path: '(file)', received: path, message: reason }]);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesFileError(path, [{ path: '(file)', received: path, message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return parseRulesFile(json, path);
}

function findCrossFieldIssues(rules: RulesFile): RulesFileIssue[] {
  const issues: RulesFileIssue[] = [];
  const seen = new Set<string>();
  const ids = [
    ...rules.rules.map((rule, index) => ({ id: rule.id, path: `rules[${index}].id` })),
    ...rules.exclusions.map((exclusion, index) => ({ id: exclusion.id, path: `exclusions[${index}].id` })),
  ];
  for (const { id, path } of ids) {
    if (seen.has(id)) {
      issues.push({ path, received: id, message: 'duplicate id; every rule and exclusion needs its own id' });
    }
    seen.add(id);
  }

  if (rules.totalCap !== undefined && rules.totalFloor !== undefined && rules.totalFloor >= rules.totalCap) {
    issues.push({ path: 'totalFloor', received: rules.totalFloor, message: `must be below totalCap (${rules.totalCap})` });
  }

  const usesActivities = rules.rules.some((rule) => rule.kind === 'activity');
  if (!usesActivities && (rules.decay !== undefined || rules.scoringPeriodDays !== undefined)) {
    issues.push({
      path: rules.decay !== undefined ? 'decay' : 'scoringPeriodDays',
      received: rules.decay ?? rules.scoringPeriodDays,
      message: 'decay and scoringPeriodDays apply only to activity rules, and this file has none',
    });
  }
  return issues;
}

function toRulesFileIssue(json: unknown, issue: z.core.$ZodIssue): RulesFileIssue {
  if (issue.code === 'unrecognized_keys') {
    const path = [...issue.path, issue.keys[0] ?? ''];
    return { path: formatPath(path), received: valueAt(json, path), message: `${issue.message}; remove it or check its spelling` };
  }
  return { path: formatPath(issue.path), received: valueAt(json, issue.path), message: issue.message };
}

/** Formats a zod path as `rules[3].when.matches`. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return '(root)';
  }
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) {
    if (value === null || typeof value !== 'object') {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
