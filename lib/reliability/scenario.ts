// What the chaos tests share: waiting, and one app on a database of its own for the whole file.
import { afterAll, beforeAll } from 'vitest';
import { startChaosDatabase, type ChaosDatabase } from './chaos-database';
import { startReplica } from './replica';
import type { AppProcess } from '@/lib/bench/app';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms; resolves with the time it took, rejects after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

export interface ChaosApp {
  readonly db: ChaosDatabase;
  readonly app: AppProcess;
}

/**
 * Starts a durable cluster and one replica (without the prober unless `env` says otherwise) before
 * the file's tests, and stops both after them. Read `db` and `app` inside tests.
 */
export function chaosAppPerFile(label: string, env: Record<string, string> = {}): ChaosApp {
  const state: { db?: ChaosDatabase; app?: AppProcess } = {};
  beforeAll(async () => {
    state.db = await startChaosDatabase(label);
    state.app = await startReplica({ label, databaseUrl: state.db.url, env: { PROBER_ENABLED: 'false', ...env } });
  });
  afterAll(async () => {
    await state.app?.stop();
    await state.db?.stop();
  });
  return {
    get db() {
      return state.db!;
    },
    get app() {
      return state.app!;
    },
  };
}
