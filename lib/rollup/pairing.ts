// The rollup worker: pairs callers with callees that arrived in different exports and turns
// them (and callers whose callee never came) into edge minutes. One replica runs it at a time
// (advisory lock), like the prober.
import { env } from '@/lib/config/env';
import { drainEdgeCandidates } from '@/lib/db/rollups';
import { LeaderLoop } from '@/lib/server/leader-loop';
import { edgesFromPairs } from './span-facts';

/** Advisory-lock key of the rollup worker ("ROLLUP"). */
export const ROLLUP_LOCK_KEY = 0x524f4c4c5550n;
const PAGE = 20_000;

/** Pairs everything pairable now and finalizes callers older than the grace period; returns the counts. */
export async function pairEdgesOnce(graceMs: number): Promise<{ paired: number; leaves: number }> {
  const total = { paired: 0, leaves: 0 };
  for (;;) {
    const pass = await drainEdgeCandidates(graceMs, PAGE, (callers) =>
      edgesFromPairs(callers.map((c) => ({ caller: c, calleeService: c.calleeService }))),
    );
    total.paired += pass.paired;
    total.leaves += pass.leaves;
    if (pass.paired < PAGE && pass.leaves < PAGE) return total;
  }
}

/** Pairs edges every couple of seconds on the replica holding ROLLUP_LOCK_KEY. */
export class RollupWorker extends LeaderLoop {
  constructor(options: { databaseUrl: string; intervalMs: number; graceMs: number }) {
    super({
      name: 'rollup-pairing',
      databaseUrl: options.databaseUrl,
      lockKey: ROLLUP_LOCK_KEY,
      intervalMs: options.intervalMs,
      work: async () => void (await pairEdgesOnce(options.graceMs)),
    });
  }
}

const holder = globalThis as typeof globalThis & { __faultlineRollupWorker?: RollupWorker };

export function startRollupWorker(): RollupWorker | null {
  const config = env();
  if (!config.DATABASE_URL) return null;
  holder.__faultlineRollupWorker ??= new RollupWorker({
    databaseUrl: config.DATABASE_URL,
    intervalMs: 2_000,
    graceMs: config.ROLLUP_PAIRING_GRACE_SECONDS * 1000,
  });
  holder.__faultlineRollupWorker.start();
  return holder.__faultlineRollupWorker;
}
