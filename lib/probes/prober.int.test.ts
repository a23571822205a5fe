// The active prober against real HTTP targets on loopback (healthy, hanging, refusing, failing
// health documents, unknown hosts), its bulkhead, and the advisory-lock take-over between replicas.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pool } from '@/lib/db/client';
import { env } from '@/lib/config/env';
import type { ProbeResult } from '@/lib/schemas/probes';
import { checkProbeTarget, type ProbeTarget } from './check';
import { Prober } from './prober';
import { createProbeTarget, deleteProbeTarget, listProbeTargets } from './targets';

const system = { kind: 'system', name: 'test' } as const;
let server: Server;
let base: string;
let refusedUrl: string;
let hanging = 0;
let maxHanging = 0;
const held: ServerResponse[] = [];

function healthJson(res: ServerResponse, status: number, doc: unknown): void {
  res.writeHead(status, { 'content-type': 'application/health+json' }).end(JSON.stringify(doc));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/ok':
        res.end('ok');
        return;
      case '/error':
        res.writeHead(500).end('boom');
        return;
      case '/health-failing':
        healthJson(res, 503, {
          status: 'fail',
          checks: {
            'postgres:connections': [{ status: 'fail', observedValue: 100, observedUnit: 'connections', output: 'connection pool exhausted' }],
            'cache:responseTime': [{ status: 'pass', observedValue: 1, observedUnit: 'ms' }],
          },
        });
        return;
      case '/health-ok':
        healthJson(res, 200, { status: 'pass', checks: { 'queue:lag': [{ status: 'pass', observedValue: 3, observedUnit: 'messages' }] } });
        return;
      case '/not-health':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
        return;
      default:
        // Accepts the request and never answers: the target that hangs.
        hanging++;
        maxHanging = Math.max(maxHanging, hanging);
        held.push(res);
        req.on('close', () => hanging--);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free and is closed again refuses connections.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/health`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function target(over: Partial<ProbeTarget>): ProbeTarget {
  return { id: '00000000-0000-4000-8000-000000000001', name: 'probe', service: 'svc', url: `${base}/ok`, method: 'GET', timeoutMs: 1000, expectedStatus: 200, parseHealthJson: false, ...over };
}

describe('checkProbeTarget', () => {
  it('passes a target that answers the expected status, with its latency', async () => {
    const [result] = await checkProbeTarget(target({}));
    expect(result).toMatchObject({ status: 'pass', kind: 'synthetic', service: 'svc', target: 'probe', message: null, source: 'active' });
    expect(result!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('fails a wrong status, naming both', async () => {
    const [result] = await checkProbeTarget(target({ url: `${base}/error` }));
    expect(result).toMatchObject({ status: 'fail', message: 'expected HTTP 200, got 500' });
  });

  it('fails a target that hangs at its own timeout', async () => {
    const started = Date.now();
    const [result] = await checkProbeTarget(target({ url: `${base}/hang`, timeoutMs: 300 }));
    expect(result).toMatchObject({ status: 'fail', message: 'timeout: no complete response within 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails a target that refuses connections', async () => {
    const [result] = await checkProbeTarget(target({ url: refusedUrl }));
    expect(result).toMatchObject({ status: 'fail', message: 'connection refused (ECONNREFUSED)' });
  });

  it('fails a host that does not resolve', async () => {
    const [result] = await checkProbeTarget(target({ url: 'http://no-such-service.invalid/health' }));
    expect(result!.status).toBe('fail');
    expect(result!.message).toMatch(/^DNS lookup failed for no-such-service\.invalid/);
  });

  it('reads a failing health+json document: the failing check named, each check a dependency result', async () => {
    const results = await checkProbeTarget(target({ url: `${base}/health-failing`, parseHealthJson: true }));
    expect(results[0]).toMatchObject({ kind: 'readiness', status: 'fail' });
    expect(results[0]!.message).toMatch(/expected HTTP 200, got 503; health document says fail: failing checks: postgres:connections fail: connection pool exhausted/);
    expect(results.slice(1)).toMatchObject([
      { kind: 'dependency', dependency: 'postgres', status: 'fail', message: 'connection pool exhausted', observedValue: '100 connections' },
      { kind: 'dependency', dependency: 'cache', status: 'pass', latencyMs: 1 },
    ]);
  });

  it('passes a healthy document when its status is expected (503 for a failing one is fine to expect too)', async () => {
    const ok = await checkProbeTarget(target({ url: `${base}/health-ok`, parseHealthJson: true }));
    expect(ok.map((r) => r.status)).toEqual(['pass', 'pass']);
    const expected503 = await checkProbeTarget(target({ url: `${base}/health-failing`, parseHealthJson: true, expectedStatus: 503 }));
    expect(expected503[0]!.message).toMatch(/^health document says fail/);
  });

  it('fails a body that is not a health document when one is expected', async () => {
    const [result] = await checkProbeTarget(target({ url: `${base}/not-health`, parseHealthJson: true }));
    expect(result).toMatchObject({ status: 'fail', kind: 'readiness', message: 'body is not JSON' });
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

const probers: Prober[] = [];
function prober(name: string, concurrency = 4, record?: (results: ProbeResult[]) => Promise<unknown>): Prober {
  const p = new Prober({ databaseUrl: env().DATABASE_URL!, concurrency, pollMs: 100, random: () => 0, name, record });
  probers.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(probers.splice(0).map((p) => p.stop()));
  for (const t of await listProbeTargets({ actor: system })) await deleteProbeTarget({ actor: system, id: t.id });
});

async function addTarget(name: string, path: string, over: Record<string, unknown> = {}) {
  return createProbeTarget({ actor: system, input: { name, service: 'fleet', url: `${base}${path}`, intervalSeconds: 5, timeoutMs: 800, ...over } });
}

describe('Prober', () => {
  it('probes every unpaused target and records the results', async () => {
    const ok = await addTarget('ok', '/ok');
    const failing = await addTarget('failing-db', '/health-failing', { parseHealthJson: true });
    const paused = await addTarget('paused', '/ok', { paused: true });
    const p = prober('solo');
    p.start();
    await waitFor(async () => (await listProbeTargets({ actor: system })).filter((t) => t.lastResult).length >= 2, 5000);
    const targets = await listProbeTargets({ actor: system });
    expect(targets.find((t) => t.id === ok.id)!.lastResult).toMatchObject({ status: 'pass' });
    expect(targets.find((t) => t.id === failing.id)!.lastResult).toMatchObject({ status: 'fail', message: expect.stringMatching(/connection pool exhausted/) });
    expect(targets.find((t) => t.id === paused.id)!.lastResult).toBeNull();
    const { rows } = await pool().query(`SELECT count(*)::int AS n FROM telemetry.probe_results WHERE probe_target_id = $1 AND kind = 'dependency'`, [failing.id]);
    expect(rows[0].n).toBe(2);
    expect(p.scheduledTargetIds.sort()).toEqual([ok.id, failing.id].sort());
  });

  it('keeps at most `concurrency` probes in flight, so hanging targets cannot take every slot for long', async () => {
    maxHanging = 0;
    for (let i = 0; i < 4; i++) await addTarget(`hang-${i}`, `/hang-${i}`, { timeoutMs: 600 });
    const ok = await addTarget('ok-behind-hangs', '/ok');
    const p = prober('bulkhead', 2);
    p.start();
    await waitFor(async () => (await listProbeTargets({ actor: system })).find((t) => t.id === ok.id)?.lastResult?.status === 'pass', 5000);
    expect(maxHanging).toBeLessThanOrEqual(2);
    const hung = (await listProbeTargets({ actor: system })).filter((t) => t.name.startsWith('hang-') && t.lastResult);
    expect(hung.every((t) => t.lastResult!.message === 'timeout: no complete response within 600 ms')).toBe(true);
  });

  it('picks up added, edited and deleted targets', async () => {
    const p = prober('reload');
    p.start();
    await waitFor(() => p.isLeader, 3000);
    const t = await addTarget('late', '/ok');
    await waitFor(() => p.scheduledTargetIds.includes(t.id), 3000);
    await deleteProbeTarget({ actor: system, id: t.id });
    await waitFor(() => !p.scheduledTargetIds.includes(t.id), 3000);
  });

  it('runs on one replica only, and a standby takes over when the leader dies', async () => {
    await addTarget('ok', '/ok');
    const seen: Record<string, number> = { a: 0, b: 0 };
    const record = (name: string) => async (results: ProbeResult[]) => {
      seen[name]! += results.length;
    };
    const a = prober('a', 4, record('a'));
    a.start();
    await waitFor(() => a.isLeader, 3000);
    const b = prober('b', 4, record('b'));
    b.start();
    // Several polls later the standby is still a standby.
    await new Promise((r) => setTimeout(r, 500));
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    expect(b.scheduledTargetIds).toEqual([]);
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBe(0);

    // The leader shuts down: the standby takes over within one poll.
    await a.stop();
    const tookOverMs = await waitFor(() => b.isLeader, 5000);
    expect(tookOverMs).toBeLessThan(5000); // within one 5 s interval
    await waitFor(() => seen.b! > 0, 3000);
  });

  it('recovers leadership when the leader loses its database session, never with two leaders at once', async () => {
    await addTarget('ok', '/ok');
    const a = prober('a');
    const b = prober('b');
    a.start();
    await waitFor(() => a.isLeader, 3000);
    b.start();
    let both = false;
    const watch = setInterval(() => (both ||= a.isLeader && b.isLeader), 5);
    try {
      // What a crashed or partitioned leader looks like to PostgreSQL: its session ends, and the lock with it.
      await pool().query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted`);
      await waitFor(() => !a.isLeader || b.isLeader, 2000);
      const recoveredMs = await waitFor(() => a.isLeader || b.isLeader, 5000);
      expect(recoveredMs).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      clearInterval(watch);
    }
    expect(both).toBe(false);
    expect(Number(a.isLeader) + Number(b.isLeader)).toBe(1);
  });
});
