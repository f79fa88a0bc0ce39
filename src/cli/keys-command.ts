import type { Command } from 'commander';

import { loadServerConfig } from '../config.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../db/api-keys.ts';
import { openDatabase, type Database } from '../db/database.ts';

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const config = loadServerConfig();
  const database = await openDatabase({ dataDir: config.DATA_DIR, ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}) });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** Registers `leadscore keys create|list|revoke`, which manage API keys in the configured database. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys in the database set by DATA_DIR or DATABASE_URL');

  keys
    .command('create')
    .description('create an API key and print it once; only its SHA-256 hash is stored')
    .requiredOption('-n, --name <name>', 'who or what uses the key, for example "crm-sync"')
    .action(async (options: { name: string }) => {
      const name = options.name.trim();
      if (name === '') throw new Error("--name must not be empty; name the client that will use the key, for example --name crm-sync");
      const { key, summary } = await withDatabase((database) => createApiKey(database.client, name));
      console.log(key);
      console.error(`created API key ${summary.id} '${summary.name}'; store it now, it cannot be shown again`);
    });

  keys
    .command('list')
    .description('list API keys: id, name, first characters, created and revoked dates')
    .action(async () => {
      const rows = await withDatabase((database) => listApiKeys(database.client));
      for (const row of rows) {
        const revoked = row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : 'active';
        console.log(`${row.id}\t${row.name}\t${row.prefix}...\tcreated ${row.createdAt.toISOString()}\t${revoked}`);
      }
    });

  keys
    .command('revoke')
    .description('revoke an API key by the id that `keys list` prints')
    .argument('<id>', 'key id')
    .action(async (id: string) => {
      const keyId = Number(id);
      if (!Number.isInteger(keyId) || keyId <= 0) throw new Error(`key id '${id}' is not a positive integer; 'leadscore keys list' prints the ids`);
      const revoked = await withDatabase((database) => revokeApiKey(database.client, keyId));
      if (!revoked) throw new Error(`no active API key has id ${keyId}; 'leadscore keys list' prints the ids`);
      console.error(`revoked API key ${keyId}`);
    });
}
