import { z } from 'zod';

export const WebhookParams = z.object({ id: z.coerce.number().int().positive() });

export const CreateWebhookRequest = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .describe('Receiver URL; leadscore POSTs JSON events to it'),
  tiers: z.array(z.string().min(1)).min(1).describe('Tier names that trigger a delivery when a lead enters them'),
  secret: z
    .string()
    .min(16)
    .max(200)
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

export const ListDeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

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
