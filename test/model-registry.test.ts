import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { findActiveModelDir, readActiveVersion } from '../src/core/model-registry.ts';
import { parseTierList } from '../src/core/tiers.ts';

async function modelsDirWith(activeJson?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-registry-'));
  if (activeJson !== undefined) await writeFile(path.join(dir, 'active.json'), activeJson);
  return dir;
}

describe('model registry', () => {
  it('has no active model when active.json does not exist', async () => {
    const dir = await modelsDirWith();
    expect(await readActiveVersion(dir)).toBeUndefined();
    expect(await findActiveModelDir(dir)).toBeUndefined();
  });

  it('reports a damaged active.json instead of treating it as empty', async () => {
    const dir = await modelsDirWith('{bad');
    await expect(findActiveModelDir(dir)).rejects.toThrow(/active\.json' is not valid JSON/);
  });

  it('reports an active version whose folder is missing', async () => {
    const dir = await modelsDirWith('{"version": "gone-20260101-000000-mlp"}');
    await expect(findActiveModelDir(dir)).rejects.toThrow(/names model 'gone-20260101-000000-mlp', but .* has no complete folder/);
  });
});

describe('parseTierList', () => {
  it('rejects repeated tier names', () => {
    expect(() => parseTierList('hot:0.6,hot:0.3,cold:0')).toThrow(/tier names must be unique; repeated: hot/);
  });
});
