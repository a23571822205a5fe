// One Faultline replica as production runs it: scripts/serve.mjs (the production build) in its own
// process, on a fixed loopback port so it can be killed and started again at the same address.
// Its output goes to a log file under test-results/chaos/ for post-mortems.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSecondsOf, rssOf, waitForReady } from '@/lib/bench/app';
import { freePort } from '@/lib/db/embedded-postgres';
import { APP_NODE_FLAGS } from '@/lib/server/node-flags';

export const CHAOS_OUTPUT_DIR = join(process.cwd(), 'test-results', 'chaos');

export interface ReplicaOptions {
  label: string;
  databaseUrl: string;
  env?: Record<string, string>;
  port?: number;
}

export class Replica {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  readonly url: string;

  private constructor(
    private readonly options: ReplicaOptions,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Starts a replica and waits until /api/health/ready answers. */
  static async start(options: ReplicaOptions): Promise<Replica> {
    const replica = new Replica(options, options.port ?? (await freePort()));
    await replica.start();
    return replica;
  }

  get pid(): number | null {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? (child.pid ?? null) : null;
  }

  get isRunning(): boolean {
    return this.pid !== null;
  }

  /** Resident memory now, in bytes (0 when not running). */
  rss(): number {
    return this.pid ? rssOf(this.pid) : 0;
  }

  /** CPU seconds the process has used (0 when not running). */
  cpuSeconds(): number {
    return this.pid ? cpuSecondsOf(this.pid) : 0;
  }

  /** (Re)starts the process on the same port and waits for readiness. */
  async start(readyTimeoutMs = 60_000): Promise<void> {
    if (this.isRunning) throw new Error(`replica ${this.options.label} is already running`);
    mkdirSync(CHAOS_OUTPUT_DIR, { recursive: true });
    const log = openSync(join(CHAOS_OUTPUT_DIR, `${this.options.label}.log`), 'a');
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, join(process.cwd(), 'scripts', 'serve.mjs'), 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: this.options.databaseUrl,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        NEXT_TELEMETRY_DISABLED: '1',
        ...this.options.env,
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await Promise.race([
      waitForReady(this.url, readyTimeoutMs),
      this.exited.then(() => {
        throw new Error(`replica ${this.options.label} exited during start (see ${join(CHAOS_OUTPUT_DIR, `${this.options.label}.log`)})`);
      }),
    ]);
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.isRunning) return;
    this.child!.kill(signal);
    await this.exited;
  }

  /** Stops gracefully (SIGTERM), escalating to SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (!this.isRunning) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }
}
