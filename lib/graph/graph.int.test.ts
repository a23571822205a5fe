// The dependency map from real exporter traffic: GET /api/graph and the service metrics API,
// with probe health and an open breaker laid over the rollups.
import { context, SpanKind, SpanStatusCode, trace as traceApi, type Context, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as graphRoute from '@/app/api/graph/route';
import * as metricsRoute from '@/app/api/services/[service]/metrics/route';
import * as breakerEvents from '@/app/v1/breaker-events/route';
import * as probes from '@/app/v1/probes/route';
import { apiKeyHeader, callRoute } from '@/lib/http/testing';
import { startTestServer } from '@/lib/http/test-server';
import { receiveOtlpTraces } from '@/lib/ingest/otlp-traces';
import { pairEdgesOnce } from '@/lib/rollup/pairing';
import type { GraphResult, ServiceMetrics } from '@/lib/schemas/graph';

let server: Awaited<ReturnType<typeof startTestServer>>;
let ingest: Record<string, string>;
let read: Record<string, string>;
const providers: BasicTracerProvider[] = [];

beforeAll(async () => {
  server = await startTestServer({ 'POST /v1/traces': receiveOtlpTraces });
  ingest = await apiKeyHeader('ingest');
  read = await apiKeyHeader('read');
});
afterAll(async () => {
  await Promise.all(providers.map((p) => p.shutdown()));
  await server.close();
});

function tracerOf(service: string, instance: string): Tracer {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': instance }),
    // The JSON exporter this time: both OTLP encodings feed the same rollups.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: ingest }))],
  });
  providers.push(provider);
  return provider.getTracer('graph-test');
}

function call(caller: Tracer, callee: Tracer | null, parent: Context, opts: { peer: string; ms: number; error?: string }): Context {
  const client = caller.startSpan(`call ${opts.peer}`, { kind: SpanKind.CLIENT, attributes: { 'peer.service': opts.peer } }, parent);
  const clientCtx = traceApi.setSpan(parent, client);
  let serverCtx = clientCtx;
  if (callee) {
    const srv = callee.startSpan(`handle`, { kind: SpanKind.SERVER }, clientCtx);
    if (opts.error) srv.setStatus({ code: SpanStatusCode.ERROR, message: opts.error });
    serverCtx = traceApi.setSpan(clientCtx, srv);
    srv.end(new Date(Date.now() + opts.ms - 1));
  }
  if (opts.error) client.setStatus({ code: SpanStatusCode.ERROR, message: opts.error });
  client.end(new Date(Date.now() + opts.ms));
  return serverCtx;
}

describe('GET /api/graph', () => {
  it('draws services, leaves and edges with their metrics, health and breakers', async () => {
    const frontend = tracerOf('web-frontend', 'fe-1');
    const checkout = tracerOf('checkout', 'co-1');
    const paymentA = tracerOf('payment', 'pay-1');
    const paymentB = tracerOf('payment', 'pay-2');
    for (let i = 0; i < 20; i++) {
      const root = frontend.startSpan('GET /', { kind: SpanKind.SERVER });
      const rootCtx = traceApi.setSpan(context.active(), root);
      const atCheckout = call(frontend, checkout, rootCtx, { peer: 'checkout', ms: 30 });
      call(checkout, i % 2 ? paymentA : paymentB, atCheckout, { peer: 'payment', ms: 10, error: i < 5 ? 'card processor down' : undefined });
      const db = checkout.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.namespace': 'orders' } }, atCheckout);
      db.end();
      root.end();
    }
    await Promise.all(providers.map((p) => p.forceFlush()));
    await pairEdgesOnce(30_000);
    const now = new Date().toISOString();
    const probe = await callRoute(probes.POST, {
      method: 'POST',
      path: '/v1/probes',
      headers: ingest,
      body: { results: [{ service: 'payment', target: 'GET /health', kind: 'readiness', status: 'warn', latencyMs: 3, checkedAt: now }] },
    });
    expect(probe.status).toBe(200);
    const breaker = await callRoute(breakerEvents.POST, {
      method: 'POST',
      path: '/v1/breaker-events',
      headers: ingest,
      body: { service: 'checkout', events: [{ breaker: 'checkout->payment', dependency: 'payment', from: 'closed', to: 'open', at: now }] },
    });
    expect(breaker.status).toBe(200);

    const res = await callRoute(graphRoute.GET, { path: '/api/graph', headers: read });
    expect(res.status).toBe(200);
    const graph = res.json as GraphResult;
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    const edge = (s: string, t: string) => graph.edges.find((e) => e.source === s && e.target === t)!;

    expect(graph.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['checkout', 'service'],
      ['payment', 'service'],
      ['postgresql/orders', 'database'],
      ['web-frontend', 'service'],
    ]);
    expect(node('payment')).toMatchObject({ requests: 20, instances: 2, health: 'failing', probe: { status: 'warn' } });
    expect(node('payment').errorRate).toBeCloseTo(0.25);
    expect(node('payment').reasons).toEqual(['error rate 25% ≥ 20%', 'probe warning', '1 caller breaker open against it']);
    expect(node('checkout')).toMatchObject({ requests: 20, errorRate: 0, health: 'ok', instances: 1 });
    expect(edge('checkout', 'payment')).toMatchObject({ requests: 20, errorRate: 0.25, breaker: { state: 'open', openInstances: 1 } });
    expect(edge('checkout', 'payment').p50).toBeGreaterThan(5);
    expect(edge('checkout', 'payment').p50).toBeLessThan(20);
    expect(edge('web-frontend', 'checkout')).toMatchObject({ requests: 20, errorRate: 0 });
    expect(edge('checkout', 'postgresql/orders')).toMatchObject({ requests: 20 });

    const metrics = await callRoute(metricsRoute.GET, { path: '/api/services/checkout/metrics', headers: read, params: { service: 'checkout' } });
    const m = metrics.json as ServiceMetrics;
    expect(m.series.reduce((n, p) => n + p.requests, 0)).toBe(20);
    expect(m.upstream.map((e) => e.source)).toEqual(['web-frontend']);
    expect(m.downstream.map((e) => e.target).sort()).toEqual(['payment', 'postgresql/orders']);
    expect(m.downstream.find((e) => e.target === 'payment')!.breaker?.state).toBe('open');
  });

  it('validates the range', async () => {
    const res = await callRoute(graphRoute.GET, { path: '/api/graph?from=yesterday', headers: read });
    expect(res.status).toBe(400);
    expect((res.json as { error: { message: string } }).error.message).toMatch(/query\.from/);
  });
});
