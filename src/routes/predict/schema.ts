import { z } from 'zod';

/** Largest batch one request may score. */
export const MAX_LEADS_PER_REQUEST = 1000;

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ScoreLeadsRequest = z.object({
  leads: z
    .array(z.record(z.string(), FieldValue).describe('A lead: fields named as in the CRM export'))
    .min(1)
    .max(MAX_LEADS_PER_REQUEST),
});
export type ScoreLeadsRequest = z.infer<typeof ScoreLeadsRequest>;

export const LeadPrediction = z.object({
  probability: z.number().min(0).max(1).describe('Calibrated probability of winning within the close window'),
  score: z.number().int().min(0).max(100).describe('The probability on a 0-100 scale'),
  tier: z.string(),
});

export const ScoreLeadsResponse = z.object({
  modelVersion: z.string(),
  predictions: z.array(LeadPrediction),
});
