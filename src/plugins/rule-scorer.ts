import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { loadRulesFile } from '../core/rules/rules-file.ts';
import type { RulesFile } from '../core/rules/rules-schema.ts';

/** Options of the rule-scorer plugin. */
export interface RuleScorerOptions {
  /** Rules file (JSON) whose scores are returned beside the model's, or undefined for none. */
  rulesFile?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The hand-tuned rules loaded at start-up, or undefined when none are configured. */
    rules: RulesFile | undefined;
  }
}

/** Loads the rules file once at start-up. An invalid file stops start-up with every problem listed. */
async function ruleScorer(app: FastifyInstance, options: RuleScorerOptions): Promise<void> {
  const rules = options.rulesFile === undefined ? undefined : await loadRulesFile(options.rulesFile);
  app.decorate('rules', rules);
  if (!rules) return;

  app.log.info({ rulesFile: options.rulesFile, rules: rules.rules.length }, 'rules loaded');
  const activityRules = rules.rules.filter((rule) => rule.kind === 'activity').map((rule) => rule.id);
  if (activityRules.length > 0) {
    // NOTE: prediction requests carry no dated activities, so these rules never add points there.
    app.log.warn({ rulesFile: options.rulesFile, activityRules }, 'activity rules cannot score in POST /v1/predict');
  }
}

export default fp(ruleScorer, { name: 'rule-scorer' });
