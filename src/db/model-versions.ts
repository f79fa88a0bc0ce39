import type { Prisma } from '../generated/sqlite/client.ts';
import type { DatabaseClient } from './database.ts';

export type ModelVersionStatus = 'active' | 'candidate' | 'retired';

export interface ModelVersionInput {
  version: string;
  path: string;
  metrics: unknown;
}

/**
 * Records a model bundle as a candidate when it is new, and returns its row. An existing row keeps
 * its status. Two requests recording the same new version race on the unique index; the loser
 * reads the winner's row.
 */
export async function recordModelVersion(db: DatabaseClient, input: ModelVersionInput) {
  return db.modelVersion.upsert({
    where: { version: input.version },
    create: { version: input.version, path: input.path, status: 'candidate', metrics: input.metrics as Prisma.InputJsonValue },
    update: {},
  });
}

/** Marks `version` active and the previously active version retired, in one transaction. */
export async function markModelActive(db: DatabaseClient, input: ModelVersionInput) {
  return db.$transaction(async (transaction) => {
    await transaction.modelVersion.updateMany({
      where: { status: 'active', version: { not: input.version } },
      data: { status: 'retired' },
    });
    return transaction.modelVersion.upsert({
      where: { version: input.version },
      create: {
        version: input.version,
        path: input.path,
        status: 'active',
        metrics: input.metrics as Prisma.InputJsonValue,
        activatedAt: new Date(),
      },
      update: { status: 'active', activatedAt: new Date() },
    });
  });
}

/** Returns each recorded version's status and activation time. */
export async function readModelVersionStatuses(db: DatabaseClient) {
  const rows = await db.modelVersion.findMany({ select: { version: true, status: true, activatedAt: true } });
  return new Map(rows.map((row) => [row.version, { status: row.status as ModelVersionStatus, activatedAt: row.activatedAt }]));
}
