// Rollups from real exporter traffic: services' requests, caller→callee edges paired across
// separate exports, leaf edges (database, external API), queue edges, retries and timeouts — and
// a rebuild from raw spans that gives exactly the live rollups.
import { context, SpanKind, SpanStatusCode, trace as traceApi, type Context, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRollups } from '@/lib/db/rollups';
import { apiKeyHeader } from '@/lib/http/testing';
import { startTestServer } from '@/lib/http/test-server';
import { receiveOtlpTraces } from '@/lib/ingest/otlp-traces';
import { quantileMs } from './histogram';
import { pairEdgesOnce } from './pairing';
import { rebuildRollups } from './rebuild';

let server: Awaited<ReturnType<typeof startTestServer>>;
let headers: Record<string, string>;
const providers: BasicTracerProvider[] = [];

beforeAll(async () => {
  server = await startTestServer({ 'POST /v1/traces': receiveOtlpTraces });
  headers = await apiKeyHeader('ingest');
});
afterAll(async () => {
  await Promise.all(providers.map((p) => p.shutdown()));
  await server.close();
});

/** One service's tracer, exporting on its own (as separate processes do). */
function serviceTracer(service: string): { tracer: Tracer; flush: () => Promise<void> } {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': `${service}-1` }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers }))],
  });
  providers.push(provider);
  return { tracer: provider.getTracer('rollup-test'), flush: () => provider.forceFlush() };
}

const MINUTE = 60_000;
const base = Math.floor((Date.now() - 10 * MINUTE) / MINUTE) * MINUTE;
const at = (ms: number) => new Date(base + ms);
const HOUR = 60 * MINUTE;
const range = { from: new Date(Math.floor((base - MINUTE) / HOUR) * HOUR), to: new Date(Math.ceil((base + 5 * MINUTE) / HOUR) * HOUR) };

function span(tracer: Tracer, name: string, kind: SpanKind, startMs: number, durationMs: number, attributes: Record<string, string | number> = {}, parent?: Context, error?: string) {
  const s = tracer.startSpan(name, { kind, startTime: at(startMs), attributes }, parent ?? context.active());
  if (error) s.setStatus({ code: SpanStatusCode.ERROR, message: error });
  s.end(at(startMs + durationMs));
  return s;
}

describe('rollups', () => {
  it('counts services, paired edges, leaves and queues per minute, and a rebuild gives the same', async () => {
    const checkout = serviceTracer('checkout');
    const payment = serviceTracer('payment');
    const shipping = serviceTracer('shipping');
    const cart = serviceTracer('cart');

    // Minute 0: three checkout → payment calls (one a retry, one timed out), answered by payment
    // in its own export; payment queries its database; checkout calls an uninstrumented bank.
    for (const [i, opts] of [
      [0, { resend: 0, error: undefined, ms: 20 }],
      [1, { resend: 1, error: undefined, ms: 40 }],
      [2, { resend: 0, error: 'timeout after 1500 ms', ms: 1500 }],
    ] as const) {
      const root = span(checkout.tracer, 'POST /checkout', SpanKind.SERVER, 1000 * i, opts.ms + 10, {}, undefined, opts.error ? 'upstream failed' : undefined);
      const client = span(
        checkout.tracer,
        'POST',
        SpanKind.CLIENT,
        1000 * i + 1,
        opts.ms,
        { 'peer.service': 'payment', ...(opts.resend ? { 'http.request.resend_count': opts.resend } : {}) },
        traceApi.setSpan(context.active(), root),
        opts.error,
      );
      if (!opts.error) {
        const server = span(payment.tracer, 'POST /charge', SpanKind.SERVER, 1000 * i + 2, opts.ms - 2, {}, traceApi.setSpan(context.active(), client));
        span(payment.tracer, 'SELECT ledger', SpanKind.CLIENT, 1000 * i + 3, 3, { 'db.system.name': 'postgresql', 'db.system': 'postgresql', 'db.namespace': 'ledger' }, traceApi.setSpan(context.active(), server));
      }
      span(checkout.tracer, 'POST /authorize', SpanKind.CLIENT, 1000 * i + 5, 30, { 'server.address': 'bank.example.com' }, traceApi.setSpan(context.active(), root));
    }
    // A call with no peer.service: only pairing with cart's own SERVER span (stored first, in
    // another export) tells whom checkout called.
    const root = span(checkout.tracer, 'GET /basket', SpanKind.SERVER, 10_000, 12);
    const toCart = span(checkout.tracer, 'GET', SpanKind.CLIENT, 10_001, 10, { 'server.address': 'cart.svc.cluster.local' }, traceApi.setSpan(context.active(), root));
    span(cart.tracer, 'GET /cart', SpanKind.SERVER, 10_002, 8, {}, traceApi.setSpan(context.active(), toCart));
    // Minute 1: checkout publishes an order; shipping processes it 2.5 s later.
    span(checkout.tracer, 'publish orders', SpanKind.PRODUCER, MINUTE + 100, 2, { 'messaging.system': 'fleet-queue', 'messaging.destination.name': 'orders' });
    span(shipping.tracer, 'process orders', SpanKind.CONSUMER, MINUTE + 2600, 15, { 'messaging.system': 'fleet-queue', 'messaging.destination.name': 'orders', 'messaging.message.publish_lag_ms': 2500 });
    // The halves go out separately and in reverse order: the callee's export arrives first.
    await payment.flush();
    await shipping.flush();
    await cart.flush();
    await checkout.flush();

    await pairEdgesOnce(0);
    const live = await readRollups(range.from, range.to);
    const minute0 = new Date(base).toISOString().slice(0, 19);
    const minute1 = new Date(base + MINUTE).toISOString().slice(0, 19);

    expect(live.services.map((s) => [s.service, s.minute, s.requests, s.errors, s.instances])).toEqual([
      ['cart', minute0, 1, 0, ['cart-1']],
      ['checkout', minute0, 4, 1, ['checkout-1']],
      ['payment', minute0, 2, 0, ['payment-1']],
      ['shipping', minute1, 1, 0, ['shipping-1']],
    ]);
    const edge = (source: string, target: string) => live.edges.find((e) => e.source === source && e.target === target);
    expect(edge('checkout', 'payment')).toMatchObject({ minute: minute0, targetKind: 'service', requests: 3, errors: 1, timeouts: 1, retries: 1 });
    expect(edge('checkout', 'cart')).toMatchObject({ minute: minute0, targetKind: 'service', requests: 1 });
    expect(edge('checkout', 'cart.svc.cluster.local')).toBeUndefined();
    expect(edge('checkout', 'bank.example.com')).toMatchObject({ targetKind: 'external', requests: 3, errors: 0 });
    expect(edge('payment', 'ledger')).toBeUndefined();
    expect(edge('payment', 'postgresql/ledger')).toMatchObject({ targetKind: 'database', requests: 2 });
    expect(edge('checkout', 'orders')).toMatchObject({ minute: minute1, targetKind: 'queue', requests: 1 });
    const consumed = edge('orders', 'shipping')!;
    expect(consumed).toMatchObject({ targetKind: 'service', requests: 1 });
    expect(quantileMs(consumed.lagHist!, 0.95)).toBeGreaterThan(2000);
    expect(quantileMs(consumed.lagHist!, 0.95)).toBeLessThan(3000);
    // The timed-out call dominates the tail of the edge's latency.
    expect(quantileMs(edge('checkout', 'payment')!.hist, 0.99)).toBeGreaterThan(1000);
    expect(quantileMs(edge('checkout', 'payment')!.hist, 0.5)).toBeLessThan(60);

    // Hours and 10 s buckets hold the same calls as the minutes.
    const total = (rows: ReadonlyArray<{ requests: number }>) => rows.reduce((n, r) => n + r.requests, 0);
    expect(total(live.serviceHours)).toBe(total(live.services));
    expect(total(live.serviceFine)).toBe(total(live.services));
    expect(total(live.edgeHours)).toBe(total(live.edges));
    expect(total(live.edgeFine)).toBe(total(live.edges));
    expect(live.serviceFine.every((r) => Number(r.minute.slice(17, 19)) % 10 === 0)).toBe(true);

    const rebuilt = await rebuildRollups(range.from, range.to);
    expect(rebuilt.serviceBuckets).toBe(live.serviceFine.length);
    expect(await readRollups(range.from, range.to)).toEqual(live);
  });

  it('does not count a retried export twice', async () => {
    const basket = serviceTracer('basket');
    const before = await readRollups(range.from, range.to);
    const exporter = new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers });
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'basket' }), spanProcessors: [] });
    providers.push(provider);
    const s = provider.getTracer('t').startSpan('GET /cart', { kind: SpanKind.SERVER, startTime: at(3 * MINUTE) });
    s.end(at(3 * MINUTE + 5));
    const readable = [s as unknown as Parameters<OTLPTraceExporter['export']>[0][number]];
    for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => exporter.export(readable, () => resolve()));
    await basket.flush();
    const after = await readRollups(range.from, range.to);
    expect(after.services.filter((r) => r.service === 'basket').map((r) => r.requests)).toEqual([1]);
    expect(after.services.length).toBe(before.services.length + 1);
  });
});
