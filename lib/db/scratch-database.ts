// A throwaway PostgreSQL of its own for a benchmark, an evaluation or a chaos test: a fresh
// cluster in a temp directory, migrated, and what lib/db in this process talks to from then on.
import { rmSync } from 'node:fs';
import { resetEnv } from '@/lib/config/env';
import { closeDb } from './client';
import { startCluster, throwawayClusterDir, type RunningCluster } from './embedded-postgres';
import { applyMigrations } from './migrate';

export interface ScratchDatabase {
  cluster: RunningCluster;
  url: string;
  /** Closes this process's pool, stops the cluster and deletes its directory. */
  stop(): Promise<void>;
}

/**
 * `ephemeral` trades durability for speed (fsync off): only where a crash does not matter and the
 * figures are not about writing. Durable by default, as production runs.
 */
export async function startScratchDatabase(options: { label: string; database: string; ephemeral?: boolean }): Promise<ScratchDatabase> {
  const dir = throwawayClusterDir(options.label);
  const cluster = await startCluster({ dir, database: options.database, ephemeral: options.ephemeral });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await closeDb();
    await cluster.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await applyMigrations(cluster.url);
  } catch (err) {
    await stop();
    throw err;
  }
  process.env.DATABASE_URL = cluster.url;
  resetEnv();
  return { cluster, url: cluster.url, stop };
}
