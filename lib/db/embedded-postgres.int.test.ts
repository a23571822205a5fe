import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, throwawayClusterDir } from './embedded-postgres';

const dir = throwawayClusterDir('reuse');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps its data across a stop and a second start, and demands a password over TCP', async () => {
    const first = await startCluster({ dir, database: 'app', ephemeral: true });
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await first.stop();

    const second = await startCluster({ dir, database: 'app', ephemeral: true });
    try {
      expect((await query(second.url, 'SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
      const withoutPassword = new URL(second.url);
      withoutPassword.password = '';
      await expect(query(withoutPassword.toString(), 'SELECT 1')).rejects.toThrow(/password/i);
    } finally {
      await second.stop();
    }
  });

  it('leaves a server it did not start running unless told to own it', async () => {
    const owner = await startCluster({ dir, database: 'app', ephemeral: true });
    const borrower = await startCluster({ dir, database: 'app', ephemeral: true });
    expect(borrower.port).toBe(owner.port);
    await borrower.stop();
    expect((await query(owner.url, 'SELECT 1 AS up')).rows).toEqual([{ up: 1 }]);
    await owner.stop();
    await expect(query(owner.url, 'SELECT 1')).rejects.toThrow();
  });
});
