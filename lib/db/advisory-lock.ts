// Session-level PostgreSQL advisory locks on a dedicated connection: the lock lives exactly as
// long as the connection, so a crashed holder frees it without anyone's help.
import { timeout, TimeoutStrategy } from 'cockatiel';
import pg from 'pg';

export interface LockSession {
  /** Whether the connection still answers (and so still holds the lock). */
  isAlive(): Promise<boolean>;
  /** Releases the lock and closes the connection. */
  close(): Promise<void>;
}

/** How long a liveness check may take before the holder stands down (a stalled link is as good as lost). */
const aliveDeadline = timeout(5_000, TimeoutStrategy.Aggressive);

/**
 * Tries to take the lock `key` on a new connection. Returns null (connection closed) when another
 * session holds it. `onLost` fires if the connection later fails. `job` names the holder in
 * pg_stat_activity (`faultline-lock <job> pid <pid>`), so an operator (or the two-replica
 * test) can see which process leads which job.
 */
export async function openLockSession(databaseUrl: string, key: bigint, onLost: () => void, job: string): Promise<LockSession | null> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: `faultline-lock ${job} pid ${process.pid}`.slice(0, 63),
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
  });
  let closed = false;
  client.on('error', () => {
    if (!closed) onLost();
  });
  client.on('end', () => {
    if (!closed) onLost();
  });
  await client.connect();
  try {
    // Server-side keepalives too, so a holder that vanishes without closing its socket (a
    // partitioned host) loses the lock within ~15 s instead of the kernel default of hours.
    await client.query('SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 5');
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
    if (!rows[0]?.locked) {
      closed = true;
      await client.end();
      return null;
    }
  } catch (err) {
    closed = true;
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    isAlive: async () => {
      if (closed) return false;
      const alive = await aliveDeadline.execute(() => client.query('SELECT 1')).then(
        () => true,
        () => false, // failed, or no answer in time
      );
      if (!alive) {
        // Give the lock up for good: the server frees it when it notices the connection is gone.
        closed = true;
        void client.end().catch(() => undefined);
      }
      return alive;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
      } catch {
        // The connection is already gone, and the lock with it.
      }
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Who leads which background job, read as an operator would (docs/operations.md): the pids whose
 * `faultline-lock <job> pid <pid>` connection holds an advisory lock, by job.
 */
export async function jobLeaders(databaseUrl: string): Promise<Map<string, number[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'faultline-lock %'`,
    );
    const leaders = new Map<string, number[]>();
    for (const { name } of rows) {
      const match = /^faultline-lock (\S+) pid (\d+)$/.exec(name);
      if (!match) continue;
      leaders.set(match[1]!, [...(leaders.get(match[1]!) ?? []), Number(match[2])]);
    }
    return leaders;
  } finally {
    await client.end();
  }
}
