// A slow, then silent, database: a TCP proxy between the app and PostgreSQL adds 1.5 s each way,
// then holds all traffic, then heals. Ingest must answer every export promptly (accepted, or 503
// + Retry-After) instead of holding requests until the database comes back; readiness must fail
// while the database is too slow and pass again once it heals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestRank } from '@/lib/bench/quantile';
import { startChaosDatabase, type ChaosDatabase } from './chaos-database';
import { reportFigures } from './figures';
import { sleep } from './scenario';
import { ProbeProcess } from './probe-process';
import { RawSenders } from './raw-senders';
import { startReplica } from './replica';
import type { AppProcess } from '@/lib/bench/app';
import { TcpProxy } from './tcp-proxy';

/** INGEST_MAX_WAIT_MS of the app under test: the longest an accepted export may wait for a writer. */
const MAX_WAIT_MS = 5_000;
/** INGEST_MAX_CONCURRENT_REQUESTS of the app under test. */
const MAX_CONCURRENT_REQUESTS = 64;

let db: ChaosDatabase;
let proxy: TcpProxy;
let app: AppProcess;

beforeAll(async () => {
  db = await startChaosDatabase('slow-database');
  proxy = new TcpProxy({ host: '127.0.0.1', port: db.cluster.port });
  const proxyPort = await proxy.listen();
  const viaProxy = new URL(db.url);
  viaProxy.port = String(proxyPort);
  app = await startReplica({ label: 'slow-database', databaseUrl: viaProxy.toString(), env: { PROBER_ENABLED: 'false', INGEST_MAX_WAIT_MS: String(MAX_WAIT_MS), INGEST_MAX_CONCURRENT_REQUESTS: String(MAX_CONCURRENT_REQUESTS) } });
});

afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await db?.stop();
});

describe('slow database', () => {
  it('sheds ingest instead of piling requests up, fails readiness while slow, and recovers when it heals', async () => {
    const senders = new RawSenders(app.url, db.ingestKey, 200, 7);
    const probes = new ProbeProcess(app.url, ['/api/health/ready', '/api/health/live']);
    let maxOutstanding = 0;
    const watcher = setInterval(() => (maxOutstanding = Math.max(maxOutstanding, senders.outstanding)), 50);
    const sending = senders.openLoop(4_000, 50, 1_000);
    const phases: Record<string, number> = {};
    phases.normal = Date.now();
    await sleep(8_000);
    phases.slow = Date.now();
    proxy.setDelay(1_500);
    await sleep(15_000);
    phases.stalled = Date.now();
    proxy.stall();
    await sleep(10_000);
    phases.healed = Date.now();
    proxy.heal();
    await sending;
    clearInterval(watcher);
    probes.stop();

    const during = (from: number, to: number) => senders.outcomes.filter((o) => o.at >= from && o.at < to);
    const degraded = during(phases.slow! + 1_000, phases.healed!);
    const afterHeal = during(phases.healed! + 10_000, Infinity);
    const ready = probes.of('/api/health/ready');
    const live = probes.of('/api/health/live');
    const readyFailedAt = ready.find((p) => p.at > phases.slow! && p.status === 503)?.at;
    const readyBackAt = ready.find((p) => p.at > phases.healed! && p.status === 200)?.at;
    const count = (list: typeof degraded, status: number | 'error') => list.filter((o) => o.status === status).length;
    const slowestDegradedMs = Math.max(...degraded.map((o) => o.ms));
    const answerMs = degraded.map((o) => o.ms).sort((a, b) => a - b);

    reportFigures('slow database (1.5 s each way, then stalled 10 s)', {
      degradedRequests: degraded.length,
      degradedAccepted: count(degraded, 200),
      degraded503: count(degraded, 503),
      degradedErrors: count(degraded, 'error'),
      answerP50WhileDegradedMs: nearestRank(answerMs, 0.5) ?? NaN,
      answerP99WhileDegradedMs: nearestRank(answerMs, 0.99) ?? NaN,
      slowestAnswerWhileDegradedMs: slowestDegradedMs,
      maxOutstandingRequests: maxOutstanding,
      readyFailedAfterMs: readyFailedAt ? readyFailedAt - phases.slow! : NaN,
      readyBackAfterHealMs: readyBackAt ? readyBackAt - phases.healed! : NaN,
      liveFailures: live.filter((p) => p.status !== 200).length,
      acceptedAfterHeal: count(afterHeal, 200),
      peakRssMb: app.rss() / 1024 ** 2,
    });
    // Shed, not piled up: every export answered, refusals carry Retry-After, and the requests in
    // progress never exceed the admission limit (only exports whose write had started wait for the
    // database; everything else is answered within the queue-wait limit or at once).
    expect(degraded.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);
    expect(degraded.filter((o) => o.status === 503 && !o.retryAfter)).toEqual([]);
    expect(count(degraded, 503)).toBeGreaterThan(0);
    expect(maxOutstanding).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS + 4);
    expect(nearestRank(answerMs, 0.5)).toBeLessThan(MAX_WAIT_MS + 1_000);
    // Readiness follows the database; liveness does not.
    expect(readyFailedAt).toBeDefined();
    expect(readyBackAt).toBeDefined();
    expect(readyBackAt! - phases.healed!).toBeLessThan(15_000);
    expect(live.filter((p) => p.status !== 200)).toEqual([]);
    // Ingest works again once the link heals.
    expect(count(afterHeal, 200)).toBeGreaterThan(0);
    expect(afterHeal.filter((o) => o.status !== 200).length).toBeLessThan(afterHeal.length / 10);
  });
});
