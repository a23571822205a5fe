// POST /v1/breaker-events (Faultline's and resilience4j's shapes) and GET /api/breakers, through
// the real route handlers and database.
import { beforeAll, describe, expect, it } from 'vitest';
import * as breakers from '@/app/api/breakers/route';
import * as breakerEvents from '@/app/v1/breaker-events/route';
import { pool } from '@/lib/db/client';
import { apiKeyHeader, callRoute } from '@/lib/http/testing';
import { pruneProbesAndBreakers } from '@/lib/ingest/retention';
import type { BreakerResult } from '@/lib/schemas/breakers';

let ingest: Record<string, string>;
let read: Record<string, string>;

beforeAll(async () => {
  ingest = await apiKeyHeader('ingest');
  read = await apiKeyHeader('read');
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const send = (body: unknown, path = '/v1/breaker-events', headers = ingest) => callRoute(breakerEvents.POST, { method: 'POST', path, headers, body });
const errorOf = (res: { json: unknown }) => (res.json as { error: { message: string } }).error.message;

async function stored(service: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await pool().query(
    `SELECT instance, breaker, dependency, from_state, to_state, failure_rate, reason, source FROM telemetry.breaker_events WHERE service = $1 ORDER BY at`,
    [service],
  );
  return rows;
}

describe('POST /v1/breaker-events', () => {
  it('stores transitions, each once when the batch is retried', async () => {
    const batch = {
      service: 'checkout',
      instance: 'checkout-1',
      events: [
        { breaker: 'payment', dependency: 'payment', from: 'closed', to: 'open', at: minutesAgo(10), failureRate: 62.5, reason: 'ETIMEDOUT' },
        { breaker: 'payment', dependency: 'payment', from: 'open', to: 'half_open', at: minutesAgo(9) },
        { breaker: 'payment', dependency: 'payment', from: 'half_open', to: 'open', at: minutesAgo(8) },
      ],
    };
    expect((await send(batch)).json).toEqual({ accepted: 3, duplicates: 0, ignored: 0 });
    expect((await send(batch)).json).toEqual({ accepted: 0, duplicates: 3, ignored: 0 });
    const rows = await stored('checkout');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      instance: 'checkout-1',
      breaker: 'payment',
      dependency: 'payment',
      from_state: 'closed',
      to_state: 'open',
      failure_rate: 62.5,
      reason: 'ETIMEDOUT',
      source: 'api',
    });
  });

  it("accepts resilience4j's events, skipping those that are not state transitions", async () => {
    const res = await send(
      {
        dependency: 'inventory-db',
        events: [
          { circuitBreakerName: 'inventoryDb', type: 'STATE_TRANSITION', creationTime: `${minutesAgo(6).replace('Z', '+00:00')}[Europe/London]`, stateTransition: 'CLOSED_TO_OPEN', errorMessage: null },
          { circuitBreakerName: 'inventoryDb', type: 'ERROR', creationTime: minutesAgo(6), errorMessage: 'timeout', durationInMs: 2000 },
          { circuitBreakerName: 'inventoryDb', type: 'STATE_TRANSITION', creationTime: Date.parse(minutesAgo(5)) / 1000, stateTransition: 'OPEN_TO_HALF_OPEN' },
        ],
      },
      '/v1/breaker-events?service=inventory&instance=inv-7',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 2, duplicates: 0, ignored: 1 });
    expect(await stored('inventory')).toMatchObject([
      { instance: 'inv-7', breaker: 'inventoryDb', dependency: 'inventory-db', from_state: 'closed', to_state: 'open', source: 'resilience4j' },
      { from_state: 'open', to_state: 'half_open' },
    ]);
  });

  it("accepts the body of resilience4j's actuator endpoint as is", async () => {
    const res = await send(
      { circuitBreakerEvents: [{ circuitBreakerName: 'shippingApi', type: 'STATE_TRANSITION', creationTime: minutesAgo(3), stateTransition: 'CLOSED_TO_FORCED_OPEN' }] },
      '/v1/breaker-events?service=shipping',
    );
    expect(res.json).toEqual({ accepted: 1, duplicates: 0, ignored: 0 });
    expect(await stored('shipping')).toMatchObject([{ dependency: 'shippingApi', to_state: 'forced_open' }]);
  });

  it.each([
    ['breaker', { breaker: '' }, /body\.events\.1\.breaker/],
    ['to', { to: 'ajar' }, /body\.events\.1\.to: must be one of closed, open, half_open, forced_open, disabled/],
    ['from', { from: 'OPEN' }, /body\.events\.1\.from: must be one of/],
    ['at', { at: 'soon' }, /body\.events\.1\.at/],
    ['at', { at: '1999-01-01T00:00:00Z' }, /body\.events\.1: time .* outside the accepted window/],
    ['at', { at: Number.MAX_SAFE_INTEGER }, /body\.events\.1\.at: 9007199254740991 is not a valid time/],
    ['at', { at: 8.64e15 + 1 }, /body\.events\.1\.at: \d+ is not a valid time/],
    ['failureRate', { failureRate: 140 }, /body\.events\.1\.failureRate: must be a percentage/],
    ['slowCallRate', { slowCallRate: 'high' }, /body\.events\.1\.slowCallRate/],
    ['reason', { reason: 7 }, /body\.events\.1\.reason/],
    ['service', { service: undefined }, /body\.events\.1\.service: is required/],
    ['dependency', { dependency: undefined }, /body\.events\.1\.dependency: is required/],
    ['an unknown field', { state: 'open' }, /body\.events\.1/],
  ])('refuses a bad %s with a 400 naming it, storing nothing', async (_field, patch, message) => {
    const good = { service: 'bad-batch', breaker: 'b', dependency: 'd', to: 'open', at: minutesAgo(1) };
    const res = await send({ events: [good, { ...good, ...patch }] });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(message);
    expect(await stored('bad-batch')).toEqual([]);
  });

  it.each([
    ['stateTransition', { stateTransition: 'CLOSED_TO_AJAR' }, /body\.events\.0\.stateTransition: "CLOSED_TO_AJAR" is not a resilience4j transition/],
    ['stateTransition', { stateTransition: undefined }, /body\.events\.0\.stateTransition: is required/],
    ['creationTime', { creationTime: 'tuesday' }, /body\.events\.0\.creationTime: is not a time/],
    ['creationTime', { creationTime: 1e300 }, /body\.events\.0\.creationTime: is not a time/],
    ['circuitBreakerName', { circuitBreakerName: '' }, /body\.events\.0\.circuitBreakerName/],
  ])('refuses a resilience4j event with a bad %s', async (_field, patch, message) => {
    const res = await send({ service: 'bad-r4j', events: [{ circuitBreakerName: 'x', type: 'STATE_TRANSITION', creationTime: minutesAgo(1), stateTransition: 'CLOSED_TO_OPEN', ...patch }] });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(message);
  });

  it('refuses a body without events, and callers without an ingest key', async () => {
    expect(errorOf(await send({ service: 'x' }))).toMatch(/body\.events: is required/);
    expect(errorOf(await send({ events: 'many' }))).toMatch(/body\.events/);
    expect((await send({ events: [] }, '/v1/breaker-events', {})).status).toBe(401);
    expect((await send({ events: [] }, '/v1/breaker-events', read)).status).toBe(403);
  });
});

describe('GET /api/breakers', () => {
  it('gives each caller→dependency edge its current state, how long it has been open and its bands', async () => {
    await send({
      service: 'cart',
      events: [
        { instance: 'cart-1', breaker: 'redis', dependency: 'redis', to: 'closed', at: minutesAgo(50) },
        { instance: 'cart-2', breaker: 'redis', dependency: 'redis', to: 'closed', at: minutesAgo(50) },
        { instance: 'cart-1', breaker: 'redis', dependency: 'redis', from: 'closed', to: 'open', at: minutesAgo(4) },
      ],
    });
    const res = await callRoute(breakers.GET, { path: '/api/breakers?service=cart', headers: read });
    expect(res.status).toBe(200);
    const { edges } = res.json as BreakerResult;
    expect(edges).toHaveLength(1);
    const edge = edges[0]!;
    expect(edge).toMatchObject({ service: 'cart', dependency: 'redis', state: 'open', openInstances: 1, instances: 2 });
    expect(edge.openForMs).toBeGreaterThanOrEqual(4 * 60_000 - 1000);
    expect(edge.openForMs).toBeLessThan(5 * 60_000);
    const cart1 = edge.breakers.find((b) => b.instance === 'cart-1')!;
    expect(cart1.segments.map((s) => s.state)).toEqual(['closed', 'open']);
    expect(cart1.segments[1]!.to).toBeNull();
  });

  it('answers for a past range with the state as it was then', async () => {
    const res = await callRoute(breakers.GET, { path: `/api/breakers?service=checkout&from=${minutesAgo(60)}&to=${minutesAgo(9.5)}`, headers: read });
    const [edge] = (res.json as BreakerResult).edges;
    expect(edge).toMatchObject({ state: 'open', dependency: 'payment' });
    expect(edge!.breakers[0]!.segments.map((s) => s.state)).toEqual(['open']);
  });

  it('validates the range', async () => {
    const res = await callRoute(breakers.GET, { path: `/api/breakers?from=${minutesAgo(1)}&to=${minutesAgo(5)}`, headers: read });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(/query\.from: from must not be after to/);
  });

  it('keeps the newest transition of each breaker through retention, so long outages stay visible', async () => {
    await pool().query(
      `INSERT INTO telemetry.breaker_events (service, breaker, dependency, to_state, at, source) VALUES
         ('legacy', 'mainframe', 'mainframe', 'closed', now() - interval '40 days', 'api'),
         ('legacy', 'mainframe', 'mainframe', 'open', now() - interval '30 days', 'api')`,
    );
    const pruned = await pruneProbesAndBreakers();
    expect(pruned.breakerEvents).toBe(1);
    const res = await callRoute(breakers.GET, { path: '/api/breakers?service=legacy', headers: read });
    expect((res.json as BreakerResult).edges[0]).toMatchObject({ state: 'open' });
    expect((res.json as BreakerResult).edges[0]!.openForMs).toBeGreaterThan(29 * 86_400_000);
  });
});
