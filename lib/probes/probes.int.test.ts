// POST /v1/probes and the probe read API through the real route handlers and database.
import { beforeAll, describe, expect, it } from 'vitest';
import * as probeResults from '@/app/api/probes/results/route';
import * as probeSummary from '@/app/api/probes/route';
import * as pushProbes from '@/app/v1/probes/route';
import { pool } from '@/lib/db/client';
import { apiKeyHeader, callRoute } from '@/lib/http/testing';
import { pruneProbesAndBreakers } from '@/lib/ingest/retention';
import type { ProbeResultDto, ProbeSummaryResult } from '@/lib/schemas/probes';

let ingest: Record<string, string>;
let read: Record<string, string>;

beforeAll(async () => {
  ingest = await apiKeyHeader('ingest');
  read = await apiKeyHeader('read');
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function result(over: Record<string, unknown> = {}) {
  return { service: 'cart', target: 'GET /health', kind: 'readiness', status: 'pass', latencyMs: 4.5, checkedAt: minutesAgo(5), ...over };
}

const push = (body: unknown, headers: Record<string, string> = ingest, path = '/v1/probes') =>
  callRoute(pushProbes.POST, { method: 'POST', path, headers, body });

describe('POST /v1/probes (JSON batch)', () => {
  it('stores a batch and stores a retried batch only once', async () => {
    const batch = {
      results: [
        result({ checkedAt: minutesAgo(30) }),
        result({ checkedAt: minutesAgo(20), status: 'fail', message: 'redis timeout' }),
        result({ checkedAt: minutesAgo(10), status: 'pass' }),
        result({ kind: 'dependency', dependency: 'redis', target: 'redis ping', checkedAt: minutesAgo(10), status: 'warn' }),
      ],
    };
    const first = await push(batch);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ accepted: 4, duplicates: 0 });
    const retry = await push(batch);
    expect(retry.json).toEqual({ accepted: 0, duplicates: 4 });
    const { rows } = await pool().query(`SELECT count(*)::int AS n FROM telemetry.probe_results WHERE service = 'cart'`);
    expect(rows[0].n).toBe(4);
  });

  it('accepts epoch milliseconds for checkedAt', async () => {
    const res = await push({ results: [result({ service: 'epoch', checkedAt: Date.now() - 1000 })] });
    expect(res.status).toBe(200);
  });

  // Each field wrong in turn: a 400 naming that field, and nothing from the batch stored.
  it.each([
    ['service', { service: '' }, /body\.results\.1\.service/],
    ['service', { service: 42 }, /body\.results\.1\.service/],
    ['target', { target: undefined }, /body\.results\.1\.target/],
    ['kind', { kind: 'heartbeat' }, /body\.results\.1\.kind: must be one of liveness, readiness, dependency, synthetic/],
    ['status', { status: 'ok' }, /body\.results\.1\.status: must be one of pass, warn, fail/],
    ['latencyMs', { latencyMs: -3 }, /body\.results\.1\.latencyMs: must not be negative/],
    ['latencyMs', { latencyMs: 'fast' }, /body\.results\.1\.latencyMs/],
    ['checkedAt', { checkedAt: 'yesterday' }, /body\.results\.1\.checkedAt/],
    ['checkedAt', { checkedAt: '2001-01-01T00:00:00Z' }, /body\.results\.1\.checkedAt: .*outside the accepted window/],
    ['message', { message: 'x'.repeat(5000) }, /body\.results\.1\.message: must be at most 4000/],
    ['dependency', { dependency: '' }, /body\.results\.1\.dependency/],
    ['an unknown field', { colour: 'red' }, /body\.results\.1/],
  ])('refuses a bad %s with a 400 naming it', async (_field, patch, message) => {
    const res = await push({ results: [result({ service: 'bad-batch' }), result({ service: 'bad-batch', ...patch })] });
    expect(res.status).toBe(400);
    expect((res.json as { error: { message: string } }).error.message).toMatch(message);
    const { rows } = await pool().query(`SELECT count(*)::int AS n FROM telemetry.probe_results WHERE service = 'bad-batch'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses an empty batch, a missing results array and malformed JSON', async () => {
    expect((await push({ results: [] })).status).toBe(400);
    expect(((await push({ result: [] })).json as { error: { message: string } }).error.message).toMatch(/body\.results/);
    const malformed = await push('{"results": [', ingest);
    expect(malformed.status).toBe(400);
    expect((malformed.json as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  });

  it('needs an ingest key and a JSON content type', async () => {
    expect((await push({ results: [result()] }, {})).status).toBe(401);
    expect((await push({ results: [result()] }, { authorization: 'Bearer flk_nope' })).status).toBe(401);
    expect((await push({ results: [result()] }, read)).status).toBe(403);
    const text = await push('service=cart', { ...ingest, 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });
});

describe('POST /v1/probes (health+json document)', () => {
  const doc = {
    status: 'fail',
    serviceId: 'inventory',
    checks: {
      'postgres:connections': [{ componentId: 'primary', status: 'fail', observedValue: 100, observedUnit: 'connections', output: 'pool exhausted', time: minutesAgo(1) }],
      'cache:responseTime': [{ status: 'pass', observedValue: 2, observedUnit: 'ms', time: minutesAgo(1) }],
    },
  };
  const healthJson = () => ({ ...ingest, 'content-type': 'application/health+json' });

  it('stores the document status and one dependency result per check', async () => {
    const res = await push(doc, healthJson(), '/v1/probes?service=inventory');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 3, duplicates: 0 });
    const { rows } = await pool().query(
      `SELECT kind, target, dependency, status, message FROM telemetry.probe_results WHERE service = 'inventory' ORDER BY kind, target`,
    );
    expect(rows).toEqual([
      { kind: 'dependency', target: 'cache:responseTime', dependency: 'cache', status: 'pass', message: null },
      { kind: 'dependency', target: 'postgres:connections#primary', dependency: 'postgres', status: 'fail', message: 'pool exhausted' },
      { kind: 'readiness', target: 'health', dependency: null, status: 'fail', message: expect.stringMatching(/postgres:connections fail: pool exhausted/) },
    ]);
  });

  it('needs ?service= and a valid document', async () => {
    const noService = await push(doc, healthJson());
    expect(noService.status).toBe(400);
    expect((noService.json as { error: { message: string } }).error.message).toMatch(/query\.service/);
    const badStatus = await push({ status: 'sideways' }, healthJson(), '/v1/probes?service=inventory');
    expect((badStatus.json as { error: { message: string } }).error.message).toMatch(/body\.status: must be pass, warn or fail/);
    const badCheck = await push({ status: 'pass', checks: { db: { status: 'pass' } } }, healthJson(), '/v1/probes?service=inventory');
    expect((badCheck.json as { error: { message: string } }).error.message).toMatch(/body\.checks\.db/);
    // Names of Object.prototype members are not statuses either.
    const prototypeStatus = await push({ status: '__proto__' }, healthJson(), '/v1/probes?service=inventory');
    expect(prototypeStatus.status).toBe(400);
    expect((prototypeStatus.json as { error: { message: string } }).error.message).toMatch(/body\.status: must be pass, warn or fail/);
    const prototypeCheck = await push({ status: 'pass', checks: { db: [{ status: 'constructor' }] } }, healthJson(), '/v1/probes?service=inventory');
    expect((prototypeCheck.json as { error: { message: string } }).error.message).toMatch(/body\.checks\.db\.0\.status: must be pass, warn or fail/);
  });

  it('stores an observedValue nested far too deep to describe in full, elided', async () => {
    const deep = `{"status":"pass","checks":{"disk":[{"observedValue":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}}`;
    const res = await push(deep, healthJson(), '/v1/probes?service=deep-observer');
    expect(res.status).toBe(200);
    const { rows } = await pool().query(`SELECT observed_value AS observed FROM telemetry.probe_results WHERE service = 'deep-observer' AND target = 'disk'`);
    expect(rows).toEqual([{ observed: `${'['.repeat(8)}[…]${']'.repeat(8)}` }]);
  });
});

describe('probe read API', () => {
  it('summarises each check: current status, last change and pass ratio over the range', async () => {
    const res = await callRoute(probeSummary.GET, { path: `/api/probes?service=cart&from=${minutesAgo(60)}`, headers: read });
    expect(res.status).toBe(200);
    const summary = res.json as ProbeSummaryResult;
    expect(summary.services).toHaveLength(1);
    const cart = summary.services[0]!;
    expect(cart).toMatchObject({ service: 'cart', status: 'warn' });
    const health = cart.checks.find((c) => c.target === 'GET /health')!;
    expect(health).toMatchObject({ status: 'pass', results: 3, kind: 'readiness', dependency: null });
    expect(health.passRatio).toBeCloseTo(2 / 3);
    // pass → fail → pass: the last change is the recovery ten minutes ago.
    expect(Date.parse(health.lastChangeAt!)).toBeGreaterThan(Date.now() - 11 * 60_000);
    expect(cart.passRatio).toBeCloseTo(2 / 4);
  });

  it('lists a service history newest first and validates its query', async () => {
    const res = await callRoute(probeResults.GET, { path: `/api/probes/results?service=cart&target=${encodeURIComponent('GET /health')}`, headers: read });
    const { results } = res.json as { results: ProbeResultDto[] };
    expect(results.map((r) => r.status)).toEqual(['pass', 'fail', 'pass']);
    expect(results[1]).toMatchObject({ message: 'redis timeout', source: 'push', latencyMs: 4.5 });
    const bad = await callRoute(probeResults.GET, { path: '/api/probes/results?from=yesterday', headers: read });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/query\.service.*query\.from|query\.from.*query\.service/);
  });

  it('is not readable with an ingest key', async () => {
    expect((await callRoute(probeSummary.GET, { path: '/api/probes', headers: ingest })).status).toBe(403);
  });
});

describe('retention', () => {
  it('prunes results older than the retention period', async () => {
    await pool().query(
      `INSERT INTO telemetry.probe_results (service, target, kind, status, checked_at, source) VALUES ('old', 't', 'liveness', 'pass', now() - interval '30 days', 'push')`,
    );
    const pruned = await pruneProbesAndBreakers();
    expect(pruned.probeResults).toBe(1);
    const { rows } = await pool().query(`SELECT count(*)::int AS n FROM telemetry.probe_results WHERE service = 'cart'`);
    expect(rows[0].n).toBe(4);
  });
});
