// Retention while ingesting: expired daily span partitions are dropped while the real exporter
// pushes spans. Nothing in the retained range is lost: neither the spans acknowledged during the
// drop nor older spans still inside the retention window.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnv } from '@/lib/config/env';
import { ensureSpanPartitions, dayStart } from '@/lib/db/spans';
import { jobLeaders } from '@/lib/db/advisory-lock';
import { maintainSpanPartitions } from '@/lib/ingest/retention';
import { startChaosDatabase, type ChaosDatabase } from './chaos-database';
import { reportFigures } from './figures';
import { sleep } from './scenario';
import { OtlpLoad } from './otlp-load';
import { startReplica } from './replica';
import type { AppProcess } from '@/lib/bench/app';
import { checkStoredExactlyOnce } from '@/lib/db/testing/stored-spans';

const DAY_MS = 86_400_000;
const RETENTION_DAYS = 3;
const ROWS_PER_DAY = 2_000;

let db: ChaosDatabase;
let app: AppProcess;
let sql: pg.Client;

beforeAll(async () => {
  db = await startChaosDatabase('retention');
  process.env.FAULTLINE_RETENTION_DAYS = String(RETENTION_DAYS);
  resetEnv();
  app = await startReplica({ label: 'retention', databaseUrl: db.url, env: { PROBER_ENABLED: 'false', FAULTLINE_RETENTION_DAYS: String(RETENTION_DAYS) } });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  delete process.env.FAULTLINE_RETENTION_DAYS;
  resetEnv();
  await sql?.end();
  await app?.stop();
  await db?.stop();
});

/** Writes ROWS_PER_DAY spans of service `old-<offset>` at noon `offset` days ago. */
async function seedDay(offset: number): Promise<void> {
  const noon = dayStart(Date.now()) - offset * DAY_MS + DAY_MS / 2;
  await ensureSpanPartitions([dayStart(noon)]);
  await sql.query(
    `INSERT INTO telemetry.spans (start_time, trace_id, span_id, start_ns, duration_ns, service_name, name, kind, status_code, resource_id, attributes)
     SELECT to_timestamp($1 / 1000.0), decode(md5($2 || g), 'hex'), substring(decode(md5('s' || $2 || g), 'hex') from 1 for 8),
            ($1::bigint * 1000000), 1000000, $2, 'GET /', 2, 0, decode(md5($2), 'hex'), '{}'
       FROM generate_series(1, $3) AS g`,
    [noon, `old-${offset}`, ROWS_PER_DAY],
  );
}

const rowsOf = async (service: string) => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM telemetry.spans WHERE service_name = $1', [service])).rows[0]!.n);

describe('retention while ingesting', () => {
  it('drops expired partitions under load and loses nothing in the retained range', async () => {
    const expired = [9, 8, 7, 6, 5, 4];
    const retained = [2, 1];
    // The app's own retention leader runs once at start (then hourly): let that pass finish first,
    // so the drops below are the ones under load.
    while (!(await jobLeaders(db.url)).has('retention')) await sleep(200);
    await sleep(3_000);
    for (const offset of [...expired, ...retained]) await seedDay(offset);

    const load = new OtlpLoad({ target: app.url, ingestKey: db.ingestKey, service: 'chaos-retention', lanes: 4, spansPerExport: 250, exportsPerSecondPerLane: 8 });
    load.start();
    await sleep(3_000);
    const started = performance.now();
    const { dropped } = await maintainSpanPartitions();
    const dropMs = performance.now() - started;
    const ackedDuringDrop = load.counts.acknowledged;
    await sleep(3_000);
    const counts = await load.stop();

    const stored = await checkStoredExactlyOnce(db.url, 'chaos-retention', load.acknowledgedIds);
    const retainedRows = await Promise.all(retained.map((o) => rowsOf(`old-${o}`)));
    const expiredRows = await Promise.all(expired.map((o) => rowsOf(`old-${o}`)));
    reportFigures('retention while ingesting', {
      partitionsDropped: dropped.length,
      dropMs,
      acknowledged: counts.acknowledged,
      acknowledgedBeforeDropFinished: ackedDuringDrop,
      missing: stored.missing,
      duplicates: stored.duplicates,
      retainedOldRows: retainedRows.reduce((a, b) => a + b, 0),
      expiredRowsLeft: expiredRows.reduce((a, b) => a + b, 0),
    });
    expect(dropped.length).toBe(expired.length);
    expect(stored.missing).toBe(0);
    expect(stored.duplicates).toBe(0);
    expect(counts.failed).toBe(0);
    expect(retainedRows).toEqual(retained.map(() => ROWS_PER_DAY));
    expect(expiredRows).toEqual(expired.map(() => 0));
  });
});
