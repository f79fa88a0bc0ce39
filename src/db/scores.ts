import type { Prisma } from '../generated/sqlite/client.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { DatabaseClient } from './database.ts';
import type { SegmentField } from './segments.ts';

export interface ScoreInput {
  leadId: number;
  modelVersionId: number;
  probability: number;
  ruleScore: number | null;
  tier: string;
  reasons: unknown;
}

/**
 * Stores a score and makes it the lead's latest, in one transaction. Returns the stored score and
 * the tier the lead had before, null when it was never scored.
 */
export async function saveScore(db: DatabaseClient, input: ScoreInput) {
  return db.$transaction(async (transaction) => {
    const before = await transaction.lead.findUniqueOrThrow({ where: { id: input.leadId }, select: { latestTier: true } });
    const score = await transaction.score.create({
      data: { ...input, reasons: input.reasons as Prisma.InputJsonValue },
      include: { modelVersion: { select: { version: true } } },
    });
    await transaction.lead.update({
      where: { id: input.leadId },
      data: { latestScoreId: score.id, latestProbability: score.probability, latestTier: score.tier, latestScoredAt: score.scoredAt },
    });
    return { score, previousTier: before.latestTier };
  });
}

/** Returns a lead's scores, newest first, at most `limit`. */
export async function listScores(db: DatabaseClient, leadId: number, limit: number) {
  return db.score.findMany({
    where: { leadId },
    orderBy: [{ scoredAt: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { modelVersion: { select: { version: true } } },
  });
}

export interface HotLeadFilter {
  tier?: string;
  minProbability?: number;
  segments?: Partial<Record<SegmentField, string>>;
  scoredSince?: Date;
  /** Opaque position returned as `nextCursor` by the previous page. */
  cursor?: string;
  limit: number;
}

interface CursorPosition {
  probability: number;
  id: number;
}

/**
 * Lists scored leads by their latest score, highest probability first (ties by lead id), with
 * keyset pagination: `nextCursor` encodes the last row, so pages stay stable while new leads arrive.
 */
export async function listHotLeads(db: DatabaseClient, filter: HotLeadFilter) {
  const conditions: Prisma.LeadWhereInput[] = [{ latestProbability: { not: null } }];
  if (filter.tier !== undefined) conditions.push({ latestTier: filter.tier });
  if (filter.minProbability !== undefined) conditions.push({ latestProbability: { gte: filter.minProbability } });
  if (filter.scoredSince !== undefined) conditions.push({ latestScoredAt: { gte: filter.scoredSince } });
  for (const [field, value] of Object.entries(filter.segments ?? {})) conditions.push({ [field]: value });
  if (filter.cursor !== undefined) {
    const position = decodeCursor(filter.cursor);
    conditions.push({
      OR: [{ latestProbability: { lt: position.probability } }, { latestProbability: position.probability, id: { gt: position.id } }],
    });
  }

  const rows = await db.lead.findMany({
    where: { AND: conditions },
    orderBy: [{ latestProbability: 'desc' }, { id: 'asc' }],
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > filter.limit && last ? encodeCursor({ probability: last.latestProbability ?? 0, id: last.id }) : null;
  return { leads: page, nextCursor };
}

function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.probability, position.id])).toString('base64url');
}

function decodeCursor(cursor: string): CursorPosition {
  try {
    const [probability, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof probability === 'number' && Number.isInteger(id)) return { probability, id: id as number };
  } catch {
    // Falls through to the error below: a cursor that is not base64url JSON is as invalid as a wrong shape.
  }
  throw new InvalidInputError(`cursor '${cursor}' is invalid`, [
    {
      path: ['querystring', 'cursor'],
      code: 'invalid_format',
      expected: 'the nextCursor value of a previous page',
      received: `string ${JSON.stringify(cursor.slice(0, 40))}`,
      message: 'cursor is not one this server issued; pass nextCursor from the previous page unchanged',
    },
  ]);
}
