import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashApiKey } from '../../src/db/api-keys.ts';
import { openDatabase } from '../../src/db/database.ts';
import { makeTempDir } from '../helpers/test-app.ts';

const CLI = path.resolve(import.meta.dirname, '../../bin/leadscore.js');

let dataDir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  const temp = await makeTempDir('keys-cli');
  dataDir = temp.dir;
  removeDir = temp.remove;
});
afterAll(() => removeDir());

function runKeys(args: string[]) {
  return spawnSync(process.execPath, [CLI, 'keys', ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 });
}

describe('leadscore keys', () => {
  it('creates a key, prints it once and stores only its hash', async () => {
    const created = runKeys(['create', '--name', 'crm-sync']);

    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain("created API key 1 'crm-sync'");
    const database = await openDatabase({ dataDir });
    try {
      const row = await database.client.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } });
      expect(row.name).toBe('crm-sync');
    } finally {
      await database.close();
    }

    const listed = runKeys(['list']);
    expect(listed.stdout).toContain(`1\tcrm-sync\t${key.slice(0, 12)}...`);
    expect(listed.stdout).not.toContain(key);
  });

  it('revokes a key by id and rejects an unknown id', () => {
    runKeys(['create', '--name', 'temporary']);

    const revoked = runKeys(['revoke', '2']);
    const again = runKeys(['revoke', '2']);

    expect(revoked.status).toBe(0);
    expect(runKeys(['list']).stdout).toMatch(/2\ttemporary\t.*revoked/);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('no active API key has id 2');
  });

  it('rejects an empty name', () => {
    const result = runKeys(['create', '--name', ' ']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--name must not be empty');
  });
});
