// Next.js start-up hook: validate the configuration before serving anything, then start background jobs.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('@/lib/config/env');
  // Throws a ConfigError naming each bad variable; Next then refuses to start.
  env();
  const { scheduleAuthHousekeeping } = await import('@/lib/auth/housekeeping');
  scheduleAuthHousekeeping();
  const { installExportAdmission } = await import('@/lib/ingest/otlp-traces');
  installExportAdmission();
  const { scheduleTelemetryMaintenance } = await import('@/lib/ingest/retention');
  scheduleTelemetryMaintenance();
  const { startRollupWorker } = await import('@/lib/rollup/pairing');
  startRollupWorker();
  const { startProber } = await import('@/lib/probes/prober');
  startProber();
  const { startDetector } = await import('@/lib/detect/worker');
  startDetector();
  const { startNotificationSender } = await import('@/lib/notify/sender');
  startNotificationSender();
}
