import fp from 'fastify-plugin';
import type { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import { describeProblemCount, InvalidInputError } from '../../core/errors.ts';
import { validateLead } from '../../core/lead-validation.ts';
import { assertKnownTiers } from '../../core/tiers.ts';
import { deleteLead, findLead, findLeadDetail, importActivities, upsertLead } from '../../db/leads.ts';
import { RecordNotFoundError } from '../../db/errors.ts';
import { listHotLeads, listScores } from '../../db/scores.ts';
import { parseSegmentFilter, segmentValues, type SegmentAttributes } from '../../db/segments.ts';
import {
  ImportActivitiesRequest,
  ImportActivitiesResponse,
  LeadDetailResponse,
  LeadParams,
  LeadResponse,
  ListHotLeadsQuery,
  ListHotLeadsResponse,
  ListScoresQuery,
  ListScoresResponse,
  ScoreLeadResponse,
  StoredScore,
  UpsertLeadRequest,
} from './schema.ts';

export interface LeadRoutesOptions {
  /** Attribute keys that fill each lead's industry, region and owner. */
  segmentAttributes: SegmentAttributes;
}

interface StoredScoreRow {
  probability: number;
  ruleScore: number | null;
  tier: string;
  reasons: unknown;
  scoredAt: Date;
  modelVersion: { version: string };
}

function toStoredScore(row: StoredScoreRow) {
  return {
    modelVersion: row.modelVersion.version,
    probability: row.probability,
    ruleScore: row.ruleScore,
    tier: row.tier,
    reasons: row.reasons as z.infer<typeof StoredScore>['reasons'],
    scoredAt: row.scoredAt.toISOString(),
  };
}

interface StoredLeadRow {
  externalId: string;
  attributes: unknown;
  industry: string | null;
  region: string | null;
  owner: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function toLeadResponse(lead: StoredLeadRow) {
  return {
    externalId: lead.externalId,
    attributes: lead.attributes as z.infer<typeof LeadResponse>['attributes'],
    industry: lead.industry,
    region: lead.region,
    owner: lead.owner,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

/** Stored leads: upsert, read, erasure, activity import, scoring, score history and the hot-lead list. */
const leadRoutes: FastifyPluginAsyncZod<LeadRoutesOptions> = async (app, options) => {
  app.put(
    '/v1/leads/:externalId',
    { schema: { tags: ['leads'], params: LeadParams, body: UpsertLeadRequest, response: { 200: LeadResponse } } },
    async (request) => {
      const { attributes, ...explicit } = request.body;
      const { columns, missingTokens } = app.models.active.preprocessor.state;
      // The score call would reject these values later, so they are rejected before they are stored.
      const issues = validateLead(attributes, columns, missingTokens, ['body', 'attributes']);
      if (issues.length > 0) throw new InvalidInputError(describeProblemCount(issues.length), issues);
      const segments = segmentValues(attributes, explicit, options.segmentAttributes);

      const lead = await upsertLead(app.db, { externalId: request.params.externalId, attributes, segments });

      return toLeadResponse(lead);
    },
  );

  app.get(
    '/v1/leads/:externalId',
    { schema: { tags: ['leads'], params: LeadParams, response: { 200: LeadDetailResponse } } },
    async (request) => {
      const { lead, latestScore, activityCount } = await findLeadDetail(app.db, request.params.externalId);

      return {
        ...toLeadResponse(lead),
        latestScore: latestScore ? toStoredScore(latestScore) : null,
        activityCount,
      };
    },
  );

  app.delete('/v1/leads/:externalId', { schema: { tags: ['leads'], params: LeadParams } }, async (request, reply) => {
    const { externalId } = request.params;

    const leadId = await deleteLead(app.db, externalId);
    if (leadId === null) throw new RecordNotFoundError(`lead '${externalId}' is not stored, so there is nothing to delete`);

    request.log.info({ leadId }, 'lead deleted');
    return reply.code(204).send();
  });

  app.post(
    '/v1/leads/:externalId/activities',
    { schema: { tags: ['leads'], params: LeadParams, body: ImportActivitiesRequest, response: { 201: ImportActivitiesResponse } } },
    async (request, reply) => {
      const lead = await findLead(app.db, request.params.externalId);
      const activities = request.body.activities.map((activity) => ({ ...activity, occurredAt: new Date(activity.occurredAt) }));

      const imported = await importActivities(app.db, lead.id, activities);

      request.log.info({ leadId: lead.id, imported }, 'activities imported');
      return reply.code(201).send({ externalId: lead.externalId, imported });
    },
  );

  app.post(
    '/v1/leads/:externalId/score',
    { schema: { tags: ['leads'], params: LeadParams, response: { 200: ScoreLeadResponse } } },
    async (request) => {
      const result = await app.leadScoring.score(request.params.externalId);

      return {
        ...toStoredScore(result.stored),
        externalId: result.externalId,
        score: result.score,
        previousTier: result.previousTier,
        scoringPeriodDays: result.scoringPeriodDays,
        activityCounts: result.activityCounts,
        rulesFired: result.rulesFired,
      };
    },
  );

  app.get(
    '/v1/leads/:externalId/scores',
    { schema: { tags: ['leads'], params: LeadParams, querystring: ListScoresQuery, response: { 200: ListScoresResponse } } },
    async (request) => {
      const lead = await findLead(app.db, request.params.externalId);

      const scores = await listScores(app.db, lead.id, request.query.limit);

      return { externalId: lead.externalId, scores: scores.map(toStoredScore) };
    },
  );

  app.get(
    '/v1/leads',
    { schema: { tags: ['leads'], querystring: ListHotLeadsQuery, response: { 200: ListHotLeadsResponse } } },
    async (request) => {
      const { tier, minProbability, segment, scoredSince, cursor, limit } = request.query;
      if (tier !== undefined) assertKnownTiers([tier], app.models.active.tiers, ['querystring', 'tier'], false);
      const segments = segment === undefined ? undefined : parseSegmentFilter(segment);

      const page = await listHotLeads(app.db, {
        limit,
        ...(tier !== undefined ? { tier } : {}),
        ...(minProbability !== undefined ? { minProbability } : {}),
        ...(segments ? { segments } : {}),
        ...(scoredSince !== undefined ? { scoredSince: new Date(scoredSince) } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });

      return {
        leads: page.leads.map((lead) => ({
          externalId: lead.externalId,
          probability: lead.latestProbability ?? 0,
          tier: lead.latestTier ?? '',
          scoredAt: (lead.latestScoredAt ?? lead.updatedAt).toISOString(),
          industry: lead.industry,
          region: lead.region,
          owner: lead.owner,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};

export default fp(leadRoutes, { name: 'lead-routes', dependencies: ['database', 'model-registry', 'lead-scoring'], encapsulate: true });
