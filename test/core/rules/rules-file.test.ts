import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesFile, parseRulesFile, RulesFileError } from '../../../src/core/rules/rules-file.ts';

const validRule = { id: 'add-form', group: 'fit', kind: 'column-value', column: 'Lead Origin', when: { equals: 'Lead Add Form' }, points: 10 };

function issuesOf(json: unknown) {
  try {
    parseRulesFile(json, 'rules.json');
  } catch (error) {
    if (error instanceof RulesFileError) {
      return error.issues;
    }
    throw error;
  }
  throw new Error('expected the rules file to be rejected');
}

describe('parseRulesFile', () => {
  it('accepts a valid file and fills defaults', () => {
    const rules = parseRulesFile({ name: 'r', rules: [{ id: 'visits', group: 'engagement', kind: 'column-count', column: 'TotalVisits', pointsPerUnit: 1, cap: 10 }] }, 'r');

    expect(rules.rules[0]).toMatchObject({ unitSize: 1 });
    expect(rules.exclusions).toEqual([]);
    expect(rules.groupCaps).toEqual({});
  });

  it('names path, value and allowed kinds for an unknown kind', () => {
    const issues = issuesOf({ name: 'r', rules: [{ ...validRule, kind: 'column-vlue' }] });

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('rules[0].kind');
    expect(issues[0]?.received).toBe('column-vlue');
    expect(issues[0]?.message).toContain("'column-value' | 'column-count' | 'activity'");
  });

  it('rejects zero points and a cap below 1', () => {
    const issues = issuesOf({
      name: 'r',
      rules: [
        { ...validRule, points: 0 },
        { id: 'visits', group: 'engagement', kind: 'column-count', column: 'TotalVisits', pointsPerUnit: 1, cap: -5 },
      ],
    });

    expect(issues.map((issue) => [issue.path, issue.received])).toEqual([
      ['rules[0].points', 0],
      ['rules[1].cap', -5],
    ]);
  });

  it('rejects a condition with two forms', () => {
    const issues = issuesOf({ name: 'r', rules: [{ ...validRule, when: { equals: 'a', in: ['b'] } }] });

    expect(issues[0]?.path).toBe('rules[0].when');
    expect(issues[0]?.message).toMatch(/exactly one of equals, in, matches/);
  });

  it('rejects a regular expression that does not compile', () => {
    const issues = issuesOf({ name: 'r', rules: [{ ...validRule, when: { matches: '(unclosed' } }] });

    expect(issues[0]?.path).toBe('rules[0].when.matches');
    expect(issues[0]?.received).toBe('(unclosed');
    expect(issues[0]?.message).toMatch(/not a valid regular expression/);
  });

  it('names an unknown key so a typo is found', () => {
    const issues = issuesOf({ name: 'r', rules: [{ ...validRule, pionts: 5 }] });

    expect(issues[0]?.path).toBe('rules[0].pionts');
    expect(issues[0]?.received).toBe(5);
  });

  it('rejects duplicate ids across rules and exclusions', () => {
    const issues = issuesOf({ name: 'r', rules: [validRule], exclusions: [{ id: 'add-form', column: 'x', when: { equals: 'y' } }] });

    expect(issues).toEqual([{ path: 'exclusions[0].id', received: 'add-form', message: expect.stringContaining('duplicate id') }]);
  });

  it('rejects mixed decay forms and a floor above the cap', () => {
    expect(issuesOf({ name: 'r', rules: [validRule], decay: { halfLifeDays: 30, periodDays: 7 } })[0]?.path).toBe('decay');
    expect(issuesOf({ name: 'r', rules: [validRule], totalCap: 10, totalFloor: 10 })[0]?.path).toBe('totalFloor');
  });

  it('rejects decay in a file without activity rules', () => {
    const issues = issuesOf({ name: 'r', rules: [validRule], decay: { halfLifeDays: 30 } });

    expect(issues[0]?.message).toMatch(/apply only to activity rules/);
  });

  it('puts every problem in the error message', () => {
    expect(() => parseRulesFile({ rules: [] }, 'team.rules.json')).toThrow(
      /rules file team\.rules\.json is invalid:\n {2}name: .*\n {2}rules: .*received \[\]/,
    );
  });
});

describe('loadRulesFile', () => {
  it('reports a missing file and invalid JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rules-'));
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ not json');

    await expect(loadRulesFile(join(dir, 'absent.json'))).rejects.toThrow(/file not found/);
    await expect(loadRulesFile(broken)).rejects.toThrow(/not valid JSON/);
  });

  it.each(['data/rules/x-education.rules.json', 'data/rules/web-behaviour.rules.json'])('loads the shipped %s', async (path) => {
    const rules = await loadRulesFile(path);

    expect(rules.rules.length).toBeGreaterThan(5);
  });
});
