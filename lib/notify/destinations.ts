// Settings → Notifications: webhook destinations (admin only, audited) and the outbox with its
// dead letters, which an admin can send again by hand.
import { TaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { inTransaction, isUniqueViolation } from '@/lib/db/client';
import {
  deleteWebhookRow,
  findWebhookRow,
  insertWebhookRow,
  findNotificationRow,
  listNotificationRows,
  listWebhookRows,
  outboxStats,
  requeueDeadNotification,
  updateWebhookRow,
  type NotificationRow,
  type WebhookRow,
} from '@/lib/db/notifications';
import { conflict, notFound } from '@/lib/http/errors';
import type { Severity } from '@/lib/schemas/alerts';
import { CreateWebhookInput, NotificationListQuery, UpdateWebhookInput, type NotificationDto, type NotifyEvent, type WebhookDto } from '@/lib/schemas/notify';
import { postNotification } from './deliver';
import type { AlertNotification } from './outbox';
import { wakeNotificationSender } from './sender';

function toDto(row: WebhookRow, stats?: Awaited<ReturnType<typeof outboxStats>> extends Map<string, infer S> ? S : never): WebhookDto {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    format: row.format,
    events: row.events as NotifyEvent[],
    minSeverity: row.minSeverity as Severity,
    enabled: row.enabled,
    timeoutMs: row.timeoutMs,
    signed: row.signingSecret !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    pending: stats?.pending ?? 0,
    dead: stats?.dead ?? 0,
    delivered: stats?.delivered ?? 0,
    lastError: stats?.lastError ?? null,
    lastDeliveredAt: stats?.lastDeliveredAt ? new Date(stats.lastDeliveredAt).toISOString() : null,
  };
}

/** The secret is write-only: audit entries and responses say whether one is set, never what it is. */
const auditable = (data: { signingSecret?: string | null }) => ({ ...data, signingSecret: data.signingSecret === undefined ? undefined : data.signingSecret ? '(set)' : null });

export async function listWebhooks({ actor }: { actor: Actor }): Promise<WebhookDto[]> {
  requirePermission(actor, 'admin');
  const [rows, stats] = await Promise.all([listWebhookRows(), outboxStats()]);
  return rows.map((r) => toDto(r, stats.get(r.id)));
}

async function uniqueName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (name && isUniqueViolation(err)) throw conflict(`body.name: a destination named "${name}" already exists`);
    throw err;
  }
}

export async function createWebhook({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<WebhookDto> {
  requirePermission(actor, 'admin');
  const data = CreateWebhookInput.parse(input);
  const row = await uniqueName(data.name, () =>
    inTransaction(async (tx) => {
      const created = await insertWebhookRow(data, tx);
      await audit({ actor, action: 'webhook.create', target: { type: 'webhook', id: created.id }, details: auditable(data), ip }, tx);
      return created;
    }),
  );
  return toDto(row);
}

export async function updateWebhook({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<WebhookDto> {
  requirePermission(actor, 'admin');
  const data = UpdateWebhookInput.parse(input);
  const row = await uniqueName(data.name, () =>
    inTransaction(async (tx) => {
      if (!(await findWebhookRow(id, tx))) throw notFound(`No webhook destination with id ${id}`);
      const updated = await updateWebhookRow(id, data, tx);
      await audit({ actor, action: 'webhook.update', target: { type: 'webhook', id }, details: auditable(data), ip }, tx);
      return updated;
    }),
  );
  return toDto(row, (await outboxStats()).get(id));
}

export async function deleteWebhook({ actor, id, ip }: { actor: Actor; id: string; ip?: string }): Promise<{ deleted: true }> {
  requirePermission(actor, 'admin');
  await inTransaction(async (tx) => {
    const existing = await findWebhookRow(id, tx);
    if (!existing) throw notFound(`No webhook destination with id ${id}`);
    await deleteWebhookRow(id, tx);
    await audit({ actor, action: 'webhook.delete', target: { type: 'webhook', id }, details: { name: existing.name, url: existing.url }, ip }, tx);
  });
  return { deleted: true };
}

/** Sends a sample "fired" notification straight away (not through the outbox) and says what happened. */
export async function testWebhook({ actor, id, ip }: { actor: Actor; id: string; ip?: string }): Promise<{ ok: boolean; status: number | null; error: string | null; durationMs: number }> {
  requirePermission(actor, 'admin');
  const row = await findWebhookRow(id);
  if (!row) throw notFound(`No webhook destination with id ${id}`);
  const sample: AlertNotification = {
    version: 1,
    event: 'fired',
    at: new Date().toISOString(),
    actor: describeActor(actor),
    note: 'Test notification from Faultline: no alert is firing.',
    alert: { id: '00000000-0000-0000-0000-000000000000', rule: 'error_rate', severity: 'info', state: 'firing', service: 'faultline-test', target: null, summary: 'Test notification', observed: 0, threshold: 0, startedAt: new Date().toISOString(), resolvedAt: null, url: 'about:blank' },
  };
  const started = performance.now();
  let result: Awaited<ReturnType<typeof postNotification>>;
  try {
    result = await timeout(row.timeoutMs, TimeoutStrategy.Aggressive).execute(({ signal }) => postNotification(row, `test-${Date.now()}`, sample, signal));
  } catch (err) {
    result = { ok: false, status: null, error: err instanceof TaskCancelledError ? `timed out after ${row.timeoutMs} ms` : (err as Error).message };
  }
  await audit({ actor, action: 'webhook.test', target: { type: 'webhook', id }, details: { ok: result.ok, status: result.status }, ip });
  return { ok: result.ok, status: result.status, error: result.ok ? null : result.error, durationMs: Math.round(performance.now() - started) };
}

export async function listNotifications({ actor, query }: { actor: Actor; query: unknown }): Promise<NotificationDto[]> {
  requirePermission(actor, 'admin');
  const q = NotificationListQuery.parse(query);
  return (await listNotificationRows(q)).map(toNotificationDto);
}

function toNotificationDto(r: NotificationRow): NotificationDto {
  return {
    id: r.id.toString(),
    destinationId: r.destinationId,
    destination: r.destination.name,
    alertId: r.alertId,
    event: r.event as NotifyEvent,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    lastError: r.lastError,
    lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    summary: r.alert.summary,
  };
}

export async function retryNotification({ actor, id, ip }: { actor: Actor; id: string; ip?: string }): Promise<NotificationDto> {
  requirePermission(actor, 'admin');
  if (!(await requeueDeadNotification(id))) {
    const exists = await findNotificationRow(BigInt(id));
    throw exists ? conflict(`Notification ${id} is not dead-lettered; only dead ones can be retried`) : notFound(`No notification with id ${id}`);
  }
  await audit({ actor, action: 'notification.retry', target: { type: 'notification', id }, ip });
  wakeNotificationSender();
  return toNotificationDto((await findNotificationRow(BigInt(id)))!);
}
