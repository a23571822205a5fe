// The active prober: checks every configured target on its own jittered schedule. Exactly one
// replica probes at a time — the one holding a PostgreSQL advisory lock on its own connection —
// and a standby takes over within seconds when that connection dies with its process.
import { bulkhead, isBulkheadRejectedError, type BulkheadPolicy } from 'cockatiel';
import { env } from '@/lib/config/env';
import { openLockSession, type LockSession } from '@/lib/db/advisory-lock';
import { insertProbeResults } from '@/lib/db/probe-results';
import { listProbeTargetRows, type ProbeTargetRow } from '@/lib/db/probe-targets';
import { logger } from '@/lib/log/logger';
import type { ProbeResult } from '@/lib/schemas/probes';
import { checkProbeTarget } from './check';

/** Advisory-lock key of the prober ("FAULT" in ASCII); other Faultline singletons use other keys. */
export const PROBER_LOCK_KEY = 0x4641554c54n;

export interface ProberOptions {
  databaseUrl: string;
  /** Probes in flight at once; more due probes wait in a queue of 8× this (then are skipped). */
  concurrency: number;
  /** How often a standby tries to take over, and the leader re-reads targets and checks its lock. */
  pollMs?: number;
  /** Where results go (the database unless a test says otherwise). */
  record?: (results: ProbeResult[]) => Promise<unknown>;
  /** Random source for jitter (tests pin it). */
  random?: () => number;
  name?: string;
}

interface Scheduled {
  target: ProbeTargetRow;
  timer: NodeJS.Timeout;
}

const JITTER = 0.1;

export class Prober {
  private readonly pollMs: number;
  private readonly random: () => number;
  private readonly record: (results: ProbeResult[]) => Promise<unknown>;
  private readonly bulkhead: BulkheadPolicy;
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly running = new Set<Promise<unknown>>();
  private lock: LockSession | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ticking = false;
  private readonly log;

  constructor(private readonly options: ProberOptions) {
    this.pollMs = options.pollMs ?? 5_000;
    this.random = options.random ?? Math.random;
    this.record = options.record ?? ((results) => insertProbeResults(results));
    this.bulkhead = bulkhead(options.concurrency, options.concurrency * 8);
    this.log = logger().child({ component: 'prober', prober: options.name });
  }

  /** Whether this instance currently holds the lock and runs probes. */
  get isLeader(): boolean {
    return this.lock !== null;
  }

  /** Ids of the targets on the schedule (unpaused ones, while leader). */
  get scheduledTargetIds(): string[] {
    return [...this.scheduled.keys()];
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Re-reads targets now rather than at the next poll (after an edit in this process). */
  refresh(): void {
    if (this.lock) void this.tick();
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => void this.tick(), this.pollMs);
    this.pollTimer.unref();
  }

  /** One poll: take or confirm leadership, then bring the schedule in line with the targets. */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      if (this.lock && !(await this.lock.isAlive())) {
        this.log.warn('lost the prober lock connection; standing down');
        this.standDown();
      }
      if (!this.lock) {
        this.lock = await openLockSession(this.options.databaseUrl, PROBER_LOCK_KEY, () => {
          if (this.lock) this.log.warn('prober lock connection closed; standing down');
          this.standDown();
        }, 'prober');
        if (this.lock) this.log.info('took the prober lock; probing');
      }
      if (this.lock && !this.stopped) this.reconcile(await listProbeTargetRows());
    } catch (err) {
      this.log.warn({ err }, 'prober poll failed; retrying');
    } finally {
      this.ticking = false;
      this.schedulePoll();
    }
  }

  private reconcile(targets: readonly ProbeTargetRow[]): void {
    const wanted = new Map(targets.filter((t) => !t.paused).map((t) => [t.id, t]));
    for (const [id, entry] of this.scheduled) {
      const next = wanted.get(id);
      if (!next || next.updatedAt.getTime() !== entry.target.updatedAt.getTime()) {
        clearTimeout(entry.timer);
        this.scheduled.delete(id);
      }
    }
    for (const target of wanted.values()) {
      // A new or edited target starts at a random point of its first interval, so targets added
      // together do not probe in lockstep.
      if (!this.scheduled.has(target.id)) this.scheduleRun(target, this.random() * target.intervalSeconds * 1000);
    }
  }

  private scheduleRun(target: ProbeTargetRow, delayMs: number): void {
    const timer = setTimeout(() => this.run(target), Math.max(0, delayMs));
    timer.unref();
    this.scheduled.set(target.id, { target, timer });
  }

  private run(target: ProbeTargetRow): void {
    const started = Date.now();
    const intervalMs = target.intervalSeconds * 1000;
    const work = this.bulkhead
      .execute(() => checkProbeTarget(target))
      .then((results) => this.record(results))
      .catch((err: unknown) => {
        if (isBulkheadRejectedError(err)) this.log.warn({ target: target.name }, 'prober saturated: skipped a run (raise PROBER_CONCURRENCY?)');
        else this.log.warn({ err, target: target.name }, 'could not record a probe result');
      })
      .finally(() => {
        this.running.delete(work);
        const entry = this.scheduled.get(target.id);
        if (!entry || entry.target !== target || !this.lock) return;
        const jittered = intervalMs * (1 - JITTER + 2 * JITTER * this.random());
        this.scheduleRun(target, started + jittered - Date.now());
      });
    this.running.add(work);
  }

  private standDown(): void {
    for (const entry of this.scheduled.values()) clearTimeout(entry.timer);
    this.scheduled.clear();
    const lock = this.lock;
    this.lock = null;
    void lock?.close();
  }

  /** Stops probing, waits for probes in flight and releases the lock for a standby. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    for (const entry of this.scheduled.values()) clearTimeout(entry.timer);
    this.scheduled.clear();
    await Promise.allSettled([...this.running]);
    const lock = this.lock;
    this.lock = null;
    await lock?.close();
  }
}

const holder = globalThis as typeof globalThis & { __faultlineProber?: Prober };

/** Starts this process's prober (a standby until it wins the lock), unless PROBER_ENABLED=false. */
export function startProber(): Prober | null {
  const config = env();
  if (!config.PROBER_ENABLED || !config.DATABASE_URL) return null;
  if (!holder.__faultlineProber) {
    holder.__faultlineProber = new Prober({ databaseUrl: config.DATABASE_URL, concurrency: config.PROBER_CONCURRENCY });
    holder.__faultlineProber.start();
  }
  return holder.__faultlineProber;
}

/** Called after a target is added, edited or deleted here; other replicas see it at their next poll. */
export function notifyProbeTargetsChanged(): void {
  holder.__faultlineProber?.refresh();
}
