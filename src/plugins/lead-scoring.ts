import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { StoredLeadScorer, type StoredLeadScorerOptions } from '../scoring/stored-lead-scorer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    leadScoring: StoredLeadScorer;
  }
}

/** Decorates the app with the scorer of stored leads. */
async function leadScoring(app: FastifyInstance, options: StoredLeadScorerOptions): Promise<void> {
  app.decorate('leadScoring', new StoredLeadScorer(app.db, app.models, app.webhooks, app.log, options));
}

export default fp(leadScoring, { name: 'lead-scoring', dependencies: ['database', 'model-registry', 'webhooks'] });
