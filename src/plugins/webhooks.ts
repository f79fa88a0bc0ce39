import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { WebhookDispatcher, type WebhookDispatcherOptions } from '../webhooks/dispatcher.ts';

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: WebhookDispatcher;
  }
}

/**
 * Decorates the app with the webhook dispatcher and resumes the deliveries an earlier run left
 * pending. On close it waits for deliveries in flight.
 */
async function webhooks(app: FastifyInstance, options: WebhookDispatcherOptions): Promise<void> {
  const dispatcher = new WebhookDispatcher(app.db, app.log, options);
  app.decorate('webhooks', dispatcher);
  await dispatcher.resumePending();
  // preClose runs before every onClose hook, so the delivery log is written before the database closes.
  app.addHook('preClose', async () => {
    await dispatcher.close();
  });
}

export default fp(webhooks, { name: 'webhooks', dependencies: ['database'] });
