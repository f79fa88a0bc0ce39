import { z } from 'zod';

export const WebhookParams = z.object({ id: z.coerce.number().int().positive() });

const URL_RULE = 'url must be an absolute http:// or https:// URL of at most 2000 characters, such as https://crm.example.com/hooks/leadscore';
const TIERS_RULE = 'tiers must be a non-empty list of tier names of the served model, such as ["hot"]';
const SECRET_RULE = 'secret must be a string of 16 to 200 characters, or omitted to have one generated';

export const CreateWebhookRequest = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: URL_RULE })
    .max(2000, URL_RULE)
    .describe('Receiver URL; leadscore POSTs JSON events to it'),
  tiers: z
    .array(z.string({ error: TIERS_RULE }).min(1, TIERS_RULE), { error: TIERS_RULE })
    .min(1, TIERS_RULE)
    .describe('Tier names of the served model that trigger a delivery when a lead enters them'),
  secret: z
    .string({ error: SECRET_RULE })
    .min(16, SECRET_RULE)
    .max(200, SECRET_RULE)
    .optional()
    .describe('HMAC-SHA256 key for the x-leadscore-signature header; generated and returned once when omitted'),
});

export const WebhookSubscription = z.object({
  id: z.number().int(),
  url: z.string(),
  tiers: z.array(z.string()),
  createdAt: z.string(),
});

export const CreateWebhookResponse = WebhookSubscription.extend({
  secret: z.string().describe('Shown only in this response'),
});

export const ListWebhooksResponse = z.object({ webhooks: z.array(WebhookSubscription) });

export const ListDeliveriesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const ListDeliveriesResponse = z.object({
  deliveries: z.array(
    z.object({
      id: z.number().int(),
      event: z.string(),
      payload: z.record(z.string(), z.unknown()),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int(),
      responseStatus: z.number().int().nullable(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      deliveredAt: z.string().nullable(),
    }),
  ),
});
