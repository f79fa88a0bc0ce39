import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { markModelActive } from '../db/model-versions.ts';
import { recordRuleSet } from '../db/rule-sets.ts';
import { StoredLeadScorer, type StoredLeadScorerOptions } from '../scoring/stored-lead-scorer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    leadScoring: StoredLeadScorer;
  }
}

/**
 * Records the served model as the active version and the loaded rules file as a rule set version,
 * then decorates the app with the scorer of stored leads.
 */
async function leadScoring(app: FastifyInstance, options: StoredLeadScorerOptions): Promise<void> {
  const served = app.models.active;
  const registered = (await app.models.list()).find((entry) => entry.version === served.version);
  await markModelActive(app.db, { version: served.version, path: registered?.dir ?? served.version, metrics: served.bundle.metrics });
  if (app.rules) {
    const version = await recordRuleSet(app.db, app.rules);
    app.log.info({ ruleSet: app.rules.name, version }, 'rule set recorded');
  }

  app.decorate(
    'leadScoring',
    new StoredLeadScorer({ db: app.db, models: app.models, webhooks: app.webhooks, rules: app.rules, log: app.log }, options),
  );
}

export default fp(leadScoring, { name: 'lead-scoring', dependencies: ['database', 'model-registry', 'rule-scorer', 'webhooks'] });
