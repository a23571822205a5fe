import { env } from '@/lib/config/env';
import { deleteBreakerEventsBefore } from '@/lib/db/breaker-events';
import { deleteDeliveredNotificationsBefore } from '@/lib/db/notifications';
import { deleteProbeResultsBefore } from '@/lib/db/probe-results';
import { deleteRollupsBefore } from '@/lib/db/rollups';
import { dayStart, dropSpanPartitionsBefore, ensureSpanPartitions } from '@/lib/db/spans';
import { logger } from '@/lib/log/logger';

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

/** Hourly, in the background; every replica may run it (each step is idempotent). */
export function scheduleTelemetryMaintenance(): void {
  const run = async () => {
    await maintainSpanPartitions().catch((err: unknown) => logger().warn({ err }, 'span partition maintenance failed; retrying next hour'));
    await pruneProbesAndBreakers().catch((err: unknown) => logger().warn({ err }, 'probe/breaker retention failed; retrying next hour'));
  };
  setTimeout(() => void run(), 5_000).unref();
  setInterval(() => void run(), 3_600_000).unref();
}
