import { z } from 'zod';
import { SEVERITIES } from './alerts';
import { EntityName } from './common';

// Webhook destinations for alert notifications (Settings → Notifications), and what the outbox shows.

export const NOTIFY_EVENTS = ['fired', 'acknowledged', 'resolved'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export const WEBHOOK_FORMATS = ['json', 'slack'] as const;

const WebhookUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
  .max(2048, 'must be at most 2048 characters');

const destinationFields = {
  name: EntityName,
  url: WebhookUrl,
  format: z.enum(WEBHOOK_FORMATS),
  events: z.array(z.enum(NOTIFY_EVENTS)).min(1, 'pick at least one event'),
  minSeverity: z.enum(SEVERITIES),
  enabled: z.boolean(),
  timeoutMs: z.number().int().min(100, 'must be at least 100 ms').max(60_000, 'must be at most 60000 ms'),
  /** HMAC-SHA256 key for X-Faultline-Signature; empty or null sends unsigned. */
  signingSecret: z.string().max(256, 'must be at most 256 characters').nullable(),
};

export const CreateWebhookInput = z.strictObject({
  ...destinationFields,
  format: destinationFields.format.default('json'),
  events: destinationFields.events.default(['fired', 'acknowledged', 'resolved']),
  minSeverity: destinationFields.minSeverity.default('info'),
  enabled: destinationFields.enabled.default(true),
  timeoutMs: destinationFields.timeoutMs.default(5000),
  signingSecret: destinationFields.signingSecret.optional(),
});
export type CreateWebhookInput = z.infer<typeof CreateWebhookInput>;

export const UpdateWebhookInput = z.strictObject(destinationFields).partial();
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookInput>;

export const WebhookDto = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  events: z.array(z.enum(NOTIFY_EVENTS)),
  minSeverity: z.enum(SEVERITIES),
  enabled: z.boolean(),
  timeoutMs: z.number(),
  signed: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Outbox counts for this destination. */
  pending: z.number(),
  dead: z.number(),
  delivered: z.number(),
  lastError: z.string().nullable(),
  lastDeliveredAt: z.string().nullable(),
});
export type WebhookDto = z.infer<typeof WebhookDto>;

export const NotificationDto = z.object({
  id: z.string(),
  destinationId: z.string(),
  destination: z.string(),
  alertId: z.string(),
  event: z.enum(NOTIFY_EVENTS),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  summary: z.string(),
});
export type NotificationDto = z.infer<typeof NotificationDto>;

export const NotificationListQuery = z.object({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  destinationId: z.uuid({ message: 'must be a UUID' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
