import { join, resolve } from 'node:path';
import { env, resetEnv } from '@/lib/config/env';
import { startCluster } from '@/lib/db/embedded-postgres';
import { closeDb } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';

export interface PreparedDatabase {
  url: string;
  isEmbedded: boolean;
  stop(): Promise<void>;
}

/**
 * The database the app will use: DATABASE_URL when set, otherwise the embedded cluster under
 * FAULTLINE_DATA_DIR/postgres. Applies pending migrations and exports DATABASE_URL for lib/db.
 */
export async function prepareDatabase(options: { log: (line: string) => void; owner: boolean; migrate?: boolean }): Promise<PreparedDatabase> {
  const config = env();
  let url = config.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const cluster = await startCluster({
      dir: join(resolve(config.FAULTLINE_DATA_DIR), 'postgres'),
      database: 'faultline',
      log: options.log,
      stopAdopted: options.owner,
    });
    url = cluster.url;
    stop = () => cluster.stop();
    process.env.DATABASE_URL = url;
    resetEnv();
  }
  if (options.migrate !== false) {
    try {
      await applyMigrations(url);
    } catch (err) {
      await stop();
      throw err;
    }
  }
  return { url, isEmbedded: !config.DATABASE_URL, stop };
}

/** For CLI commands: runs `work` against the app's database, then releases it (never stopping a running app's cluster). */
export async function withDatabase<T>(work: () => Promise<T>, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<T> {
  const database = await prepareDatabase({ log, owner: false });
  try {
    return await work();
  } finally {
    await closeDb();
    await database.stop();
  }
}
