// A background job that exactly one replica runs at a time: the one holding a PostgreSQL
// advisory lock on its own connection. Standbys retry every interval and take over within one
// when the leader's connection (and with it the lock) goes away.
import { openLockSession, type LockSession } from '@/lib/db/advisory-lock';
import { logger } from '@/lib/log/logger';

export interface LeaderLoopOptions {
  name: string;
  databaseUrl: string;
  lockKey: bigint;
  intervalMs: number;
  /** One pass of the job; errors are logged and the next pass runs on schedule. */
  work: () => Promise<void>;
}

export class LeaderLoop {
  private lock: LockSession | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private running: Promise<void> | null = null;

  constructor(private readonly options: LeaderLoopOptions) {}

  get isLeader(): boolean {
    return this.lock !== null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.running = this.tick().finally(() => {
        this.running = null;
        // Fixed rate rather than fixed delay, so ticks stay on schedule while passes take time.
        this.schedule(Math.max(0, this.options.intervalMs - (Date.now() - started)));
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (this.lock && !(await this.lock.isAlive())) this.lock = null;
      this.lock ??= await openLockSession(this.options.databaseUrl, this.options.lockKey, () => (this.lock = null), this.options.name);
      if (this.lock) await this.options.work();
    } catch (err) {
      logger().warn({ err, job: this.options.name }, 'background job pass failed; retrying');
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
