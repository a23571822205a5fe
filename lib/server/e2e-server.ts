import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { resetEnv } from '@/lib/config/env';
import { createUserAsSystem } from '@/lib/auth/users';
import { closeDb } from '@/lib/db/client';
import { startCluster, throwawayClusterDir } from '@/lib/db/embedded-postgres';
import { applyMigrations } from '@/lib/db/migrate';
import { seedStarterRunbooks } from '@/lib/runbooks/sync';
import { APP_NODE_FLAGS } from './node-flags';

/** Accounts the Playwright specs sign in with; they exist only in the throwaway database. */
export const E2E_USERS = {
  admin: { email: 'admin@e2e.test', password: 'e2e-admin-password', role: 'admin' },
  responder: { email: 'responder@e2e.test', password: 'e2e-responder-password', role: 'responder' },
  editor: { email: 'editor@e2e.test', password: 'e2e-editor-password', role: 'editor' },
  viewer: { email: 'viewer@e2e.test', password: 'e2e-viewer-password', role: 'viewer' },
  lockout: { email: 'lockout@e2e.test', password: 'e2e-lockout-password', role: 'viewer' },
} as const;

export async function runE2eServer(): Promise<void> {
  const dir = throwawayClusterDir('e2e');
  const cluster = await startCluster({ dir, database: 'faultline_e2e', ephemeral: true });
  const cleanup = async () => {
    await cluster.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await applyMigrations(cluster.url);
    process.env.DATABASE_URL = cluster.url;
    resetEnv();
    for (const user of Object.values(E2E_USERS)) await createUserAsSystem(user);
    await seedStarterRunbooks();
    await closeDb();
  } catch (err) {
    await cleanup();
    throw err;
  }

  const child = spawn(process.execPath, [...APP_NODE_FLAGS, join(process.cwd(), 'scripts', 'serve.mjs'), 'start'], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: cluster.url, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    await cleanup();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  child.on('exit', (code) => void stop(code ?? 1));
}
