// The rollup worker: pairs callers with callees that arrived in different exports and turns
// them (and callers whose callee never came) into edge minutes. One replica runs it at a time
// (advisory lock), like the prober.
import { env } from '@/lib/config/env';
import { openLockSession, type LockSession } from '@/lib/db/advisory-lock';
import { drainEdgeCandidates } from '@/lib/db/rollups';
import { logger } from '@/lib/log/logger';
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

export class RollupWorker {
  private lock: LockSession | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(private readonly options: { databaseUrl: string; intervalMs: number; graceMs: number }) {}

  get isLeader(): boolean {
    return this.lock !== null;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (this.lock && !(await this.lock.isAlive())) this.lock = null;
      this.lock ??= await openLockSession(this.options.databaseUrl, ROLLUP_LOCK_KEY, () => (this.lock = null));
      if (this.lock) await pairEdgesOnce(this.options.graceMs);
    } catch (err) {
      logger().warn({ err }, 'rollup pairing failed; retrying');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.lock?.close();
    this.lock = null;
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
