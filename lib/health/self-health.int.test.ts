import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { resetEnv } from '@/lib/config/env';
import { closeDb } from '@/lib/db/client';
import { readiness } from './self-health';

const migratedUrl = process.env.DATABASE_URL!;

afterAll(async () => {
  await closeDb();
  process.env.DATABASE_URL = migratedUrl;
  resetEnv();
});

async function pointAt(url: string) {
  await closeDb();
  process.env.DATABASE_URL = url;
  resetEnv();
}

describe('readiness', () => {
  it('fails when migrations are not applied', async () => {
    const admin = new pg.Client({ connectionString: migratedUrl });
    await admin.connect();
    const empty = `empty_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${empty}`);
    await admin.end();
    const u = new URL(migratedUrl);
    u.pathname = `/${empty}`;
    await pointAt(u.toString());
    const doc = await readiness();
    expect(doc.status).toBe('fail');
    expect(doc.checks['postgres:migrations']?.[0]).toMatchObject({ status: 'fail', output: expect.stringMatching(/pending: \d{14}_init/) });
  });

  it('fails, without throwing, when the database is unreachable', async () => {
    await pointAt('postgresql://nobody:x@127.0.0.1:1/none');
    const doc = await readiness();
    expect(doc.status).toBe('fail');
    expect(doc.checks['postgres:responseTime']?.[0]?.output).toMatch(/database unreachable/);
  });
});
