// Entry point of one fleet process (spawned by lib/sim/fleet.ts with `node --import tsx`).
// Its configuration arrives as JSON in FLEET_SERVICE_CONFIG; it reports readiness over IPC and
// exits when its parent goes away, so a killed demo never leaves services behind.
import type { ServiceProcessConfig } from './topology';
import { runService } from './service/runtime';

const config = JSON.parse(process.env.FLEET_SERVICE_CONFIG ?? 'null') as (ServiceProcessConfig & { external: boolean }) | null;
if (!config) {
  process.stderr.write('FLEET_SERVICE_CONFIG is not set: fleet services are started by `npm run demo`\n');
  process.exit(64);
}

const service = await runService(config, config.external);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const deadline = setTimeout(() => process.exit(0), 3_000);
  deadline.unref();
  await service.stop().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
process.send?.({ ready: true, port: service.port });
