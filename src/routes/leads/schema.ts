import { z } from 'zod';

/** Largest activity batch one request may import. */
export const MAX_ACTIVITIES_PER_REQUEST = 5000;

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const SegmentValue = z.string().min(1).max(200).nullable();

/** Longest CRM lead id accepted in a path, in characters; the router enforces it as well. */
export const MAX_EXTERNAL_ID_LENGTH = 200;

export const LeadParams = z.object({
  externalId: z.string().min(1).max(MAX_EXTERNAL_ID_LENGTH).describe('The lead id in the CRM'),
});

export const UpsertLeadRequest = z.strictObject({
  attributes: z.record(z.string(), FieldValue).describe('CRM fields as exported, stored as received'),
  industry: SegmentValue.optional().describe('Overrides the industry read from the attributes'),
  region: SegmentValue.optional().describe('Overrides the region read from the attributes'),
  owner: SegmentValue.optional().describe('Overrides the owner read from the attributes'),
});

export const LeadResponse = z.object({
  externalId: z.string(),
  attributes: z.record(z.string(), FieldValue),
  industry: z.string().nullable(),
  region: z.string().nullable(),
  owner: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ImportActivitiesRequest = z.strictObject({
  activities: z
    .array(
      z.strictObject({
        type: z.string().min(1).max(100).describe('For example form_submit, page_view, email_open'),
        page: z.string().max(2000).nullable().optional().describe('The page URL the activity concerns'),
        asset: z.string().max(2000).nullable().optional().describe('The asset the activity concerns, such as a whitepaper'),
        occurredAt: z.iso.datetime({ offset: true }).describe('ISO 8601 date-time with a zone, for example 2026-03-01T09:30:00Z'),
      }),
    )
    .min(1)
    .max(MAX_ACTIVITIES_PER_REQUEST),
});

export const ImportActivitiesResponse = z.object({ externalId: z.string(), imported: z.number().int() });

const Reason = z.object({
  column: z.string(),
  value: FieldValue,
  contribution: z.number().describe("The column's share of the probability, as in POST /v1/predict"),
  logOdds: z.number(),
});

const StoredReasons = z.object({
  baselineProbability: z.number().nullable().describe('null when the model was trained without a baseline, so no reasons exist'),
  for: z.array(Reason),
  against: z.array(Reason),
});

export const StoredScore = z.object({
  modelVersion: z.string(),
  probability: z.number(),
  ruleScore: z.number().nullable(),
  tier: z.string(),
  reasons: StoredReasons.describe('Top 3 columns for and against the probability'),
  scoredAt: z.string(),
});

export const LeadDetailResponse = LeadResponse.extend({
  latestScore: StoredScore.nullable().describe('The most recent score; null when the lead was never scored'),
  activityCount: z.number().int().describe('Stored activities of the lead, of any age'),
});

export const ScoreLeadResponse = StoredScore.extend({
  externalId: z.string(),
  score: z.number().int().min(0).max(100),
  previousTier: z.string().nullable(),
  scoringPeriodDays: z.number().describe("The rules file's scoring period, else LEADSCORE_SCORING_PERIOD_DAYS"),
  activityCounts: z.record(z.string(), z.number().int()).describe('Activities per type within the scoring period'),
  rulesFired: z
    .array(z.object({ id: z.string(), group: z.enum(['fit', 'engagement']), points: z.number() }))
    .nullable()
    .describe('Rules that added points to ruleScore; null when no rules file is loaded'),
});

export const ListScoresQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const ListScoresResponse = z.object({ externalId: z.string(), scores: z.array(StoredScore) });

/** Most leads one page of the hot-lead list may return. */
export const MAX_LEADS_PER_PAGE = 500;

const LIMIT_RULE = `limit must be a whole number from 1 to ${MAX_LEADS_PER_PAGE}`;
const PROBABILITY_RULE = 'minProbability must be a number from 0 to 1, such as 0.5';
const SEGMENT_RULE = 'segment must be FIELD:VALUE pairs joined by commas, FIELD one of industry, region, owner, as in region:EMEA,owner:dana';
const SCORED_SINCE_RULE = 'scoredSince must be an ISO 8601 date-time with a zone, such as 2026-12-01T00:00:00Z';

export const ListHotLeadsQuery = z.strictObject({
  tier: z.string().min(1, 'tier must be a tier name of the served model, such as hot').optional().describe('A tier name of the served model'),
  minProbability: z.coerce.number({ error: PROBABILITY_RULE }).min(0, PROBABILITY_RULE).max(1, PROBABILITY_RULE).optional(),
  segment: z.string().min(1, SEGMENT_RULE).optional().describe('FIELD:VALUE pairs joined by commas, FIELD one of industry, region, owner'),
  scoredSince: z.iso.datetime({ offset: true, error: SCORED_SINCE_RULE }).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce
    .number({ error: LIMIT_RULE })
    .int(LIMIT_RULE)
    .min(1, LIMIT_RULE)
    .max(MAX_LEADS_PER_PAGE, LIMIT_RULE)
    .default(50)
    .describe(`Leads per page, 1 to ${MAX_LEADS_PER_PAGE}; 50 by default`),
});

export const ListHotLeadsResponse = z.object({
  leads: z.array(
    z.object({
      externalId: z.string(),
      probability: z.number(),
      tier: z.string(),
      scoredAt: z.string(),
      industry: z.string().nullable(),
      region: z.string().nullable(),
      owner: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass as cursor to get the next page; null on the last page'),
});
