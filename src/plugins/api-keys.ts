import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

import { findActiveApiKey, touchApiKey } from '../db/api-keys.ts';

export type ApiKeyMode = 'required' | 'disabled';

export interface ApiKeysOptions {
  /** "disabled" lets every request through; the config allows it only on a loopback host. */
  mode: ApiKeyMode;
}

/** Paths open without a key: liveness checks and the API description. */
function isPublicPath(path: string): boolean {
  return path === '/healthz' || path === '/docs' || path.startsWith('/docs/');
}

/** Reads the key from `x-api-key` or from `Authorization: Bearer <key>`. */
function readPresentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = request.headers.authorization;
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return match?.[1];
}

function rejectRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer')
    .send({ statusCode: 401, error: 'Unauthorized', message });
}

/**
 * Checks the API key of every request except /healthz and /docs. Keys are compared by their
 * SHA-256 hash, so the table never contains a usable key. A missing, unknown or revoked key gets 401.
 */
async function apiKeys(app: FastifyInstance, options: ApiKeysOptions): Promise<void> {
  if (options.mode === 'disabled') {
    app.log.warn('API keys are disabled: every route is open to anyone who can reach this address');
    return;
  }

  app.addHook('onRequest', async (request, reply) => {
    if (isPublicPath(request.url.split('?')[0] ?? '')) return;

    const key = readPresentedKey(request);
    if (!key) {
      request.log.warn('request without an API key');
      return rejectRequest(reply, "missing API key: send it in the 'x-api-key' header or as 'Authorization: Bearer <key>'; create one with 'npx leadscore keys create --name NAME'");
    }
    const found = await findActiveApiKey(app.db, key);
    if (!found) {
      // Only the first characters are logged, never the whole key.
      request.log.warn({ keyPrefix: key.slice(0, 8) }, 'request with an unknown or revoked API key');
      return rejectRequest(reply, 'invalid API key: no active key matches it; it may have been revoked');
    }
    request.apiKeyName = found.name;
    // Best effort: a failed timestamp write must not fail the request it describes.
    touchApiKey(app.db, found).catch((error: unknown) => request.log.warn({ err: error, keyId: found.id }, 'could not record API key use'));
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the API key that authenticated the request, when keys are required. */
    apiKeyName?: string;
  }
}

export default fp(apiKeys, { name: 'api-keys', dependencies: ['database'] });
