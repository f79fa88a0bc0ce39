import type { Prisma } from '../generated/sqlite/client.ts';
import type { DatabaseClient } from './database.ts';
import { RecordNotFoundError } from './errors.ts';
import type { SegmentField } from './segments.ts';

/** A lead as the CRM sends it. */
export interface LeadInput {
  externalId: string;
  attributes: Record<string, string | number | boolean | null>;
  segments: Record<SegmentField, string | null>;
}

/** One thing a lead did, as the CRM reports it. */
export interface ActivityInput {
  type: string;
  page?: string | null | undefined;
  asset?: string | null | undefined;
  occurredAt: Date;
}

export interface ImportActivitiesOptions {
  /** Rows per INSERT; SQLite limits bound parameters per statement. */
  chunkSize?: number;
  /** Called after each chunk is written inside the open transaction; tests use it to crash there. */
  afterChunk?: (written: number) => void | Promise<void>;
}

const DEFAULT_CHUNK_SIZE = 200;

/**
 * Creates the lead or replaces its attributes and segment fields. Idempotent: sending the same lead
 * twice leaves one row with the same content. Concurrent calls for one externalId leave one row
 * holding one of the sent versions, because the store's unique index decides the race.
 */
export async function upsertLead(db: DatabaseClient, lead: LeadInput) {
  const data = { attributes: lead.attributes as Prisma.InputJsonObject, ...lead.segments };
  return db.lead.upsert({
    where: { externalId: lead.externalId },
    create: { externalId: lead.externalId, ...data },
    update: data,
  });
}

/** Finds a lead by its CRM id; throws RecordNotFoundError (404) when it was never stored. */
export async function findLead(db: DatabaseClient, externalId: string) {
  const lead = await db.lead.findUnique({ where: { externalId } });
  if (!lead) {
    throw new RecordNotFoundError(`lead '${externalId}' is not stored; send it first with PUT /v1/leads/${encodeURIComponent(externalId)}`);
  }
  return lead;
}

/**
 * Finds a lead with its latest score and the number of its stored activities; throws
 * RecordNotFoundError (404) when it was never stored.
 */
export async function findLeadDetail(db: DatabaseClient, externalId: string) {
  const lead = await findLead(db, externalId);

  const latestScore =
    lead.latestScoreId === null
      ? null
      : await db.score.findUnique({ where: { id: lead.latestScoreId }, include: { modelVersion: { select: { version: true } } } });
  const activityCount = await db.activity.count({ where: { leadId: lead.id } });

  return { lead, latestScore, activityCount };
}

/**
 * Erases a lead with its activities, outcomes, scores and the webhook deliveries about it, in one
 * transaction. Returns the erased lead's row id, or null when no lead has that externalId. The
 * rows are deleted explicitly rather than left to the foreign keys' cascade, so the erasure does
 * not depend on SQLite's foreign_keys setting.
 */
export async function deleteLead(db: DatabaseClient, externalId: string): Promise<number | null> {
  return db.$transaction(async (transaction) => {
    const lead = await transaction.lead.findUnique({ where: { externalId }, select: { id: true } });
    if (!lead) return null;

    await transaction.activity.deleteMany({ where: { leadId: lead.id } });
    await transaction.outcome.deleteMany({ where: { leadId: lead.id } });
    await transaction.score.deleteMany({ where: { leadId: lead.id } });
    await deleteDeliveriesAbout(transaction, externalId);
    await transaction.lead.delete({ where: { id: lead.id } });
    return lead.id;
  });
}

/**
 * Deletes the webhook deliveries whose payload names the lead. Deliveries have no lead column, so
 * the payloads are read in pages and matched here, which works the same on SQLite and PostgreSQL.
 */
async function deleteDeliveriesAbout(transaction: Prisma.TransactionClient, externalId: string): Promise<void> {
  const pageSize = 1000;
  let afterId = 0;
  for (;;) {
    const page = await transaction.webhookDelivery.findMany({
      where: { id: { gt: afterId } },
      select: { id: true, payload: true },
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    if (page.length === 0) return;

    const matching = page.filter((delivery) => (delivery.payload as { externalId?: unknown } | null)?.externalId === externalId);
    if (matching.length > 0) await transaction.webhookDelivery.deleteMany({ where: { id: { in: matching.map((delivery) => delivery.id) } } });
    afterId = page[page.length - 1]!.id;
  }
}

/**
 * Stores a batch of activities for one lead in a single transaction: either the whole batch is
 * stored or, when anything fails (including the process dying), none of it. Returns the count.
 */
export async function importActivities(
  db: DatabaseClient,
  leadId: number,
  activities: readonly ActivityInput[],
  options: ImportActivitiesOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const rows = activities.map((activity) => ({
    leadId,
    type: activity.type,
    page: activity.page ?? null,
    asset: activity.asset ?? null,
    occurredAt: activity.occurredAt,
  }));

  await db.$transaction(
    async (transaction) => {
      for (let start = 0; start < rows.length; start += chunkSize) {
        await transaction.activity.createMany({ data: rows.slice(start, start + chunkSize) });
        await options.afterChunk?.(Math.min(start + chunkSize, rows.length));
      }
    },
    { timeout: 30_000 },
  );
  return rows.length;
}

/** Counts a lead's activities per type that occurred at or after `since`. */
export async function countActivitiesSince(db: DatabaseClient, leadId: number, since: Date): Promise<Record<string, number>> {
  const groups = await db.activity.groupBy({
    by: ['type'],
    where: { leadId, occurredAt: { gte: since } },
    _count: { _all: true },
  });
  return Object.fromEntries(groups.map((group) => [group.type, group._count._all]));
}

/** Returns a lead's activities that occurred at or after `since` (all when undefined), oldest first. */
export async function listActivitiesSince(db: DatabaseClient, leadId: number, since: Date | undefined) {
  return db.activity.findMany({
    where: { leadId, ...(since ? { occurredAt: { gte: since } } : {}) },
    orderBy: { occurredAt: 'asc' },
    select: { type: true, page: true, asset: true, occurredAt: true },
  });
}
