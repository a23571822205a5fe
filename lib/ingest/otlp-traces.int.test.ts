// POST /v1/traces end to end: real OpenTelemetry exporters (protobuf and JSON) against a real HTTP
// server and the real database, plus every refusal the OTLP spec asks for.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { context, SpanKind, SpanStatusCode, trace as traceApi, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '@/lib/auth/api-keys';
import { resetEnv } from '@/lib/config/env';
import { startTestServer } from '@/lib/http/test-server';
import { getTrace } from '@/lib/traces/queries';
import { receiveOtlpTraces, resetSpanBatcher } from './otlp-traces';

const system = { kind: 'system', name: 'test' } as const;
let server: Awaited<ReturnType<typeof startTestServer>>;
let ingestKey: string;
let readKey: string;

beforeAll(async () => {
  server = await startTestServer({ 'POST /v1/traces': receiveOtlpTraces });
  ingestKey = (await createApiKey({ actor: system, input: { name: 'fleet', scopes: ['ingest'] } })).key;
  readKey = (await createApiKey({ actor: system, input: { name: 'reader', scopes: ['read'] } })).key;
});
afterAll(() => server.close());

function withEnv(patch: Record<string, string>, work: () => Promise<void>): Promise<void> {
  Object.assign(process.env, patch);
  resetEnv();
  resetSpanBatcher();
  return work().finally(() => {
    for (const k of Object.keys(patch)) delete process.env[k];
    resetEnv();
    resetSpanBatcher();
  });
}

/** A checkout request: server span, a client child that failed with an exception, linked to another trace. */
async function emitCheckout(exporter: SpanExporter, service: string): Promise<{ traceId: string; rootId: string; childId: string }> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.2.3', 'host.name': 'box-1' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer: Tracer = provider.getTracer('checkout-instrumentation', '0.9.0');
  const linked = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
  const root = tracer.startSpan('POST /checkout', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': 502, 'cart.items': 3, 'cart.total': 99.5, 'user.vip': true, 'cart.skus': ['a1', 'b2'] },
  });
  const child = tracer.startSpan(
    'charge card',
    { kind: SpanKind.CLIENT, attributes: { 'peer.service': 'bank-adapter', 'http.request.resend_count': 2 }, links: [{ context: linked, attributes: { reason: 'retry of' } }] },
    traceApi.setSpan(context.active(), root),
  );
  child.recordException(new Error('card declined by bank'));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream 502' });
  child.end();
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end();
  // forceFlush, not shutdown: shutting down an in-memory exporter forgets its spans.
  await provider.forceFlush();
  return { traceId: root.spanContext().traceId, rootId: root.spanContext().spanId, childId: child.spanContext().spanId };
}

async function expectCheckoutStored(ids: { traceId: string; rootId: string; childId: string }, service: string) {
  const trace = await getTrace({ actor: system, traceId: ids.traceId });
  expect(trace.spans).toHaveLength(2);
  const root = trace.spans.find((s) => s.spanId === ids.rootId)!;
  const child = trace.spans.find((s) => s.spanId === ids.childId)!;
  expect(root).toMatchObject({
    parentSpanId: null,
    name: 'POST /checkout',
    kind: 'server',
    service,
    statusCode: 'error',
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': 502, 'cart.items': 3, 'cart.total': 99.5, 'user.vip': true, 'cart.skus': ['a1', 'b2'] },
    resource: { 'service.name': service, 'service.version': '1.2.3', 'host.name': 'box-1' },
    scope: { name: 'checkout-instrumentation', version: '0.9.0' },
  });
  expect(child).toMatchObject({ parentSpanId: ids.rootId, kind: 'client', statusCode: 'error', statusMessage: 'upstream 502' });
  expect(child.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.message': 'card declined by bank', 'exception.type': 'Error' } });
  expect(child.links[0]).toMatchObject({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), attributes: { reason: 'retry of' } });
  expect(child.durationMs).toBeGreaterThanOrEqual(0);
}

async function post(body: BodyInit, headers: Record<string, string>) {
  const response = await fetch(`${server.url}/v1/traces`, { method: 'POST', body, headers: { Authorization: `Bearer ${ingestKey}`, ...headers } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: new TextDecoder().decode(bytes) };
}

describe('real OpenTelemetry exporters', () => {
  it('stores what the protobuf exporter sends', async () => {
    const exporter = new OtlpProtoExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${ingestKey}` } });
    const ids = await emitCheckout(exporter, 'checkout-proto');
    await expectCheckoutStored(ids, 'checkout-proto');
  });

  it('stores what the JSON exporter sends', async () => {
    const exporter = new OtlpHttpJsonExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${ingestKey}` } });
    const ids = await emitCheckout(exporter, 'checkout-json');
    await expectCheckoutStored(ids, 'checkout-json');
  });
});

async function protobufPayload(service: string) {
  const memory = new InMemorySpanExporter();
  const ids = await emitCheckout(memory, service);
  return { ids, bytes: new Uint8Array(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!) };
}

describe('receiver behaviour', () => {
  it('stores each span once when an exporter retries the same batch, and counts it once', async () => {
    const { ids, bytes } = await protobufPayload('retrying-service');
    const first = await post(bytes, { 'Content-Type': 'application/x-protobuf' });
    const again = await post(bytes, { 'Content-Type': 'application/x-protobuf' });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.headers.get('content-type')).toBe('application/x-protobuf');
    const { searchTraces } = await import('@/lib/traces/queries');
    const found = await searchTraces({ actor: system, query: { service: 'retrying-service', limit: 10 } });
    expect(found.traces).toEqual([expect.objectContaining({ traceId: ids.traceId, spanCount: 2, errorCount: 2 })]);
    expect((await getTrace({ actor: system, traceId: ids.traceId })).spans).toHaveLength(2);
  });

  it('accepts gzip', async () => {
    const { ids, bytes } = await protobufPayload('gzipped-service');
    const res = await post(gzipSync(bytes), { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(200);
    await expectCheckoutStored(ids, 'gzipped-service');
  });

  it('accepts the official OTLP/JSON example inside retention, and reports it as rejected outside', async () => {
    const example = readFileSync(new URL('../otlp/testdata/otlp-example-trace.json', import.meta.url), 'utf8');
    const outside = await post(example, { 'Content-Type': 'application/json' });
    expect(outside.status).toBe(200);
    expect(JSON.parse(outside.text)).toMatchObject({ partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringMatching(/retained window/) } });

    await withEnv({ FAULTLINE_RETENTION_DAYS: '3650' }, async () => {
      const inside = await post(example, { 'Content-Type': 'application/json' });
      expect(inside.status).toBe(200);
      expect(JSON.parse(inside.text)).toEqual({});
      const trace = await getTrace({ actor: system, traceId: '5b8efff798038103d269b633813fc60c' });
      expect(trace.spans.map((s) => s.spanId)).toEqual(['eee19b7ec3c1b174']);
      const server = trace.spans[0]!;
      expect(server).toMatchObject({ service: 'my.service', kind: 'server', parentSpanId: 'eee19b7ec3c1b173', attributes: { 'my.span.attr': 'some value' }, durationMs: 1000 });
      expect(server.startTimeUnixNano).toBe('1544712660000000000');
    });
  });

  it('stores the valid spans and reports the invalid ones as a partial success', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (spanId: string) => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId, name: 'op', startTimeUnixNano: String(now), endTimeUnixNano: String(now + 5_000_000n) });
    const body = JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'partial' } }] }, scopeSpans: [{ spans: [span('b7ad6b7169203331'), span('b7ad6b71692033')] }] }],
    });
    const res = await post(body, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringMatching(/span_id/) } });
    expect((await getTrace({ actor: system, traceId: '0af7651916cd43dd8448eb211c80319c' })).spans).toHaveLength(1);
  });
});

describe('refusals', () => {
  it('answers 415 for an unsupported content type or encoding', async () => {
    const res = await post('x', { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text)).toMatchObject({ code: 3, message: expect.stringMatching(/Content-Type/) });
    expect((await post('x', { 'Content-Type': 'application/json', 'Content-Encoding': 'br' })).status).toBe(415);
  });

  it('answers 401 without a valid key and 403 for a key without the ingest scope', async () => {
    const body = JSON.stringify({ resourceSpans: [] });
    const missing = await fetch(`${server.url}/v1/traces`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 16, message: expect.stringMatching(/API key/) });
    expect((await post(body, { 'Content-Type': 'application/json', Authorization: 'Bearer flk_wrong' })).status).toBe(401);
    expect((await post(body, { 'Content-Type': 'application/json', Authorization: `Bearer ${readKey}` })).status).toBe(403);
  });

  it('answers 400 with a google.rpc.Status for malformed bodies, in the request encoding', async () => {
    const proto = await post(new Uint8Array([0x0a, 0xff, 0xff, 0x01]), { 'Content-Type': 'application/x-protobuf' });
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    // google.rpc.Status: field 1 (code) = 3 INVALID_ARGUMENT, field 2 (message) follows.
    expect([...proto.bytes.slice(0, 2)]).toEqual([0x08, 3]);
    expect(proto.text).toMatch(/malformed/);
    const json = await post('{"resourceSpans": [', { 'Content-Type': 'application/json' });
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text)).toMatchObject({ code: 3, message: expect.stringMatching(/malformed/) });
    expect((await post('not gzip', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })).status).toBe(400);
  });

  it('answers 413 for a body over the limit, before or after decompression', async () => {
    await withEnv({ INGEST_MAX_BODY_BYTES: '2048', INGEST_MAX_DECOMPRESSED_BYTES: '4096' }, async () => {
      const big = await post('x'.repeat(5000), { 'Content-Type': 'application/json' });
      expect(big.status).toBe(413);
      const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20));
      expect(bomb.length).toBeLessThan(2048);
      const res = await post(bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).message).toMatch(/after gzip decompression/);
    });
  });
});
