import { describe, expect, it } from 'vitest';

import { build } from '../../src/app.ts';
import { loadServerConfig } from '../../src/config.ts';
import { redactDatabaseUrl } from '../../src/db/database-url.ts';
import { makeTempDir, trainTestModels } from '../helpers/test-app.ts';

describe('redactDatabaseUrl', () => {
  it('hides the password after the user name', () => {
    expect(redactDatabaseUrl('postgresql://dana:s3cretpw@127.0.0.1:5432/db')).toBe('postgresql://dana:***@127.0.0.1:5432/db');
  });

  it('hides a password query parameter', () => {
    expect(redactDatabaseUrl('postgresql://127.0.0.1/db?user=dana&password=s3cretpw&schema=x')).toBe(
      'postgresql://127.0.0.1/db?user=dana&password=***&schema=x',
    );
  });

  it('keeps a URL without a password unchanged', () => {
    expect(redactDatabaseUrl('postgresql://dana@127.0.0.1:5432/db')).toBe('postgresql://dana@127.0.0.1:5432/db');
    expect(redactDatabaseUrl('postgresql://127.0.0.1:5432/db?schema=a')).toBe('postgresql://127.0.0.1:5432/db?schema=a');
  });
});

describe('DATABASE_URL in start-up errors', () => {
  it('redacts the password of a rejected setting', () => {
    let message = '';
    try {
      loadServerConfig({ DATABASE_URL: 'mysql://dana:s3cretpw@127.0.0.1/db' });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('DATABASE_URL="mysql://dana:***@127.0.0.1/db"');
    expect(message).not.toContain('s3cretpw');
  });

  it('redacts the password when the server cannot connect', async () => {
    const temp = await makeTempDir('database-url');
    const lines: string[] = [];
    const logStream = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    try {
      await trainTestModels(`${temp.dir}/models`);
      // Port 1 on loopback refuses the connection at once, so the app fails while opening the store.
      const built = build({
        modelsDir: `${temp.dir}/models`,
        logLevel: 'debug',
        logStream,
        database: { dataDir: temp.dir, databaseUrl: 'postgresql://dana:s3cretpw@127.0.0.1:1/db' },
      });

      const error = await built.then(
        () => undefined,
        (rejection: unknown) => rejection as Error,
      );

      expect(error?.message).toMatch(/^could not connect to PostgreSQL at postgresql:\/\/dana:\*\*\*@127\.0\.0\.1:1\/db: /);
      expect(error?.message).not.toContain('s3cretpw');
      expect(lines.join('')).not.toContain('s3cretpw');
    } finally {
      await temp.remove();
    }
  });
});
