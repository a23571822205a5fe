import { env } from '@/lib/config/env';

const DAY_MS = 86_400_000;

/**
 * The event times ingest accepts: within the retention period, and at most a day ahead (clock
 * skew). Anything else would be deleted at once or land where no query looks.
 */
export function retainedWindow(now = Date.now()): { oldestMs: number; newestMs: number; describe: string } {
  const days = env().FAULTLINE_RETENTION_DAYS;
  return { oldestMs: now - days * DAY_MS, newestMs: now + DAY_MS, describe: `within the last ${days} days and at most 1 day ahead` };
}
