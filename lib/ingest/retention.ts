import { env } from '@/lib/config/env';
import { deleteBreakerEventsBefore } from '@/lib/db/breaker-events';
import { deleteDeliveredNotificationsBefore } from '@/lib/db/notifications';
import { deleteProbeResultsBefore } from '@/lib/db/probe-results';
import { deleteRollupsBefore } from '@/lib/db/rollups';
import { dayStart, dropSpanPartitionsBefore, ensureSpanPartitions } from '@/lib/db/spans';
import { logger } from '@/lib/log/logger';
import { LeaderLoop } from '@/lib/server/leader-loop';

const DAY_MS = 86_400_000;

/**
 * Creates today's and tomorrow's span partitions ahead of traffic and drops whole partitions
 * older than FAULTLINE_RETENTION_DAYS (plus the trace summaries that started before the cutoff).
 */
export async function maintainSpanPartitions(now = new Date()): Promise<{ dropped: string[] }> {
  const today = dayStart(now.getTime());
  await ensureSpanPartitions([today, today + DAY_MS]);
  const cutoff = new Date(today - env().FAULTLINE_RETENTION_DAYS * DAY_MS);
  const dropped = await dropSpanPartitionsBefore(cutoff);
  if (dropped.length > 0) logger().info({ dropped, cutoff: cutoff.toISOString() }, 'dropped expired span partitions');
  return { dropped };
}

/**
 * Deletes probe results, breaker transitions (each breaker keeps its newest), rollups and
 * delivered notifications older than FAULTLINE_RETENTION_DAYS; 10 s rollups after
 * FAULTLINE_FINE_ROLLUP_HOURS.
 */
export async function pruneProbesAndBreakers(now = new Date()): Promise<{ probeResults: number; breakerEvents: number; rollups: number; notifications: number }> {
  const cutoff = new Date(now.getTime() - env().FAULTLINE_RETENTION_DAYS * DAY_MS);
  const probeResults = await deleteProbeResultsBefore(cutoff);
  const breakerEvents = await deleteBreakerEventsBefore(cutoff);
  const fineCutoff = new Date(Math.max(cutoff.getTime(), now.getTime() - env().FAULTLINE_FINE_ROLLUP_HOURS * 3_600_000));
  const rollups = await deleteRollupsBefore(cutoff, fineCutoff);
  const notifications = await deleteDeliveredNotificationsBefore(cutoff);
  if (probeResults + breakerEvents + rollups + notifications > 0) {
    logger().info({ probeResults, breakerEvents, rollups, notifications, cutoff: cutoff.toISOString() }, 'pruned expired probe results, breaker events, rollups and delivered notifications');
  }
  return { probeResults, breakerEvents, rollups, notifications };
}

/** Advisory-lock key of telemetry maintenance ("RETAIN"). */
export const MAINTENANCE_LOCK_KEY = 0x52455441494en;

const holder = globalThis as typeof globalThis & { __faultlineMaintenance?: LeaderLoop };

/**
 * Hourly on one replica (each step is idempotent, but N replicas dropping the same partition at
 * once only trade lock waits and "does not exist" warnings). Today's and tomorrow's partitions
 * are made a day ahead, so a standby taking over within the hour is in time.
 */
export function scheduleTelemetryMaintenance(): LeaderLoop | null {
  const config = env();
  if (!config.DATABASE_URL) return null;
  holder.__faultlineMaintenance ??= new LeaderLoop({
    name: 'retention',
    databaseUrl: config.DATABASE_URL,
    lockKey: MAINTENANCE_LOCK_KEY,
    intervalMs: 3_600_000,
    work: async () => {
      await maintainSpanPartitions().catch((err: unknown) => logger().warn({ err }, 'span partition maintenance failed; retrying next hour'));
      await pruneProbesAndBreakers().catch((err: unknown) => logger().warn({ err }, 'probe/breaker retention failed; retrying next hour'));
    },
  });
  holder.__faultlineMaintenance.start();
  return holder.__faultlineMaintenance;
}
