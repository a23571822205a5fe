import { deleteLoginAttemptsBefore } from '@/lib/db/login-attempts';
import { deleteExpiredSessions } from '@/lib/db/sessions';
import { logger } from '@/lib/log/logger';

const HOUR_MS = 3_600_000;

/** Deletes expired sessions and login attempts older than a day (the lockout window is minutes). */
export async function purgeExpiredAuthData(now = new Date()): Promise<void> {
  const sessions = await deleteExpiredSessions(now);
  await deleteLoginAttemptsBefore(new Date(now.getTime() - 24 * HOUR_MS));
  if (sessions > 0) logger().info({ sessions }, 'purged expired sessions');
}

/** Runs the purge hourly in the background; safe on several replicas (plain deletes). */
export function scheduleAuthHousekeeping(): void {
  const run = () =>
    purgeExpiredAuthData().catch((err: unknown) => logger().warn({ err }, 'auth housekeeping failed; will retry next hour'));
  setTimeout(run, 10_000).unref();
  setInterval(run, HOUR_MS).unref();
}
