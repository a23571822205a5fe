import { TaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import { migrationState, pingDatabase } from '@/lib/db/health';

// IETF draft-inadarei-api-health-check: application/health+json.
export type HealthStatus = 'pass' | 'warn' | 'fail';
export interface HealthCheck {
  componentType?: string;
  observedValue?: number | string;
  observedUnit?: string;
  status: HealthStatus;
  time: string;
  output?: string;
}
export interface HealthDocument {
  status: HealthStatus;
  version: string;
  serviceId: string;
  description: string;
  checks: Record<string, HealthCheck[]>;
  output?: string;
}

const VERSION = process.env.npm_package_version ?? '0.1.0';

function base(status: HealthStatus, checks: HealthDocument['checks'] = {}): HealthDocument {
  return { status, version: VERSION, serviceId: 'faultline', description: 'Faultline incident-correlation dashboard', checks };
}

export function liveness(): HealthDocument {
  return base('pass', {
    'process:uptime': [{ componentType: 'system', observedValue: Math.round(process.uptime()), observedUnit: 's', status: 'pass', time: new Date().toISOString() }],
  });
}

/**
 * How long readiness waits for the database. A database this slow cannot take writes at any useful
 * rate, so the replica reports itself not ready (a load balancer moves traffic away) instead of
 * answering the health check late or never.
 */
export const READINESS_DATABASE_TIMEOUT_MS = 2_000;

// Aggressive: gives up at the deadline even though the query itself cannot be cancelled.
const databaseDeadline = timeout(READINESS_DATABASE_TIMEOUT_MS, TimeoutStrategy.Aggressive);

/** Ready when the database answers within READINESS_DATABASE_TIMEOUT_MS and every migration in prisma/migrations is applied. */
export async function readiness(): Promise<HealthDocument> {
  const time = new Date().toISOString();
  const checks: HealthDocument['checks'] = {};
  try {
    const ms = await databaseDeadline.execute(() => pingDatabase());
    checks['postgres:responseTime'] = [{ componentType: 'datastore', observedValue: ms, observedUnit: 'ms', status: 'pass', time }];
    const migrations = await databaseDeadline.execute(() => migrationState());
    const ok = migrations.pending.length === 0 && migrations.failed.length === 0;
    checks['postgres:migrations'] = [
      {
        componentType: 'datastore',
        observedValue: migrations.applied,
        status: ok ? 'pass' : 'fail',
        time,
        ...(ok ? {} : { output: `pending: ${migrations.pending.join(', ') || 'none'}; failed: ${migrations.failed.join(', ') || 'none'}` }),
      },
    ];
  } catch (err) {
    const output = err instanceof TaskCancelledError ? `database did not answer within ${READINESS_DATABASE_TIMEOUT_MS} ms` : `database unreachable: ${(err as Error).message}`;
    checks['postgres:responseTime'] = [{ componentType: 'datastore', status: 'fail', time, output }];
  }
  const failed = Object.values(checks).flat().some((c) => c.status === 'fail');
  return base(failed ? 'fail' : 'pass', checks);
}

export function healthResponse(doc: HealthDocument): Response {
  return new Response(JSON.stringify(doc), {
    status: doc.status === 'fail' ? 503 : 200,
    headers: { 'Content-Type': 'application/health+json', 'Cache-Control': 'no-store' },
  });
}
