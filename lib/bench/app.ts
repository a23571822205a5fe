// The production app as benchmarks and the chaos suite run it, and readings of its process.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from '@/lib/db/embedded-postgres';
import { APP_NODE_FLAGS } from '@/lib/server/node-flags';

export function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () =>
      fetch(`${url}/api/health/ready`)
        .then((r) => (r.ok ? resolve() : retry()))
        .catch(retry);
    const retry = () => (Date.now() > deadline ? reject(new Error('app did not become ready')) : setTimeout(poll, 250));
    poll();
  });
}

export interface AppProcessOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** A fixed port (so a restart comes back at the same address); a free one when absent. */
  port?: number;
  /** Extra node flags (say, --cpu-prof). */
  nodeFlags?: string[];
  /** Where the app's output goes; without one its stderr is this process's. */
  logFile?: string;
}

/**
 * The production app as benchmarks and the chaos suite run it: scripts/serve.mjs in its own
 * process on a loopback port, ready when /api/health/ready answers, and able to be killed and
 * started again at the same address.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  readonly url: string;

  private constructor(
    private readonly options: AppProcessOptions,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Starts the app and waits until /api/health/ready answers. */
  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const app = new AppProcess(options, options.port ?? (await freePort()));
    await app.start();
    return app;
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
    if (this.isRunning) throw new Error(`the app on port ${this.port} is already running`);
    const { logFile } = this.options;
    let log: number | null = null;
    if (logFile) {
      mkdirSync(dirname(logFile), { recursive: true });
      log = openSync(logFile, 'a');
    }
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...(this.options.nodeFlags ?? []), join(process.cwd(), 'scripts', 'serve.mjs'), 'start'], {
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
      stdio: log === null ? ['ignore', 'ignore', 'inherit'] : ['ignore', log, log],
    });
    if (log !== null) closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await Promise.race([
      waitForReady(this.url, readyTimeoutMs),
      this.exited.then(() => {
        throw new Error(`the app exited during start${logFile ? ` (see ${logFile})` : ''}`);
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

/** Resident memory of a process in bytes (Linux /proc), 0 when it is gone. */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
