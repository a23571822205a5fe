import { env } from '@/lib/config/env';
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

/** Hourly, in the background; every replica may run it (each step is idempotent). */
export function scheduleSpanMaintenance(): void {
  const run = () => maintainSpanPartitions().catch((err: unknown) => logger().warn({ err }, 'span partition maintenance failed; retrying next hour'));
  setTimeout(run, 5_000).unref();
  setInterval(run, 3_600_000).unref();
}
