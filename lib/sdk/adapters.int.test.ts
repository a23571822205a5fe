// The SDK end to end: real opossum and cockatiel breakers driven open and closed, reported through
// the real POST /v1/breaker-events handler over HTTP into the real database.
import { once } from 'node:events';
import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import CircuitBreaker from 'opossum';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/v1/breaker-events/route';
import { POST as postProbes } from '@/app/v1/probes/route';
import { createApiKey } from '@/lib/auth/api-keys';
import { getBreakers } from '@/lib/breakers/queries';
import { pool } from '@/lib/db/client';
import { startTestServer } from '@/lib/http/test-server';
import { attachCockatiel, attachOpossum, createBreakerReporter, type BreakerReporter, type BreakerReporterOptions } from './index';

const system = { kind: 'system', name: 'test' } as const;
let server: Awaited<ReturnType<typeof startTestServer>>;
let ingestKey: string;
// Answers the next request with a 503 after the handler has stored it: an acknowledgement lost
// on the way back, which is what makes the reporter resend a batch Faultline already has.
let isNextAckLost = false;

beforeAll(async () => {
  server = await startTestServer({
    'POST /v1/breaker-events': async (req, ctx) => {
      const response = await POST(req, ctx);
      if (!isNextAckLost) return response;
      isNextAckLost = false;
      return Response.json({ error: { code: 'unavailable', message: 'proxy timeout' } }, { status: 503, headers: { 'Retry-After': '0' } });
    },
    'POST /v1/probes': postProbes,
  });
  ingestKey = (await createApiKey({ actor: system, input: { name: 'sdk', scopes: ['ingest'] } })).key;
});
afterAll(() => server.close());

function reporter(service: string, options: Partial<BreakerReporterOptions> = {}): BreakerReporter {
  return createBreakerReporter({
    endpoint: server.url,
    apiKey: ingestKey,
    service,
    instance: 'pod-1',
    flushIntervalMs: 60_000,
    retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
}

interface StoredRow {
  instance: string;
  breaker: string;
  dependency: string;
  from_state: string | null;
  to_state: string;
  failure_rate: number | null;
  reason: string | null;
  source: string;
}

async function storedTransitions(service: string): Promise<StoredRow[]> {
  const { rows } = await pool().query<StoredRow>(
    `SELECT instance, breaker, dependency, from_state, to_state, failure_rate, reason, source
       FROM telemetry.breaker_events WHERE service = $1 ORDER BY at, id`,
    [service],
  );
  return rows;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('attachOpossum', () => {
  it('reports open, half-open and closed as opossum drives them, with the failure rate and reason', async () => {
    const r = reporter('checkout');
    let isGatewayUp = false;
    const breaker = new CircuitBreaker(
      async () => {
        if (!isGatewayUp) throw new Error('payment gateway refused the connection');
        return 'charged';
      },
      { name: 'payments-http', resetTimeout: 200, errorThresholdPercentage: 50, volumeThreshold: 1, timeout: false },
    );
    const attachment = attachOpossum(breaker, { reporter: r, dependency: 'payments' });

    await expect(breaker.fire()).rejects.toThrow('payment gateway refused');
    expect(breaker.opened).toBe(true);
    await once(breaker, 'halfOpen');
    // The trial call fails: back to open.
    await expect(breaker.fire()).rejects.toThrow('payment gateway refused');
    await once(breaker, 'halfOpen');
    isGatewayUp = true;
    await expect(breaker.fire()).resolves.toBe('charged');
    expect(breaker.closed).toBe(true);
    await r.flush();

    const base = { instance: 'pod-1', breaker: 'payments-http', dependency: 'payments', source: 'api' };
    expect(await storedTransitions('checkout')).toEqual([
      { ...base, from_state: 'closed', to_state: 'open', failure_rate: 100, reason: 'payment gateway refused the connection' },
      { ...base, from_state: 'open', to_state: 'half_open', failure_rate: null, reason: null },
      { ...base, from_state: 'half_open', to_state: 'open', failure_rate: 100, reason: 'payment gateway refused the connection' },
      { ...base, from_state: 'open', to_state: 'half_open', failure_rate: null, reason: null },
      { ...base, from_state: 'half_open', to_state: 'closed', failure_rate: null, reason: null },
    ]);
    const { edges } = await getBreakers({ service: 'checkout' });
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ service: 'checkout', dependency: 'payments', state: 'closed', openInstances: 0, instances: 1 });
    expect(edges[0]!.breakers[0]!.segments.map((s) => s.state)).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);

    // Detached: opossum keeps working, Faultline hears nothing more.
    attachment.detach();
    breaker.open();
    breaker.close();
    await r.flush();
    expect(await storedTransitions('checkout')).toHaveLength(5);
    expect(r.stats).toEqual({ sent: 5, dropped: 0, failedBatches: 0, buffered: 0 });
    await r.close();
  });

  it('reports a shut-down breaker as disabled, so it stops counting towards its edge', async () => {
    const r = reporter('billing');
    const breaker = new CircuitBreaker(async () => 'ok', { name: 'ledger-db', resetTimeout: 60_000 });
    attachOpossum(breaker, { reporter: r, dependency: 'ledger', instance: 'worker-3' });
    breaker.open();
    breaker.shutdown();
    await r.close();

    expect(await storedTransitions('billing')).toMatchObject([
      { instance: 'worker-3', breaker: 'ledger-db', from_state: 'closed', to_state: 'open' },
      { instance: 'worker-3', breaker: 'ledger-db', from_state: 'open', to_state: 'disabled', reason: 'breaker shut down' },
    ]);
    expect((await getBreakers({ service: 'billing' })).edges[0]).toMatchObject({ dependency: 'ledger', state: 'disabled', openInstances: 0 });
  });
});

describe('attachCockatiel', () => {
  it('reports break, half-open, reset and isolation as cockatiel drives them', async () => {
    const r = reporter('storefront');
    const policy = circuitBreaker(handleAll, { halfOpenAfter: 200, breaker: new ConsecutiveBreaker(2) });
    attachCockatiel(policy, { reporter: r, breaker: 'inventory-grpc', dependency: 'inventory' });
    const failing = () => Promise.reject(new Error('inventory: UNAVAILABLE'));

    await expect(policy.execute(failing)).rejects.toThrow('UNAVAILABLE');
    await expect(policy.execute(failing)).rejects.toThrow('UNAVAILABLE');
    await sleep(250);
    // The trial call fails: back to open.
    await expect(policy.execute(failing)).rejects.toThrow('UNAVAILABLE');
    await sleep(250);
    await expect(policy.execute(async () => 'in stock')).resolves.toBe('in stock');
    const isolation = policy.isolate();
    isolation.dispose();
    await r.flush();

    const base = { instance: 'pod-1', breaker: 'inventory-grpc', dependency: 'inventory', failure_rate: null, source: 'api' };
    expect(await storedTransitions('storefront')).toEqual([
      { ...base, from_state: 'closed', to_state: 'open', reason: 'inventory: UNAVAILABLE' },
      { ...base, from_state: 'open', to_state: 'half_open', reason: null },
      { ...base, from_state: 'half_open', to_state: 'open', reason: 'inventory: UNAVAILABLE' },
      { ...base, from_state: 'open', to_state: 'half_open', reason: null },
      { ...base, from_state: 'half_open', to_state: 'closed', reason: null },
      { ...base, from_state: 'closed', to_state: 'forced_open', reason: 'isolated by policy.isolate()' },
      { ...base, from_state: 'forced_open', to_state: 'closed', reason: null },
    ]);
    const edge = (await getBreakers({ service: 'storefront' })).edges[0]!;
    expect(edge).toMatchObject({ dependency: 'inventory', state: 'closed' });
    expect(edge.breakers[0]!.segments.map((s) => s.state)).toEqual(['open', 'half_open', 'open', 'half_open', 'closed', 'forced_open', 'closed']);
    await r.close();
  });

  it('shows an isolated breaker as open on its edge until it is released', async () => {
    const r = reporter('search');
    const policy = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(5) });
    const attachment = attachCockatiel(policy, { reporter: r, breaker: 'elastic', dependency: 'elasticsearch' });
    policy.isolate();
    await r.flush();

    expect((await getBreakers({ service: 'search' })).edges[0]).toMatchObject({ dependency: 'elasticsearch', state: 'forced_open', openInstances: 1 });
    attachment.detach();
    await r.close();
  });
});

describe('delivery', () => {
  it('stores a batch once when the reporter resends it after a lost acknowledgement', async () => {
    const r = reporter('cart');
    const policy = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(1) });
    attachCockatiel(policy, { reporter: r, breaker: 'pricing-http', dependency: 'pricing' });
    await expect(policy.execute(() => Promise.reject(new Error('pricing: 502')))).rejects.toThrow('502');
    isNextAckLost = true;
    await r.flush();

    expect(isNextAckLost).toBe(false);
    expect(r.stats).toEqual({ sent: 1, dropped: 0, failedBatches: 0, buffered: 0 });
    expect(await storedTransitions('cart')).toMatchObject([{ breaker: 'pricing-http', from_state: 'closed', to_state: 'open', reason: 'pricing: 502' }]);
    await r.close();
  });

  it('answers a batch sent twice with duplicates, storing it once', async () => {
    const body = JSON.stringify({
      service: 'orders',
      instance: 'pod-2',
      events: [
        { breaker: 'shipping-http', dependency: 'shipping', from: 'closed', to: 'open', at: Date.now() - 1000, failureRate: 62.5 },
        { breaker: 'shipping-http', dependency: 'shipping', from: 'open', to: 'half_open', at: Date.now() },
      ],
    });
    const send = () =>
      fetch(`${server.url}/v1/breaker-events`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ingestKey}` } });
    const first = await send();
    const again = await send();

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 0, ignored: 0 });
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 2, ignored: 0 });
    expect(await storedTransitions('orders')).toMatchObject([
      { to_state: 'open', failure_rate: 62.5 },
      { to_state: 'half_open', failure_rate: null },
    ]);
  });

  it('is refused without a valid key, and says so through onError', async () => {
    const errors: Error[] = [];
    const r = reporter('payroll', { apiKey: 'flk_wrong', onError: (e) => errors.push(e) });
    r.report({ breaker: 'bank-http', dependency: 'bank', to: 'open' });
    await r.flush();

    expect(r.stats).toEqual({ sent: 0, dropped: 1, failedBatches: 1, buffered: 0 });
    expect(errors).toMatchObject([{ kind: 'refused', status: 401, message: expect.stringMatching(/API key is unknown or revoked/) }]);
    expect(await storedTransitions('payroll')).toEqual([]);
    await r.close();
  });
});

describe('the raw HTTP examples of docs/instrumenting.md', () => {
  const post = async (path: string, body: unknown, contentType = 'application/json') => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': contentType, Authorization: `Bearer ${ingestKey}` },
    });
    return { status: res.status, json: (await res.json()) as unknown };
  };
  /** resilience4j's ZonedDateTime text: local time with an offset and a zone suffix. */
  const berlin = (ms: number) => `${new Date(ms + 3_600_000).toISOString().replace('Z', '+01:00')}[Europe/Berlin]`;

  it('stores a resilience4j state transition and skips its other event types', async () => {
    const now = Date.now();
    const res = await post('/v1/breaker-events?service=orders-r4j&instance=orders-7f9c', {
      events: [
        { circuitBreakerName: 'inventoryClient', type: 'STATE_TRANSITION', stateTransition: 'CLOSED_TO_OPEN', creationTime: berlin(now) },
        { circuitBreakerName: 'inventoryClient', type: 'ERROR', creationTime: berlin(now - 100), errorMessage: 'java.net.ConnectException: Connection refused', durationInMs: 12 },
      ],
    });

    expect(res).toEqual({ status: 200, json: { accepted: 1, duplicates: 0, ignored: 1 } });
    expect(await storedTransitions('orders-r4j')).toMatchObject([
      { instance: 'orders-7f9c', breaker: 'inventoryClient', dependency: 'inventoryClient', from_state: 'closed', to_state: 'open', source: 'resilience4j' },
    ]);
  });

  it('stores a probe batch and a health+json document', async () => {
    const checkedAt = new Date().toISOString();
    const batch = await post('/v1/probes', {
      results: [
        { service: 'checkout-probes', target: 'GET /ready', kind: 'readiness', status: 'pass', latencyMs: 12, checkedAt },
        { service: 'checkout-probes', target: 'postgres', kind: 'dependency', status: 'fail', dependency: 'postgres', latencyMs: 5000, checkedAt, message: 'connect timeout' },
      ],
    });
    expect(batch).toEqual({ status: 200, json: { accepted: 2, duplicates: 0 } });

    const document = await post(
      '/v1/probes?service=checkout-probes&target=/health',
      {
        status: 'warn',
        checks: {
          'postgres:responseTime': [{ componentId: 'primary', observedValue: 250, observedUnit: 'ms', status: 'warn' }],
          redis: [{ status: 'pass' }],
        },
      },
      'application/health+json',
    );
    expect(document).toEqual({ status: 200, json: { accepted: 3, duplicates: 0 } });
    const { rows } = await pool().query<{ target: string; kind: string; status: string; dependency: string | null; latency_ms: number | null }>(
      `SELECT target, kind, status, dependency, latency_ms FROM telemetry.probe_results WHERE service = 'checkout-probes' ORDER BY target`,
    );
    expect(rows).toEqual([
      { target: '/health', kind: 'readiness', status: 'warn', dependency: null, latency_ms: null },
      { target: 'GET /ready', kind: 'readiness', status: 'pass', dependency: null, latency_ms: 12 },
      { target: 'postgres', kind: 'dependency', status: 'fail', dependency: 'postgres', latency_ms: 5000 },
      { target: 'postgres:responseTime#primary', kind: 'dependency', status: 'warn', dependency: 'postgres', latency_ms: 250 },
      { target: 'redis', kind: 'dependency', status: 'pass', dependency: 'redis', latency_ms: null },
    ]);
  });
});
