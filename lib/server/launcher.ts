import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigError, env } from '@/lib/config/env';
import { ensureInitialAdmin } from '@/lib/auth/users';
import { closeDb } from '@/lib/db/client';
import { seedStarterRunbooks } from '@/lib/runbooks/sync';
import { prepareDatabase } from './database';
import { APP_NODE_FLAGS } from './node-flags';

const SOURCE_DIRS = ['app', 'components', 'lib', 'prisma', 'public'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'next.config.ts', 'tsconfig.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'generated') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** A production build is needed when there is none or a source file changed after it. */
export function isBuildStale(root = process.cwd()): boolean {
  const buildId = join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return [...SOURCE_DIRS, ...SOURCE_FILES].some((p) => newestMtime(join(root, p)) > builtAt);
}

function nextBin(): string {
  return createRequire(import.meta.url).resolve('next/dist/bin/next');
}

/** Runs `next build` when the build is missing or older than the sources; false when it fails. */
export function buildIfStale(log: (line: string) => void): boolean {
  if (!isBuildStale()) return true;
  log('Building the app (next build)…');
  const build = spawnSync(process.execPath, [nextBin(), 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1' },
  });
  return build.status === 0;
}

const say = (line: string) => process.stdout.write(`[faultline] ${line}\n`);

function banner(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  say('='.repeat(width));
  for (const line of lines) say(`  ${line}`);
  say('='.repeat(width));
}

/**
 * `npm start` and `npm run dev`: validates the configuration, builds if needed (start), brings up
 * the database, creates the first admin, runs Next and tears everything down on Ctrl-C/SIGTERM.
 */
/** What `npm run demo` adds around a normal start. */
export interface LaunchExtras {
  /** Extra environment for the app process. */
  appEnv?: Record<string, string>;
  /** Runs once the database is ready, before the app starts (the database pool is still open). */
  prepare?: (database: { url: string }) => Promise<void>;
  /** Runs once the app answers /api/health/ready; returns lines for the banner and how to stop. */
  afterReady?: (appUrl: string) => Promise<{ lines: string[]; stop: () => Promise<void> }>;
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/api/health/ready`, { signal: AbortSignal.timeout(2_000) })).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

export async function launch(mode: 'start' | 'dev', extras: LaunchExtras = {}): Promise<void> {
  let config;
  try {
    config = env();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1' };

  if (mode === 'start' && !buildIfStale(say)) {
    process.stderr.write('next build failed\n');
    process.exit(1);
  }

  const database = await prepareDatabase({ log: say, owner: true });
  const admin = await ensureInitialAdmin();
  const starterRunbooks = await seedStarterRunbooks();
  await extras.prepare?.({ url: database.url });
  await closeDb();

  const url = `http://localhost:${config.PORT}`;
  const child: ChildProcess = spawn(process.execPath, [...APP_NODE_FLAGS, join(process.cwd(), 'scripts', 'serve.mjs'), mode], {
    stdio: 'inherit',
    env: {
      ...baseEnv,
      ...extras.appEnv,
      DATABASE_URL: database.url,
      HOST: config.HOST,
      PORT: String(config.PORT),
      NODE_ENV: mode === 'start' ? 'production' : 'development',
    },
    // Own process group: `next dev` forks workers that must stop with it.
    detached: true,
  });

  banner([
    `Faultline is starting at ${url}`,
    database.isEmbedded ? `Database: embedded PostgreSQL in ${config.FAULTLINE_DATA_DIR}/postgres` : 'Database: DATABASE_URL',
    ...(admin
      ? ['', 'First start: an admin account was created. This password is shown only once:', `  e-mail:   ${admin.email}`, `  password: ${admin.password}`]
      : []),
    ...(starterRunbooks > 0 ? ['', `${starterRunbooks} starter runbooks were added (Runbooks; edit them to fit your fleet).`] : []),
  ]);

  let stopping = false;
  let stopExtras: (() => Promise<void>) | null = null;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping…');
    await stopExtras?.().catch((err: Error) => process.stderr.write(`Stopping the demo failed: ${err.message}\n`));
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          resolve();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await database.stop().catch((err: Error) => process.stderr.write(`Stopping PostgreSQL failed: ${err.message}\n`));
    say('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  child.on('exit', (code) => void shutdown(code ?? 1));

  if (extras.afterReady) {
    const appUrl = `http://127.0.0.1:${config.PORT}`;
    if (!(await waitUntilReady(appUrl, child, 120_000))) {
      process.stderr.write('The app did not become ready within 2 minutes\n');
      await shutdown(1);
      return;
    }
    try {
      const started = await extras.afterReady(appUrl);
      stopExtras = started.stop;
      if (stopping) await started.stop();
      else banner(started.lines);
    } catch (err) {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      await shutdown(1);
    }
  }
}
