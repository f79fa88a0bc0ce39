import { z } from 'zod';

/** Largest batch one request may score. */
export const MAX_LEADS_PER_REQUEST = 1000;

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'a lead field must be a string, a finite number, a boolean or null',
});

export const ScoreLeadsRequest = z.object({
  leads: z
    .array(z.record(z.string(), FieldValue).describe('A lead: fields named as in the CRM export'))
    .min(1, 'send at least 1 lead')
    .max(MAX_LEADS_PER_REQUEST, `send at most ${MAX_LEADS_PER_REQUEST} leads per request; split larger batches`),
});
export type ScoreLeadsRequest = z.infer<typeof ScoreLeadsRequest>;

export const LeadPrediction = z.object({
  probability: z.number().min(0).max(1).describe('Calibrated probability of winning within the close window'),
  score: z.number().int().min(0).max(100).describe('The probability on a 0-100 scale'),
  tier: z.string(),
});

export const RuleScoreResult = z
  .object({
    score: z.number().describe('Rule points after every cap: fit + engagement, limited by the total cap and floor'),
    fit: z.number().describe('Points for who the lead is'),
    engagement: z.number().describe('Points for what the lead did'),
    fired: z.array(z.object({ id: z.string(), group: z.enum(['fit', 'engagement']), points: z.number() })).describe('Rules that added or deducted points'),
  })
  .describe('The hand-tuned rule score, returned when the server has a rules file');

export const ScoreLeadsResponse = z.object({
  modelVersion: z.string(),
  /** Name of the rules file, present when the server has rules configured. */
  rulesName: z.string().optional(),
  predictions: z.array(LeadPrediction.extend({ rules: RuleScoreResult.optional() })),
});
