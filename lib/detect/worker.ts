// The live detector: evaluates the rules every DETECTION_INTERVAL_SECONDS at the current time
// (event time: windows are of the data's own timestamps; the current 10 s bucket is whatever has
// arrived so far), then groups new alerts into incidents and refreshes their analyses. One
// replica at a time, by advisory lock.
import { env } from '@/lib/config/env';
import { correlateAlerts } from '@/lib/correlate/engine';
import { logger } from '@/lib/log/logger';
import { wakeNotificationSender } from '@/lib/notify/sender';
import { LeaderLoop } from '@/lib/server/leader-loop';
import { runDetectionTick } from './engine';

/** Advisory-lock key of the live detector ("DETECT"). */
export const DETECTION_LOCK_KEY = 0x444554454354n;

const holder = globalThis as typeof globalThis & { __faultlineDetector?: LeaderLoop };

export function startDetector(): LeaderLoop | null {
  const config = env();
  if (!config.DATABASE_URL || !config.DETECTION_ENABLED) return null;
  holder.__faultlineDetector ??= new LeaderLoop({
    name: 'detector',
    databaseUrl: config.DATABASE_URL,
    lockKey: DETECTION_LOCK_KEY,
    intervalMs: config.DETECTION_INTERVAL_SECONDS * 1000,
    work: async () => {
      const at = new Date();
      const outcome = await runDetectionTick(at);
      if (outcome.fired.length + outcome.resolved.length > 0) {
        logger().info({ fired: outcome.fired.length, resolved: outcome.resolved.length }, 'alerts changed');
        wakeNotificationSender();
      }
      const incidents = await correlateAlerts(at);
      if (incidents.created.length + incidents.merged.length > 0) logger().info({ created: incidents.created.length, merged: incidents.merged.length }, 'incidents changed');
    },
  });
  holder.__faultlineDetector.start();
  return holder.__faultlineDetector;
}
