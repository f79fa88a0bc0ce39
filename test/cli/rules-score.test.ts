import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { scoreCsvWithRules } from '../../src/cli/rules-command.ts';
import { parseCsvText } from '../../src/core/csv.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/leadscore.js');
const X_EDUCATION_RULES = path.join(ROOT, 'data/rules/x-education.rules.json');
const WEB_RULES = path.join(ROOT, 'data/rules/web-behaviour.rules.json');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-rules-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const X_EDUCATION_HEADER = 'Lead Origin,Lead Source,Do Not Email,Do Not Call,TotalVisits,Total Time Spent on Website,Page Views Per Visit,Last Activity,Specialization,What is your current occupation,A free copy of Mastering The Interview';

describe('rules score', () => {
  it('adds score columns and reports a bad row by number', async () => {
    const data = path.join(dir, 'leads.csv');
    await writeFile(data, [
      X_EDUCATION_HEADER,
      'Lead Add Form,Reference,No,No,14,700,2.5,Email Opened,Finance Management,Working Professional,No',
      'API,Olark Chat,Yes,No,many,0,0,Unsubscribed,,,No',
      'API,Olark Chat,Yes,No,0,0,0,Unsubscribed,,,No',
    ].join('\n'));

    const result = await scoreCsvWithRules({ rules: X_EDUCATION_RULES, data });
    const table = parseCsvText(result.csv);

    expect(result.scored).toBe(2);
    expect(result.problems).toEqual([{ row: 3, message: expect.stringMatching(/row 3: column 'TotalVisits': "many"/) }]);
    expect(table.header.slice(-5)).toEqual(['rule_score', 'rule_fit', 'rule_engagement', 'rules_fired', 'error']);
    expect(table.rows).toHaveLength(3);
    expect(table.rows[0]!.slice(-5, -2)).toEqual(['+47', '+28', '+19']);
    expect(table.rows[0]!.at(-2)).toBe('lead-add-form:+10 referred:+10 working-professional:+5 management-specialization:+3 site-visits:+10 time-on-site:+4 pages-per-visit:+2 email-opened:+3');
    expect(table.rows[0]!.at(-1)).toBe('');
    // The bad row stays in place with its values, empty scores and the problem.
    expect(table.rows[1]!.slice(0, 5)).toEqual(['API', 'Olark Chat', 'Yes', 'No', 'many']);
    expect(table.rows[1]!.slice(-5, -1)).toEqual(['', '', '', '']);
    expect(table.rows[1]!.at(-1)).toMatch(/column 'TotalVisits': "many"/);
    // Unsubscribed -20 and Do Not Email -20.
    expect(table.rows[2]!.slice(-5, -2)).toEqual(['-40', '0', '-40']);
  });

  it('reads a semicolon export and reports a short row', async () => {
    const data = path.join(dir, 'leads-semicolon.csv');
    await writeFile(data, [
      X_EDUCATION_HEADER.replaceAll(',', ';'),
      'Lead Add Form;Reference;No;No;14;700;2.5;Email Opened;Finance Management;Working Professional;No',
      'API;Olark Chat;Yes;No;0',
      'API;Olark Chat;Yes;No;0;0;0;Unsubscribed;;;No',
    ].join('\n'));

    const result = await scoreCsvWithRules({ rules: X_EDUCATION_RULES, data });
    const table = parseCsvText(result.csv);

    expect(result.scored).toBe(2);
    expect(result.problems).toEqual([{ row: 3, message: `${data} row 3: the row has 5 fields but the header has 11. Check for a missing or extra delimiter or an unclosed quote` }]);
    expect(table.rows[0]!.slice(-5, -2)).toEqual(['+47', '+28', '+19']);
    // The short row is padded to the header's 11 fields and keeps its error.
    expect(table.rows[1]).toHaveLength(16);
    expect(table.rows[1]!.slice(0, 6)).toEqual(['API', 'Olark Chat', 'Yes', 'No', '0', '']);
    expect(table.rows[1]!.at(-1)).toMatch(/the row has 5 fields but the header has 11/);
    expect(table.rows[2]!.slice(-5, -2)).toEqual(['-40', '0', '-40']);
  });

  it('rejects an export without the columns the rules read', async () => {
    const data = path.join(dir, 'other.csv');
    await writeFile(data, 'id,email\n1,a@b.com\n');

    await expect(scoreCsvWithRules({ rules: X_EDUCATION_RULES, data })).rejects.toThrow(/missing column\(s\) 'Lead Origin'/);
  });

  it('scores dated activities as of a date', async () => {
    const data = path.join(dir, 'web-leads.csv');
    const activities = path.join(dir, 'activities.csv');
    await writeFile(data, 'id,email,job_title,industry,company_size,lead_source\nL1,ana@acme.io,VP Sales,software,120,referral\nL2,bo@gmail.com,analyst,retail,10,web\n');
    await writeFile(activities, [
      'lead_id,type,page,asset,occurred_at',
      'L1,demo_requested,,,2024-06-30',
      'L1,page_viewed,/pricing,,2024-05-31T00:00:00Z',
      'L1,page_viewed,/careers/sales,,2024-06-29',
      'L2,email_bounced,,,2024-06-01',
      'L2,form_submitted,,,31/05/2024',
    ].join('\n'));

    const result = await scoreCsvWithRules({ rules: WEB_RULES, data, activities, idColumn: 'id', asOf: '2024-06-30' });
    const rows = parseCsvText(result.csv).rows;

    // L1: fit 15 + 10 + 10 + 10 = 45, capped at 40; demo 25 + pricing 5 halved after 30 days = 27.5.
    expect(rows[0]!.slice(-5, -2)).toEqual(['+67.5', '+40', '+27.5']);
    // L2: free email -5 and a bounce -10 that does not decay; the total floor is 0.
    expect(rows[1]!.slice(-5, -2)).toEqual(['0', '-5', '-10']);
    expect(result.problems).toEqual([{ row: 6, message: expect.stringMatching(/row 6: occurred_at "31\/05\/2024" is not a date/) }]);
  });

  it('writes every row and exits 2 on invalid rows', async () => {
    const data = path.join(dir, 'cli-leads.csv');
    const out = path.join(dir, 'scored.csv');
    await writeFile(data, `${X_EDUCATION_HEADER}\nAPI,Google,No,No,3,,,,,,No\nAPI,Google,No,No,-1,,,,,,No\n`);

    const result = spawnSync(process.execPath, [CLI, 'rules', 'score', '--rules', X_EDUCATION_RULES, '--data', data, '--out', out], { encoding: 'utf8' });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('row 3: column \'TotalVisits\': "-1"');
    expect(result.stderr).toContain('scored 1 leads');
    const rows = parseCsvText(await readFile(out, 'utf8')).rows;
    expect(rows).toHaveLength(2);
    expect(rows[1]!.at(-1)).toContain('"-1"');
  });

  it('prints every problem of an invalid rules file', async () => {
    const rules = path.join(dir, 'bad.rules.json');
    await writeFile(rules, JSON.stringify({ name: 'bad', rules: [{ id: 'x', group: 'fit', kind: 'column-value', column: 'a', when: { equals: 'b' }, points: 0 }] }));

    const result = spawnSync(process.execPath, [CLI, 'rules', 'score', '--rules', rules, '--data', path.join(dir, 'leads.csv')], { encoding: 'utf8' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('rules[0].points: points must not be 0 (received 0)');
  });
});

describe('rules options in --help', () => {
  it.each([
    [['serve', '--help'], '--rules <file>'],
    [['start', '--help'], '--rules <file>'],
    [['rules', 'score', '--help'], '--activities <file>'],
    [['report', 'calibration', '--help'], '--capacity <list>'],
  ])('%s lists %s', (args, option) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(option);
  });
});
