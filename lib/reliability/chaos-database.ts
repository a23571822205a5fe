// A durable PostgreSQL cluster of a chaos test's own (fsync and synchronous commit on: a crash
// must not lose what was committed), migrated, with API keys for the senders.
import { createApiKey } from '@/lib/auth/api-keys';
import { startScratchDatabase, type ScratchDatabase } from '@/lib/db/scratch-database';

export interface ChaosDatabase extends ScratchDatabase {
  ingestKey: string;
  adminKey: string;
}

export async function startChaosDatabase(label: string): Promise<ChaosDatabase> {
  process.env.LOG_LEVEL ??= 'silent';
  const database = await startScratchDatabase({ label: `chaos-${label}`, database: 'faultline' });
  const system = { kind: 'system', name: 'chaos suite' } as const;
  const { key: ingestKey } = await createApiKey({ actor: system, input: { name: 'chaos senders', scopes: ['ingest'] } });
  const { key: adminKey } = await createApiKey({ actor: system, input: { name: 'chaos admin', scopes: ['admin'] } });
  return { ...database, ingestKey, adminKey };
}
