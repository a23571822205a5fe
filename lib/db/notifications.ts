// Webhook destinations and the notification outbox (public.webhook_destinations, notifications).
// Rows are claimed with a lease (FOR UPDATE SKIP LOCKED), so any number of senders on any replica
// deliver each notification once per attempt, and a sender that dies mid-attempt only delays it.
import type { CreateWebhookInput, UpdateWebhookInput } from '@/lib/schemas/notify';
import type { NotificationStatus, Prisma } from './generated/client';
import { pool, prisma, type DbClient } from './client';

export type WebhookRow = Prisma.WebhookDestinationGetPayload<object>;

export function listWebhookRows(db: DbClient = prisma()): Promise<WebhookRow[]> {
  return db.webhookDestination.findMany({ orderBy: { name: 'asc' } });
}

export function findWebhookRow(id: string, db: DbClient = prisma()): Promise<WebhookRow | null> {
  return db.webhookDestination.findUnique({ where: { id } });
}

export function insertWebhookRow(data: CreateWebhookInput, db: DbClient = prisma()): Promise<WebhookRow> {
  return db.webhookDestination.create({ data: { ...data, signingSecret: data.signingSecret || null } });
}

export function updateWebhookRow(id: string, data: UpdateWebhookInput, db: DbClient = prisma()): Promise<WebhookRow> {
  const { signingSecret, ...rest } = data;
  return db.webhookDestination.update({ where: { id }, data: { ...rest, ...(signingSecret !== undefined ? { signingSecret: signingSecret || null } : {}) } });
}

export async function deleteWebhookRow(id: string, db: DbClient = prisma()): Promise<void> {
  await db.webhookDestination.delete({ where: { id } });
}

export interface NewNotification {
  destinationId: string;
  alertId: string;
  event: string;
  payload: Prisma.InputJsonValue;
}

export async function enqueueNotifications(rows: readonly NewNotification[], db: DbClient = prisma()): Promise<void> {
  if (rows.length > 0) await db.notification.createMany({ data: [...rows] });
}

export interface ClaimedNotification {
  id: string;
  destinationId: string;
  event: string;
  payload: unknown;
  attempts: number;
  url: string;
  format: 'json' | 'slack';
  timeoutMs: number;
  signingSecret: string | null;
}

/**
 * Leases up to `limit` due notifications of one destination (oldest first, so a destination's
 * notifications arrive in order) for `leaseMs`. Disabled destinations are skipped.
 */
export async function claimDueNotifications(destinationId: string, limit: number, leaseMs: number): Promise<ClaimedNotification[]> {
  const { rows } = await pool().query<ClaimedNotification>(
    `WITH due AS (
       SELECT n.id FROM notifications n
        WHERE n.destination_id = $1 AND n.status = 'pending' AND n.next_attempt_at <= now()
          AND (n.leased_until IS NULL OR n.leased_until < now())
        ORDER BY n.id
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     )
     UPDATE notifications n SET leased_until = now() + make_interval(secs => $3 / 1000.0)
       FROM due, webhook_destinations d
      WHERE n.id = due.id AND d.id = n.destination_id AND d.enabled
     RETURNING n.id::text AS id, n.destination_id::text AS "destinationId", n.event, n.payload, n.attempts,
               d.url, d.format::text AS format, d.timeout_ms AS "timeoutMs", d.signing_secret AS "signingSecret"`,
    [destinationId, limit, leaseMs],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Destinations with something due now (and enabled): what a sender pass visits. */
export async function destinationsWithDueNotifications(): Promise<string[]> {
  const { rows } = await pool().query<{ id: string }>(
    `SELECT DISTINCT n.destination_id::text AS id FROM notifications n JOIN webhook_destinations d ON d.id = n.destination_id
      WHERE d.enabled AND n.status = 'pending' AND n.next_attempt_at <= now() AND (n.leased_until IS NULL OR n.leased_until < now())`,
  );
  return rows.map((r) => r.id);
}

export async function markNotificationDelivered(id: string): Promise<void> {
  await pool().query(
    `UPDATE notifications SET status = 'delivered', attempts = attempts + 1, delivered_at = now(), last_attempt_at = now(), leased_until = NULL, last_error = NULL WHERE id = $1`,
    [id],
  );
}

/** Records a failed attempt: tried again at `retryAt`, or dead-lettered when `retryAt` is null. */
export async function markNotificationFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
  await pool().query(
    `UPDATE notifications SET attempts = attempts + 1, last_error = $2, last_attempt_at = now(), leased_until = NULL,
            status = CASE WHEN $3::timestamptz IS NULL THEN 'dead'::"NotificationStatus" ELSE status END,
            next_attempt_at = COALESCE($3::timestamptz, next_attempt_at)
      WHERE id = $1`,
    [id, error.slice(0, 1000), retryAt],
  );
}

/** Gives an attempt back without counting it (the destination's breaker refused it): due again at `retryAt`. */
export async function postponeNotification(id: string, retryAt: Date, reason: string): Promise<void> {
  await pool().query(`UPDATE notifications SET leased_until = NULL, next_attempt_at = $2, last_error = $3 WHERE id = $1`, [id, retryAt, reason.slice(0, 1000)]);
}

/** Puts a dead-lettered notification back in the queue (Settings → Notifications → Retry). */
export async function requeueDeadNotification(id: string): Promise<boolean> {
  const { rowCount } = await pool().query(
    `UPDATE notifications SET status = 'pending', next_attempt_at = now(), leased_until = NULL WHERE id = $1 AND status = 'dead'`,
    [id],
  );
  return rowCount === 1;
}

export interface OutboxStats {
  destinationId: string;
  pending: number;
  dead: number;
  delivered: number;
  lastError: string | null;
  lastDeliveredAt: Date | null;
}

export async function outboxStats(): Promise<Map<string, OutboxStats>> {
  const { rows } = await pool().query<OutboxStats>(
    `SELECT destination_id::text AS "destinationId",
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'dead')::int AS dead,
            count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
            (array_agg(last_error ORDER BY last_attempt_at DESC NULLS LAST) FILTER (WHERE last_error IS NOT NULL))[1] AS "lastError",
            max(delivered_at) AS "lastDeliveredAt"
       FROM notifications GROUP BY destination_id`,
  );
  return new Map(rows.map((r) => [r.destinationId, r]));
}

const WITH_NAMES = { destination: { select: { name: true } }, alert: { select: { summary: true } } } as const;
export type NotificationRow = Prisma.NotificationGetPayload<{ include: typeof WITH_NAMES }>;

export function listNotificationRows(q: { status?: NotificationStatus; destinationId?: string; limit: number }, db: DbClient = prisma()): Promise<NotificationRow[]> {
  return db.notification.findMany({
    where: { ...(q.status ? { status: q.status } : {}), ...(q.destinationId ? { destinationId: q.destinationId } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit,
    include: WITH_NAMES,
  });
}

export function findNotificationRow(id: bigint, db: DbClient = prisma()): Promise<NotificationRow | null> {
  return db.notification.findUnique({ where: { id }, include: WITH_NAMES });
}

/** Delivered notifications older than the cutoff are history nobody needs. */
export async function deleteDeliveredNotificationsBefore(cutoff: Date): Promise<number> {
  const { rowCount } = await pool().query(`DELETE FROM notifications WHERE status = 'delivered' AND delivered_at < $1`, [cutoff]);
  return rowCount ?? 0;
}
