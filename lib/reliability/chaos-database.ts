// A durable PostgreSQL cluster of a chaos test's own (fsync and synchronous commit on: a crash
// must not lose what was committed), migrated, with API keys for the senders.
import { rmSync } from 'node:fs';
import { createApiKey } from '@/lib/auth/api-keys';
import { resetEnv } from '@/lib/config/env';
import { closeDb } from '@/lib/db/client';
import { startCluster, throwawayClusterDir, type RunningCluster } from '@/lib/db/embedded-postgres';
import { applyMigrations } from '@/lib/db/migrate';

export interface ChaosDatabase {
  cluster: RunningCluster;
  url: string;
  ingestKey: string;
  adminKey: string;
  stop(): Promise<void>;
}

export async function startChaosDatabase(label: string): Promise<ChaosDatabase> {
  const cluster = await startCluster({ dir: throwawayClusterDir(`chaos-${label}`), database: 'faultline' });
  await applyMigrations(cluster.url);
  // lib/db in this (test) process talks to the same database as the replicas.
  process.env.DATABASE_URL = cluster.url;
  process.env.LOG_LEVEL ??= 'silent';
  resetEnv();
  const system = { kind: 'system', name: 'chaos suite' } as const;
  const { key: ingestKey } = await createApiKey({ actor: system, input: { name: 'chaos senders', scopes: ['ingest'] } });
  const { key: adminKey } = await createApiKey({ actor: system, input: { name: 'chaos admin', scopes: ['admin'] } });
  return {
    cluster,
    url: cluster.url,
    ingestKey,
    adminKey,
    async stop() {
      await closeDb();
      await cluster.stop().catch(() => undefined);
      rmSync(cluster.dir, { recursive: true, force: true });
    },
  };
}
