import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { openDatabase, type DatabaseClient, type DatabaseOptions } from '../db/database.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Prisma client of the lead store. */
    db: DatabaseClient;
  }
}

/**
 * Opens the lead store (SQLite file by default, PostgreSQL when a URL is given), applies pending
 * migrations, decorates the app with the Prisma client and disconnects it when the app closes.
 */
async function database(app: FastifyInstance, options: DatabaseOptions): Promise<void> {
  const opened = await openDatabase(options);
  const { target } = opened;
  // The URL may carry a password, so only the provider and the file or schema are logged.
  const where = target.provider === 'sqlite' ? { file: target.file } : { schema: target.schema };
  app.log.info({ provider: target.provider, ...where, appliedMigrations: opened.appliedMigrations }, 'database opened');

  app.decorate('db', opened.client);
  app.addHook('onClose', async () => {
    await opened.close();
  });
}

export default fp(database, { name: 'database' });
