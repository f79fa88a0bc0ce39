import { createHash, randomBytes } from 'node:crypto';

import type { DatabaseClient } from './database.ts';

/** Start of every key, so a leaked one is easy to recognise in a scan. */
export const API_KEY_PREFIX = 'lsk_';

/** A key as stored: no secret, only its first characters. */
export interface ApiKeySummary {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Hashes a key for storage with SHA-256. A key carries 256 random bits, so a fast hash is enough;
 * slow password hashes such as scrypt protect low-entropy secrets, which these are not.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a key and stores its hash. Returns the key itself, which cannot be recovered later. */
export async function createApiKey(db: DatabaseClient, name: string): Promise<{ key: string; summary: ApiKeySummary }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await db.apiKey.create({ data: { name, prefix: key.slice(0, 12), keyHash: hashApiKey(key) } });
  return { key, summary: summarize(row) };
}

/** Finds the unrevoked key matching `key`, or null. */
export async function findActiveApiKey(db: DatabaseClient, key: string): Promise<ApiKeySummary | null> {
  const row = await db.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  return row && !row.revokedAt ? summarize(row) : null;
}

/** Minimum time between two writes of a key's lastUsedAt, so busy clients do not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Records that a key was used, unless that was already recorded within the last minute. */
export async function touchApiKey(db: DatabaseClient, key: ApiKeySummary, now = new Date()): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
}

/** Lists stored keys, oldest first. */
export async function listApiKeys(db: DatabaseClient): Promise<ApiKeySummary[]> {
  const rows = await db.apiKey.findMany({ orderBy: { id: 'asc' } });
  return rows.map(summarize);
}

/** Revokes the key with `id`; returns false when there is no such key. */
export async function revokeApiKey(db: DatabaseClient, id: number): Promise<boolean> {
  const result = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count > 0;
}

function summarize(row: ApiKeySummary & { keyHash?: string }): ApiKeySummary {
  const { id, name, prefix, createdAt, lastUsedAt, revokedAt } = row;
  return { id, name, prefix, createdAt, lastUsedAt, revokedAt };
}
