// Webhook destinations and the notification outbox (public.webhook_destinations, notifications).
// Rows are claimed per destination with a lease and a token (one claim per destination at a time),
// so any number of senders on any replica deliver each notification once per attempt and in order,
// and a sender that dies mid-attempt only delays it until its lease lapses.
import { randomUUID } from 'node:crypto';
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

export interface NotificationClaim {
  /** Identifies this claim: every later write about these rows checks it. */
  token: string;
  notifications: ClaimedNotification[];
}

/** First key of the per-destination claim lock ("NOTIFY"); the second is the destination's hash. */
const CLAIM_LOCK_CLASS = 0x4e4f54;

/**
 * Leases up to `limit` due notifications of one destination (oldest first) for `leaseMs`, under a
 * new token. A destination is served by one claim at a time across all replicas: while any of its
 * notifications is leased nobody else claims, so they arrive in order and never twice at once.
 * The claim runs under a transaction-level advisory lock taken before the claiming statement, so
 * that statement's snapshot already sees any claim committed just before. Disabled destinations
 * are skipped.
 */
export async function claimDueNotifications(destinationId: string, limit: number, leaseMs: number): Promise<NotificationClaim | null> {
  const client = await pool().connect();
  try {
    await client.query('BEGIN');
    const { rows: lock } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [CLAIM_LOCK_CLASS, destinationId]);
    if (!lock[0]?.locked) {
      await client.query('ROLLBACK');
      return null;
    }
    const token = randomUUID();
    const { rows } = await client.query<ClaimedNotification>(
      `WITH due AS (
         SELECT n.id FROM notifications n
          WHERE n.destination_id = $1 AND n.status = 'pending' AND n.next_attempt_at <= now()
            AND (n.leased_until IS NULL OR n.leased_until < now())
            AND NOT EXISTS (SELECT 1 FROM notifications l WHERE l.destination_id = $1 AND l.status = 'pending' AND l.leased_until >= now())
          ORDER BY n.id
          LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       UPDATE notifications n SET leased_until = now() + make_interval(secs => $3 / 1000.0), lease_token = $4
         FROM due, webhook_destinations d
        WHERE n.id = due.id AND d.id = n.destination_id AND d.enabled
       RETURNING n.id::text AS id, n.destination_id::text AS "destinationId", n.event, n.payload, n.attempts,
                 d.url, d.format::text AS format, d.timeout_ms AS "timeoutMs", d.signing_secret AS "signingSecret"`,
      [destinationId, limit, leaseMs, token],
    );
    await client.query('COMMIT');
    return rows.length === 0 ? null : { token, notifications: rows.sort((a, b) => Number(a.id) - Number(b.id)) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
/** Destinations with something due now (and enabled): what a sender pass visits. */
export async function destinationsWithDueNotifications(): Promise<string[]> {
  const { rows } = await pool().query<{ id: string }>(
    `SELECT DISTINCT n.destination_id::text AS id FROM notifications n JOIN webhook_destinations d ON d.id = n.destination_id
      WHERE d.enabled AND n.status = 'pending' AND n.next_attempt_at <= now() AND (n.leased_until IS NULL OR n.leased_until < now())`,
  );
  return rows.map((r) => r.id);
}

/**
 * Extends the claim's lease on the notifications not yet settled to `leaseMs` from now, right
 * before delivering the next one. False when the claim lapsed and someone else holds them now:
 * the caller stops without delivering.
 */
export async function renewNotificationLease(token: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await pool().query(
    `UPDATE notifications SET leased_until = now() + make_interval(secs => $2 / 1000.0) WHERE lease_token = $1 AND status = 'pending' AND leased_until IS NOT NULL`,
    [token, leaseMs],
  );
  return (rowCount ?? 0) > 0;
}

/** Records a delivery; false when the lease was no longer this claim's (the row is left alone). */
export async function markNotificationDelivered(id: string, token: string): Promise<boolean> {
  const { rowCount } = await pool().query(
    `UPDATE notifications SET status = 'delivered', attempts = attempts + 1, delivered_at = now(), last_attempt_at = now(), leased_until = NULL, lease_token = NULL, last_error = NULL
      WHERE id = $1 AND lease_token = $2`,
    [id, token],
  );
  return rowCount === 1;
}

/** Records a failed attempt: tried again at `retryAt`, or dead-lettered when `retryAt` is null. */
export async function markNotificationFailed(id: string, token: string, error: string, retryAt: Date | null): Promise<void> {
  await pool().query(
    `UPDATE notifications SET attempts = attempts + 1, last_error = $3, last_attempt_at = now(), leased_until = NULL, lease_token = NULL,
            status = CASE WHEN $4::timestamptz IS NULL THEN 'dead'::"NotificationStatus" ELSE status END,
            next_attempt_at = COALESCE($4::timestamptz, next_attempt_at)
      WHERE id = $1 AND lease_token = $2`,
    [id, token, error.slice(0, 1000), retryAt],
  );
}

/** Gives an attempt back without counting it (the destination's breaker refused it): due again at `retryAt`. */
export async function postponeNotification(id: string, token: string, retryAt: Date, reason: string): Promise<void> {
  await pool().query(`UPDATE notifications SET leased_until = NULL, lease_token = NULL, next_attempt_at = $3, last_error = $4 WHERE id = $1 AND lease_token = $2`, [
    id,
    token,
    retryAt,
    reason.slice(0, 1000),
  ]);
}

/** Ends a claim: whatever it still holds is free for the next pass at once. */
export async function releaseNotificationClaim(token: string): Promise<void> {
  await pool().query(`UPDATE notifications SET leased_until = NULL, lease_token = NULL WHERE lease_token = $1 AND status = 'pending'`, [token]);
}

/** Puts a dead-lettered notification back in the queue (Settings → Notifications → Retry). */
export async function requeueDeadNotification(id: string): Promise<boolean> {
  const { rowCount } = await pool().query(
    `UPDATE notifications SET status = 'pending', next_attempt_at = now(), leased_until = NULL, lease_token = NULL WHERE id = $1 AND status = 'dead'`,
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
