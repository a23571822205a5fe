// Runs before each integration test file: clones the migrated template into a database of the
// file's own and points DATABASE_URL at it, so tests own their data and never see each other's.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { resetEnv } from '@/lib/config/env';
import { closeDb } from '../client';

const templateUrl = inject('templateDatabaseUrl');
const name = `test_${randomBytes(6).toString('hex')}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE faultline_template`));
process.env.DATABASE_URL = withDatabase(templateUrl, name);
process.env.LOG_LEVEL ??= 'silent';
resetEnv();

afterAll(async () => {
  await closeDb();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});
