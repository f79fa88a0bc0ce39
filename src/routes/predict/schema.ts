import { z } from 'zod';

/** Largest batch one request may score. */
export const MAX_LEADS_PER_REQUEST = 1000;

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'a lead field must be a string, a finite number, a boolean or null',
});

export const ScoreLeadsRequest = z.strictObject({
  leads: z
    .array(z.record(z.string(), FieldValue).describe('A lead: fields named as in the CRM export'))
    .min(1, 'send at least 1 lead')
    .max(MAX_LEADS_PER_REQUEST, `send at most ${MAX_LEADS_PER_REQUEST} leads per request; split larger batches`),
});
export type ScoreLeadsRequest = z.infer<typeof ScoreLeadsRequest>;

/** Most reasons for, and against, that one prediction may carry. */
export const MAX_REASONS = 10;
export const DEFAULT_REASONS = 3;

export const ScoreLeadsQuery = z.strictObject({
  reasons: z
    .string()
    .regex(/^(true|false|[0-9]|10)$/, `reasons must be true, false or a count from 0 to ${MAX_REASONS}`)
    .default('true')
    .describe(`Reasons per lead: true gives the top ${DEFAULT_REASONS} for and against, false or 0 none, N the top N`),
});
export type ScoreLeadsQuery = z.infer<typeof ScoreLeadsQuery>;

export const Reason = z.object({
  column: z.string().describe('Export column'),
  value: FieldValue.describe("The lead's value; null when missing"),
  contribution: z
    .number()
    .describe("The column's share of the calibrated probability, relative to baselineProbability"),
  logOdds: z.number().describe("The column's share of the model's log-odds (uncalibrated output)"),
});

export const LeadReasons = z.object({
  baselineProbability: z
    .number()
    .describe('Calibrated probability of the baseline lead (training means); it plus every column contribution is the probability'),
  for: z.array(Reason).describe('Columns that raise the probability, strongest first'),
  against: z.array(Reason).describe('Columns that lower the probability, strongest first'),
});

export const LeadPrediction = z.object({
  probability: z.number().min(0).max(1).describe('Calibrated probability of winning within the close window'),
  score: z.number().int().min(0).max(100).describe('The probability on a 0-100 scale'),
  tier: z.string(),
  reasons: LeadReasons.optional().describe('Absent when reasons=false, or when the model was trained without a baseline'),
});

export const RuleScoreResult = z
  .object({
    score: z.number().describe('Rule points after every cap: fit + engagement, limited by the total cap and floor'),
    fit: z.number().describe('Points for who the lead is'),
    engagement: z.number().describe('Points for what the lead did'),
    fired: z.array(z.object({ id: z.string(), group: z.enum(['fit', 'engagement']), points: z.number() })).describe('Rules that added or deducted points'),
  })
  .describe('The hand-tuned rule score, returned when the server has a rules file');

const UnrecognizedField = z.object({
  field: z.string(),
  suggestion: z.string().optional(),
  message: z.string(),
});

export const ScoreLeadsResponse = z.object({
  modelVersion: z.string(),
  /** Fields of the request that are not columns of the training export; they were ignored. */
  unrecognizedFields: z.array(UnrecognizedField).optional(),
  /** Name of the rules file, present when the server has rules configured. */
  rulesName: z.string().optional(),
  predictions: z.array(LeadPrediction.extend({ rules: RuleScoreResult.optional() })),
});
