import type { FastifyBaseLogger } from 'fastify';

import { InvalidInputError } from '../core/errors.ts';
import type { LeadModel } from '../core/lead-model.ts';
import { validateLead } from '../core/lead-validation.ts';
import type { Activity } from '../core/rules/conditions.ts';
import type { RulesFile } from '../core/rules/rules-schema.ts';
import { LeadValueError, scoreLead } from '../core/rules/score-lead.ts';
import type { LeadRecord } from '../core/values.ts';
import type { DatabaseClient } from '../db/database.ts';
import { findLead, listActivitiesSince } from '../db/leads.ts';
import { recordModelVersion } from '../db/model-versions.ts';
import { saveScore } from '../db/scores.ts';
import type { ModelRegistry } from '../plugins/model-registry.ts';
import { scoreWithReasons } from '../routes/predict/reasons.ts';
import { DEFAULT_REASONS } from '../routes/predict/schema.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';

export interface StoredLeadScorerOptions {
  /** Days of activity counted when no rules file is loaded or the file sets no scoringPeriodDays. */
  scoringPeriodDays: number;
  /** Clock for the scoring period and decay; tests pass a fixed one. */
  now?: () => Date;
}

/** Collaborators the scorer reads at each call, so a model swap or the rules apply at once. */
export interface StoredLeadScorerServices {
  db: DatabaseClient;
  models: ModelRegistry;
  webhooks: WebhookDispatcher;
  /** The loaded rules file, or undefined when none is configured. */
  rules: RulesFile | undefined;
  log: FastifyBaseLogger;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Scores leads already in the store: the active model reads the stored attributes, and the rules
 * file, when one is loaded, scores the attributes plus the activities of its scoring period with
 * its decay. Each score is stored, and webhook subscribers hear when a lead enters a new tier.
 *
 * NOTE: activities change the rule score only. The model was trained on the export's aggregate
 * columns (TotalVisits and so on), so stored activities do not move its probability.
 */
export class StoredLeadScorer {
  private readonly modelVersionIds = new Map<string, number>();

  constructor(
    private readonly services: StoredLeadScorerServices,
    private readonly options: StoredLeadScorerOptions,
  ) {}

  /** Scores the lead with the model active when the call starts; throws 404 for an unknown lead. */
  async score(externalId: string) {
    const { db, models, rules } = this.services;
    const model = models.active;
    const lead = await findLead(db, externalId);
    const attributes = lead.attributes as LeadRecord;
    this.checkAttributes(model, externalId, attributes);

    const asOf = this.options.now?.() ?? new Date();
    const scoringPeriodDays = rules?.scoringPeriodDays ?? this.options.scoringPeriodDays;
    const activities = await listActivitiesSince(db, lead.id, new Date(asOf.getTime() - scoringPeriodDays * DAY_MS));
    const [prediction] = await scoreWithReasons(model, [attributes], DEFAULT_REASONS, this.services.log);
    if (!prediction) throw new Error('the model returned no prediction for one lead');
    const ruleScore = rules ? this.scoreRules(rules, externalId, attributes, activities, asOf) : null;

    const { score, previousTier } = await saveScore(db, {
      leadId: lead.id,
      modelVersionId: await this.modelVersionId(model),
      probability: prediction.probability,
      ruleScore: ruleScore?.score ?? null,
      tier: prediction.tier,
      // A model trained before reasons existed has no baseline and stores empty reasons.
      reasons: prediction.reasons ?? { baselineProbability: null, for: [], against: [] },
    });
    this.services.log.info({ modelVersion: model.version, scoreId: score.id, tier: score.tier }, 'stored lead scored');

    if (score.tier !== previousTier) await this.announceTier(externalId, score, previousTier, model.version);
    return {
      externalId,
      score: prediction.score,
      previousTier,
      activityCounts: countByType(activities.filter((activity) => activity.occurredAt <= asOf)),
      scoringPeriodDays,
      rulesFired: ruleScore?.fired ?? null,
      stored: score,
    };
  }

  private checkAttributes(model: LeadModel, externalId: string, attributes: LeadRecord): void {
    const { columns, missingTokens } = model.preprocessor.state;
    const issues = validateLead(attributes, columns, missingTokens, ['attributes']);
    if (issues.length > 0) {
      const attributeCount = `${issues.length} stored ${issues.length === 1 ? 'attribute' : 'attributes'}`;
      throw new InvalidInputError(`lead '${externalId}' has ${attributeCount} the model cannot read; resend it with PUT`, issues);
    }
  }

  private scoreRules(rules: RulesFile, externalId: string, attributes: LeadRecord, activities: Activity[], asOf: Date) {
    try {
      const result = scoreLead(rules, attributes, activities, asOf);
      return {
        score: roundPoints(result.total),
        fired: result.fired.map((rule) => ({ id: rule.id, group: rule.group, points: roundPoints(rule.points) })),
      };
    } catch (error) {
      if (!(error instanceof LeadValueError)) throw error;
      throw new InvalidInputError(`lead '${externalId}' has a stored value the rules cannot score; resend it with PUT`, [
        { path: ['attributes', error.column], code: 'invalid_type', expected: 'a number of 0 or more, or a blank value', received: typeof error.value, message: error.message },
      ]);
    }
  }

  private async announceTier(
    externalId: string,
    score: { tier: string; probability: number; scoredAt: Date },
    previousTier: string | null,
    modelVersion: string,
  ): Promise<void> {
    await this.services.webhooks.notifyTierEntered({
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

    const registered = (await this.services.models.list()).find((entry) => entry.version === model.version);
    const row = await recordModelVersion(this.services.db, {
      version: model.version,
      path: registered?.dir ?? model.version,
      metrics: model.bundle.metrics,
    });
    this.modelVersionIds.set(model.version, row.id);
    return row.id;
  }
}

function countByType(activities: readonly Activity[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const activity of activities) counts[activity.type] = (counts[activity.type] ?? 0) + 1;
  return counts;
}

function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}
