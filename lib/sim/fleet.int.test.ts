// The demo fleet end to end: real service processes with the OpenTelemetry SDK export to a test
// instance of Faultline's ingest endpoints (real handlers, real PostgreSQL), the active prober
// reads their health documents, and a partition opens the caller's circuit breaker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as breakerEvents from '@/app/v1/breaker-events/route';
import * as probes from '@/app/v1/probes/route';
import { createApiKey } from '@/lib/auth/api-keys';
import { env } from '@/lib/config/env';
import { pool } from '@/lib/db/client';
import { startTestServer } from '@/lib/http/test-server';
import { receiveOtlpTraces } from '@/lib/ingest/otlp-traces';
import { Prober } from '@/lib/probes/prober';
import { createProbeTarget } from '@/lib/probes/targets';
import { Fleet } from './fleet';
import { startLoad, type LoadGenerator } from './load';
import { SCENARIOS } from './scenarios';
import { FLEET } from './topology';

const system = { kind: 'system', name: 'test' } as const;
let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
let fleet: Fleet | undefined;
let load: LoadGenerator | undefined;
let prober: Prober | undefined;

beforeAll(async () => {
  server = await startTestServer({
    'POST /v1/traces': receiveOtlpTraces,
    'POST /v1/breaker-events': breakerEvents.POST,
    'POST /v1/probes': probes.POST,
  });
  const { key } = await createApiKey({ actor: system, input: { name: 'fleet', scopes: ['ingest'] } });
  fleet = await Fleet.start({ faultlineUrl: server.url, ingestKey: key, startTimeoutMs: 60_000 });
  for (const t of fleet.healthTargets()) {
    await createProbeTarget({ actor: system, input: { ...t, intervalSeconds: 5, timeoutMs: 2000, parseHealthJson: true } });
  }
  prober = new Prober({ databaseUrl: env().DATABASE_URL!, concurrency: 8, pollMs: 500, random: () => 0.1 });
  prober.start();
  load = startLoad({ url: fleet.frontendUrl, rps: 8 });
}, 120_000);

// Everything is torn down even when a test fails: no process outlives the suite.
afterAll(async () => {
  await load?.stop();
  await prober?.stop();
  await fleet?.stop();
  await server?.close();
  for (const instance of fleet?.instances ?? []) expect(instance.child.exitCode !== null || instance.child.signalCode !== null).toBe(true);
}, 60_000);

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const instrumented = FLEET.filter((s) => !s.external).map((s) => s.name).sort();

describe('demo fleet', () => {
  it('sends spans from every instrumented service, client and server sides paired', async () => {
    const services = await eventually(
      async () => (await pool().query<{ s: string }>('SELECT DISTINCT service_name AS s FROM telemetry.spans ORDER BY 1')).rows.map((r) => r.s),
      (names) => instrumented.every((n) => names.includes(n)),
      45_000,
    );
    expect(services).toEqual(instrumented);
    // A checkout's client span to payment has payment's server span as its child, in the same trace.
    const { rows } = await pool().query(
      `SELECT count(*)::int AS n FROM telemetry.spans c JOIN telemetry.spans s ON s.trace_id = c.trace_id AND s.parent_span_id = c.span_id
        WHERE c.service_name = 'checkout' AND c.kind = 3 AND s.service_name = 'payment' AND s.kind = 2`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
    // Queue: producer spans in checkout, consumer spans in shipping and email linked to them.
    const consumers = await pool().query(
      `SELECT service_name, links FROM telemetry.spans WHERE kind = 5 AND links IS NOT NULL LIMIT 5`,
    );
    expect(consumers.rows.length).toBeGreaterThan(0);
    // Databases and caches appear as client spans with db.* attributes.
    const db = await pool().query(`SELECT count(*)::int AS n FROM telemetry.spans WHERE service_name = 'inventory' AND kind = 3 AND attributes->>'db.system' = 'postgresql'`);
    expect(db.rows[0].n).toBeGreaterThan(0);
  }, 60_000);

  it('answers the active prober with health+json documents', async () => {
    const rows = await eventually(
      async () => (await pool().query<{ service: string }>(`SELECT DISTINCT service FROM telemetry.probe_results WHERE source = 'active'`)).rows.map((r) => r.service),
      (names) => names.length === FLEET.length,
      30_000,
    );
    expect(rows.sort()).toEqual(FLEET.map((s) => s.name).sort());
    const dependencyChecks = await pool().query(`SELECT count(*)::int AS n FROM telemetry.probe_results WHERE kind = 'dependency' AND dependency = 'postgres'`);
    expect(dependencyChecks.rows[0].n).toBeGreaterThan(0);
  }, 40_000);

  it('opens the caller\'s breaker when the network between checkout and payment is partitioned', async () => {
    await fleet!.apply({ kind: 'partition', target: 'checkout:payment' });
    try {
      const opened = await eventually(
        async () =>
          (await pool().query(`SELECT to_state FROM telemetry.breaker_events WHERE service = 'checkout' AND dependency = 'payment' AND to_state = 'open'`)).rows,
        (r) => r.length > 0,
        45_000,
      );
      expect(opened.length).toBeGreaterThan(0);
      // The callee stayed healthy: payment's own probe keeps passing.
      const payment = await pool().query(
        `SELECT status FROM telemetry.probe_results WHERE service = 'payment' AND kind = 'readiness' ORDER BY checked_at DESC LIMIT 1`,
      );
      expect(payment.rows[0]?.status).toBe('pass');
      // Client spans to payment failed without a server span beneath them.
      const orphans = await pool().query(
        `SELECT count(*)::int AS n FROM telemetry.spans c
          WHERE c.service_name = 'checkout' AND c.kind = 3 AND c.status_code = 2 AND c.attributes->>'peer.service' = 'payment'
            AND NOT EXISTS (SELECT 1 FROM telemetry.spans s WHERE s.trace_id = c.trace_id AND s.parent_span_id = c.span_id)`,
      );
      expect(orphans.rows[0].n).toBeGreaterThan(0);
    } finally {
      await fleet!.revert({ kind: 'partition', target: 'checkout:payment' });
    }
  }, 60_000);

  it('switches every scenario\'s fault on in the right processes and off again', async () => {
    const stateOf = async (instance: string) => {
      const i = fleet!.instances.find((x) => x.instance === instance)!;
      // GET /__chaos answers the process's current chaos state.
      const res = await fetch(`http://127.0.0.1:${i.port}/__chaos`, { headers: { authorization: `Bearer ${fleet!.controlToken}` } });
      return (await res.json()) as Record<string, unknown>;
    };
    const expectations: Record<string, [string, Record<string, unknown>]> = {
      'cascading-timeout': ['inventory-1', { latencyMs: 2500 }],
      'error-burst': ['payment-1', { errorRate: 0.5 }],
      latency: ['cart-1', { latencyMs: 800 }],
      partition: ['checkout-1', { partitioned: ['payment'] }],
      'slow-db': ['inventory-2', { dbLatencyMs: 1500, dbPoolSize: 2 }],
      'stall-consumer': ['shipping-1', { stalled: true }],
      'bad-replica': ['inventory-2', { errorRate: 0.6 }],
      'retry-storm': ['checkout-1', { aggressiveRetry: ['inventory'] }],
      'external-outage': ['bank-adapter-1', { down: true }],
    };
    for (const scenario of SCENARIOS) {
      const [instance, expected] = expectations[scenario.name]!;
      await fleet!.apply(scenario.fault);
      expect(await stateOf(instance), scenario.name).toMatchObject(expected);
      await fleet!.revert(scenario.fault);
      expect(await stateOf(instance), scenario.name).toMatchObject({ errorRate: 0, latencyMs: 0, partitioned: [], stalled: false, down: false, aggressiveRetry: [], dbLatencyMs: 0, dbPoolSize: null });
    }
    // A replica of a single-replica service, or an edge that does not exist, is refused with the reason.
    await expect(fleet!.apply({ kind: 'bad-replica', target: 'cart' })).rejects.toThrow(/runs one replica/);
    await expect(fleet!.apply({ kind: 'partition', target: 'checkout:email' })).rejects.toThrow(/checkout does not call email/);
  });
});
