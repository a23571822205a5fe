// Two replicas on one database: ingest works through either; exactly one of them runs each
// single-leader job (prober, detector + correlator, rollup pairing, retention); killing the leader
// hands the jobs over within one interval; and no alert or incident is raised twice.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosDatabase, type ChaosDatabase } from './chaos-database';
import { reportFigures } from './figures';
import { sleep } from './scenario';
import { jobLeaders } from '@/lib/db/advisory-lock';
import { OtlpLoad } from './otlp-load';
import { startReplica } from './replica';
import type { AppProcess } from '@/lib/bench/app';
import { checkStoredExactlyOnce } from '@/lib/db/testing/stored-spans';

const DETECTION_INTERVAL_MS = 5_000;
const JOBS = ['prober', 'detector', 'rollup-pairing', 'retention'];

let db: ChaosDatabase;
let replicas: AppProcess[];
let sql: pg.Client;

beforeAll(async () => {
  db = await startChaosDatabase('two-replicas');
  const env = { DETECTION_INTERVAL_SECONDS: String(DETECTION_INTERVAL_MS / 1000), ALERT_HOLD_DOWN_SECONDS: '600' };
  replicas = await Promise.all(['replica-a', 'replica-b'].map((label) => startReplica({ label, databaseUrl: db.url, env })));
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await Promise.all((replicas ?? []).map((r) => r.stop()));
  await db?.stop();
});

async function api(replica: AppProcess, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${replica.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${db.adminKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

/** Polls until every job has a leader and returns the pids leading each. */
async function settledLeaders(timeoutMs: number): Promise<Map<string, number[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const leaders = await jobLeaders(db.url);
    if (JOBS.every((job) => leaders.has(job)) || Date.now() > deadline) return leaders;
    await sleep(100);
  }
}

describe('two replicas on one database', () => {
  it('take spans through either replica, each stored exactly once', async () => {
    const load = new OtlpLoad({
      target: (lane, sequence) => replicas[(lane + sequence) % 2]!.url,
      ingestKey: db.ingestKey,
      service: 'chaos-two-replicas',
      lanes: 4,
      spansPerExport: 200,
      exportsPerSecondPerLane: 5,
    });
    load.start();
    await sleep(8_000);
    const counts = await load.stop();
    const stored = await checkStoredExactlyOnce(db.url, 'chaos-two-replicas', load.acknowledgedIds);
    reportFigures('two replicas: ingest through either', { acknowledged: counts.acknowledged, stored: stored.storedSpans, missing: stored.missing, duplicates: stored.duplicates });
    expect(counts.acknowledged).toBeGreaterThan(0);
    expect(stored.missing).toBe(0);
    expect(stored.duplicates).toBe(0);
  });

  it('run each single-leader job on exactly one replica, hand over within one interval when the leader dies, and raise nothing twice', async () => {
    const pids = replicas.map((r) => r.pid!);
    const leaders = await settledLeaders(15_000);
    for (const job of JOBS) {
      expect(leaders.get(job), job).toHaveLength(1);
      expect(pids).toContain(leaders.get(job)![0]);
    }

    // A failure for the detector to find: a probe target nobody answers, and a service failing half its requests.
    const target = await api(replicas[0]!, 'POST', '/api/probe-targets', { name: 'gone', service: 'chaos-gone', url: 'http://127.0.0.1:9/health', intervalSeconds: 5, timeoutMs: 1000 });
    expect(target.status).toBe(201);
    const failing = new OtlpLoad({ target: (lane, sequence) => replicas[(lane + sequence) % 2]!.url, ingestKey: db.ingestKey, service: 'chaos-failing', lanes: 2, spansPerExport: 50, exportsPerSecondPerLane: 4, errorEvery: 2 });
    failing.start();
    try {
      const openAlerts = async () => (await sql.query<{ rule: string; service: string }>(`SELECT rule::text, service FROM alerts WHERE resolved_at IS NULL`)).rows;
      const firedDeadline = Date.now() + 60_000;
      const covers = (alerts: { service: string }[]) => ['chaos-failing', 'chaos-gone'].every((s) => alerts.some((a) => a.service === s));
      while (!covers(await openAlerts()) && Date.now() < firedDeadline) await sleep(500);
      const before = await openAlerts();
      expect(before.map((a) => a.service).sort()).toEqual(expect.arrayContaining(['chaos-failing', 'chaos-gone']));

      // Kill the replica leading the detector; the other must take it over within one interval.
      const detectorPid = leaders.get('detector')![0]!;
      const victim = replicas.find((r) => r.pid === detectorPid)!;
      const survivor = replicas.find((r) => r !== victim)!;
      const killedAt = Date.now();
      await victim.kill('SIGKILL');
      let handoverMs = NaN;
      while (Date.now() - killedAt < 4 * DETECTION_INTERVAL_MS) {
        const now = await jobLeaders(db.url);
        if (now.get('detector')?.[0] === survivor.pid && now.get('prober')?.[0] === survivor.pid) {
          handoverMs = Date.now() - killedAt;
          break;
        }
        await sleep(100);
      }
      const probeCount = async () => Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM telemetry.probe_results WHERE service = 'chaos-gone' AND source = 'active'`)).rows[0]!.n);
      const probesBefore = await probeCount();
      // Let the new leader run several detection and probe passes over the same failure.
      await sleep(4 * DETECTION_INTERVAL_MS);
      await victim.start();
      await sleep(2 * DETECTION_INTERVAL_MS);
      const after = await settledLeaders(10_000);

      const alerts = (await sql.query<{ rule: string; service: string; n: string }>(`SELECT rule::text, service, count(*) AS n FROM alerts GROUP BY 1, 2`)).rows;
      const incidents = (await sql.query<{ n: string }>(`SELECT count(*) AS n FROM incidents`)).rows[0]!.n;
      const probeGaps = (
        await sql.query<{ gap: number }>(
          `SELECT extract(epoch FROM checked_at - lag(checked_at) OVER (ORDER BY checked_at)) * 1000 AS gap FROM telemetry.probe_results
            WHERE service = 'chaos-gone' AND source = 'active'`,
        )
      ).rows
        .map((r) => Number(r.gap))
        .filter((g) => !Number.isNaN(g) && g > 0);
      const probesAfter = await probeCount();
      const emptyIncidents = (await sql.query(`SELECT 1 FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = i.id)`)).rowCount;
      reportFigures('two replicas: leader killed', {
        handoverMs,
        intervalMs: DETECTION_INTERVAL_MS,
        alerts: alerts.map((a) => `${a.rule}/${a.service}:${a.n}`).join(','),
        incidents: Number(incidents),
        probeResultsDuringHandover: probesAfter - probesBefore,
        minProbeGapMs: Math.min(...probeGaps),
        leadersAfterRestart: JOBS.map((j) => `${j}:${after.get(j)?.length ?? 0}`).join(','),
      });
      expect(handoverMs).toBeLessThanOrEqual(DETECTION_INTERVAL_MS + 1_000);
      for (const a of alerts) expect(Number(a.n), `${a.rule}/${a.service}`).toBe(1);
      // Every incident groups alerts (none made twice for the same alerts), at most one per alert.
      expect(Number(incidents)).toBeGreaterThanOrEqual(1);
      expect(Number(incidents)).toBeLessThanOrEqual(alerts.length);
      expect(emptyIncidents).toBe(0);
      // One prober: results for the target never come twice in a fraction of its 5 s interval.
      expect(Math.min(...probeGaps)).toBeGreaterThan(2_000);
      for (const job of JOBS) expect(after.get(job), job).toHaveLength(1);
    } finally {
      await failing.stop();
    }
  });
});
