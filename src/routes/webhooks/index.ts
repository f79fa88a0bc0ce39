import { randomBytes } from 'node:crypto';

import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import { assertKnownTiers } from '../../core/tiers.ts';
import { RecordNotFoundError } from '../../db/errors.ts';
import {
  CreateWebhookRequest,
  CreateWebhookResponse,
  ListDeliveriesQuery,
  ListDeliveriesResponse,
  ListWebhooksResponse,
  WebhookParams,
} from './schema.ts';

function toSubscription(row: { id: number; url: string; tiers: unknown; createdAt: Date }) {
  return { id: row.id, url: row.url, tiers: row.tiers as string[], createdAt: row.createdAt.toISOString() };
}

function notFound(id: number): RecordNotFoundError {
  return new RecordNotFoundError(`webhook ${id} does not exist; GET /v1/webhooks lists the subscriptions`);
}

/** Webhook subscriptions for tier changes and their delivery log. */
const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/webhooks',
    { schema: { tags: ['webhooks'], body: CreateWebhookRequest, response: { 201: CreateWebhookResponse } } },
    async (request, reply) => {
      assertKnownTiers(request.body.tiers, app.models.active.tiers, ['body', 'tiers'], true);
      const secret = request.body.secret ?? randomBytes(32).toString('base64url');

      const row = await app.db.webhookSubscription.create({ data: { url: request.body.url, tiers: request.body.tiers, secret } });

      request.log.info({ webhookId: row.id, tiers: request.body.tiers }, 'webhook subscribed');
      return reply.code(201).send({ ...toSubscription(row), secret });
    },
  );

  app.get('/v1/webhooks', { schema: { tags: ['webhooks'], response: { 200: ListWebhooksResponse } } }, async () => {
    const rows = await app.db.webhookSubscription.findMany({ orderBy: { id: 'asc' } });
    return { webhooks: rows.map(toSubscription) };
  });

  app.delete('/v1/webhooks/:id', { schema: { tags: ['webhooks'], params: WebhookParams } }, async (request, reply) => {
    const { count } = await app.db.webhookSubscription.deleteMany({ where: { id: request.params.id } });
    if (count === 0) throw notFound(request.params.id);

    request.log.info({ webhookId: request.params.id }, 'webhook deleted');
    return reply.code(204).send();
  });

  app.get(
    '/v1/webhooks/:id/deliveries',
    { schema: { tags: ['webhooks'], params: WebhookParams, querystring: ListDeliveriesQuery, response: { 200: ListDeliveriesResponse } } },
    async (request) => {
      const subscription = await app.db.webhookSubscription.findUnique({ where: { id: request.params.id } });
      if (!subscription) throw notFound(request.params.id);

      const rows = await app.db.webhookDelivery.findMany({
        where: { subscriptionId: subscription.id },
        orderBy: { id: 'desc' },
        take: request.query.limit,
      });

      return {
        deliveries: rows.map((row) => ({
          id: row.id,
          event: row.event,
          payload: row.payload as Record<string, unknown>,
          status: row.status as 'pending' | 'delivered' | 'failed',
          attempts: row.attempts,
          responseStatus: row.responseStatus,
          lastError: row.lastError,
          createdAt: row.createdAt.toISOString(),
          deliveredAt: row.deliveredAt?.toISOString() ?? null,
        })),
      };
    },
  );
};

export default fp(webhookRoutes, { name: 'webhook-routes', dependencies: ['database', 'model-registry', 'webhooks'], encapsulate: true });
