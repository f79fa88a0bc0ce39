import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RulesFile } from '../../src/core/rules/rules-schema.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { recordRuleSet } from '../../src/db/rule-sets.ts';
import { makeTempDir } from '../helpers/test-app.ts';

let database: Database;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  const temp = await makeTempDir('rule-sets');
  removeDir = temp.remove;
  database = await openDatabase({ dataDir: temp.dir });
});
afterAll(async () => {
  await database.close();
  await removeDir();
});

function rulesWithPoints(points: number): RulesFile {
  return {
    name: 'fit rules',
    rules: [{ id: 'referral', group: 'fit', kind: 'column-value', column: 'Lead Source', when: { equals: 'Reference' }, points }],
    exclusions: [],
    groupCaps: {},
  } as RulesFile;
}

describe('recordRuleSet', () => {
  it('adds a version only when the content changes', async () => {
    const first = await recordRuleSet(database.client, rulesWithPoints(10));
    const same = await recordRuleSet(database.client, rulesWithPoints(10));
    const changed = await recordRuleSet(database.client, rulesWithPoints(12));

    expect([first, same, changed]).toEqual([1, 1, 2]);
    expect(await database.client.ruleSet.count({ where: { name: 'fit rules' } })).toBe(2);
  });
});
