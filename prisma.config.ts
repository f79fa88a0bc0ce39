import { fileURLToPath } from 'node:url';

import { defineConfig } from 'prisma/config';

// Prisma 7.10's `generate` wants a schema engine binary on disk and downloads one when it is
// missing, which fails offline. It never runs the engine, so a stub that explains itself is enough.
// The app applies migrations itself (src/db/migrations.ts); set the variable to a real engine to
// use `prisma migrate`.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./prisma/schema-engine-unavailable.sh', import.meta.url));

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
