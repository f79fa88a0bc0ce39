import type { FastifyBaseLogger } from 'fastify';

import { InvalidInputError } from '../core/errors.ts';
import type { LeadModel } from '../core/lead-model.ts';
import { validateLead } from '../core/lead-validation.ts';
import type { LeadRecord } from '../core/values.ts';
import type { DatabaseClient } from '../db/database.ts';
import { countActivitiesSince, findLead } from '../db/leads.ts';
import { recordModelVersion } from '../db/model-versions.ts';
import { saveScore } from '../db/scores.ts';
import type { ModelRegistry } from '../plugins/model-registry.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { explainPrediction } from './reason-codes.ts';

export interface StoredLeadScorerOptions {
  /** Days of activity counted in the score's activity summary. */
  scoringPeriodDays: number;
  /** Clock for the scoring period; tests pass a fixed one. */
  now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Scores leads already in the store with the active model, stores each score, and tells webhook
 * subscribers when a lead enters a new tier.
 *
 * NOTE: the model reads the stored attributes only. Activities are counted per type over the
 * scoring period and returned with the score, but they do not change the probability, and no
 * time decay is applied; ruleScore stays null until a rules engine provides the scoring period,
 * decay and points.
 */
export class StoredLeadScorer {
  private readonly modelVersionIds = new Map<string, number>();

  constructor(
    private readonly db: DatabaseClient,
    private readonly models: ModelRegistry,
    private readonly webhooks: WebhookDispatcher,
    private readonly log: FastifyBaseLogger,
    private readonly options: StoredLeadScorerOptions,
  ) {}

  /** Scores the lead with the model active when the call starts; throws 404 for an unknown lead. */
  async score(externalId: string) {
    const model = this.models.active;
    const lead = await findLead(this.db, externalId);
    const attributes = lead.attributes as LeadRecord;

    const { columns, missingTokens } = model.preprocessor.state;
    const issues = validateLead(attributes, columns, missingTokens, ['attributes']);
    if (issues.length > 0) {
      throw new InvalidInputError(`lead '${externalId}' has ${issues.length} stored attributes the model cannot read; resend it with PUT`, issues);
    }

    const [prediction] = model.scoreLeads([attributes]);
    if (!prediction) throw new Error('the model returned no prediction for one lead');
    const reasons = explainPrediction(model, attributes);
    const since = new Date((this.options.now?.() ?? new Date()).getTime() - this.options.scoringPeriodDays * DAY_MS);
    const activityCounts = await countActivitiesSince(this.db, lead.id, since);

    const modelVersionId = await this.modelVersionId(model);
    const { score, previousTier } = await saveScore(this.db, {
      leadId: lead.id,
      modelVersionId,
      probability: prediction.probability,
      ruleScore: null,
      tier: prediction.tier,
      reasons,
    });
    this.log.info({ modelVersion: model.version, scoreId: score.id, tier: score.tier }, 'stored lead scored');

    if (score.tier !== previousTier) await this.announceTier(externalId, score, previousTier, model.version);
    return { externalId, score: prediction.score, previousTier, activityCounts, scoringPeriodDays: this.options.scoringPeriodDays, stored: score };
  }

  private async announceTier(
    externalId: string,
    score: { tier: string; probability: number; scoredAt: Date },
    previousTier: string | null,
    modelVersion: string,
  ): Promise<void> {
    await this.webhooks.notifyTierEntered({
      event: 'lead.tier_entered',
      externalId,
      tier: score.tier,
      previousTier,
      probability: score.probability,
      modelVersion,
      scoredAt: score.scoredAt.toISOString(),
    });
  }

  private async modelVersionId(model: LeadModel): Promise<number> {
    const cached = this.modelVersionIds.get(model.version);
    if (cached !== undefined) return cached;

    const registered = (await this.models.list()).find((entry) => entry.version === model.version);
    const row = await recordModelVersion(this.db, {
      version: model.version,
      path: registered?.dir ?? model.version,
      metrics: model.bundle.metrics,
    });
    this.modelVersionIds.set(model.version, row.id);
    return row.id;
  }
}
