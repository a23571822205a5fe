import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode, TraceFlags, context, createTraceState, trace, type Attributes as SdkAttributes } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson } from './decode-json';
import { decodeTracesProtobuf } from './decode-protobuf';
import { DECODE_LIMITS, type AttributeValue, type DecodedTraces, type SpanRow } from './span-row';
import { encodeTestRequest, type TestAnyValue, type TestKeyValue, type TestRequest, type TestSpan } from './testing';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const PARENT_ID = 'eee19b7ec3c1b173';

/** Runs one request through both decoders and insists they agree. */
function decodeBoth(request: TestRequest): DecodedTraces {
  const fromProtobuf = decodeTracesProtobuf(encodeTestRequest(request));
  const fromJson = decodeTracesJson(JSON.stringify(request));
  expect(fromJson).toStrictEqual(fromProtobuf);
  return fromProtobuf;
}

function requestOf(spans: TestSpan[], resourceAttributes: TestKeyValue[] = [str('service.name', 'checkout')]): TestRequest {
  return { resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: { name: 'lib', version: '1.0.0' }, spans }] }] };
}

function validSpan(overrides: Partial<TestSpan> = {}): TestSpan {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'op',
    kind: 2,
    startTimeUnixNano: '1544712660000000000',
    endTimeUnixNano: '1544712661000000000',
    ...overrides,
  };
}

function str(key: string, stringValue: string): TestKeyValue {
  return { key, value: { stringValue } };
}

function onlySpan(decoded: DecodedTraces): SpanRow {
  expect(decoded.rejectedSpans).toBe(0);
  expect(decoded.spans).toHaveLength(1);
  return decoded.spans[0]!;
}

// ---- requests made by the real OpenTelemetry SDK and its OTLP serializers ----

function nanos([seconds, nanoseconds]: [number, number]): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);
}

/** What the SDK's attribute values must become: integers past 2^53 as decimal strings, missing array items as null. */
function expectedAttributes(attributes: SdkAttributes): Record<string, AttributeValue> {
  const convert = (v: unknown): AttributeValue => {
    if (Array.isArray(v)) return v.map(convert);
    if (v === null || v === undefined) return null;
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v).toString();
    return v as AttributeValue;
  };
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, convert(v)]));
}

function expectedRow(span: ReadableSpan): Omit<SpanRow, 'resource'> {
  const ctx = span.spanContext();
  const SPAN_FLAGS_HAS_IS_REMOTE = 0x100;
  const SPAN_FLAGS_IS_REMOTE = 0x200;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    traceState: ctx.traceState?.serialize() ?? null,
    flags: ctx.traceFlags | SPAN_FLAGS_HAS_IS_REMOTE | (span.parentSpanContext?.isRemote ? SPAN_FLAGS_IS_REMOTE : 0),
    name: span.name,
    kind: span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    statusCode: span.status.code,
    statusMessage: span.status.message ?? null,
    attributes: expectedAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: nanos(event.time),
      name: event.name,
      attributes: expectedAttributes(event.attributes ?? {}),
      droppedAttributesCount: event.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      traceState: link.context.traceState?.serialize() ?? null,
      attributes: expectedAttributes(link.attributes ?? {}),
      droppedAttributesCount: link.droppedAttributesCount ?? 0,
      flags: link.context.traceFlags | SPAN_FLAGS_HAS_IS_REMOTE | (link.context.isRemote ? SPAN_FLAGS_IS_REMOTE : 0),
    })),
    droppedLinksCount: span.droppedLinksCount,
    scopeName: span.instrumentationScope.name,
    scopeVersion: span.instrumentationScope.version ?? null,
  };
}

const SERVER_ATTRIBUTES = {
  'http.request.method': 'GET',
  'http.response.status_code': 200,
  'server.load': 0.25,
  'http.retried': false,
  'int.negative': -42,
  'int.max_safe': Number.MAX_SAFE_INTEGER,
  'int.huge': 2 ** 60,
  tags: ['a', 'b'],
  ports: [80, 443],
  ratios: [0.5, 1.5],
  switches: [true, false],
  mixed: [1, 2.5],
  sparse: ['x', null],
  unicode: 'über ✓ 😀',
};

function recordSdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const checkout = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '2.1.0', 'host.cpu.count': 4 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const unnamed = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'deployment.environment.name': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const http = checkout.getTracer('@faultline/http', '1.4.0');
  const db = checkout.getTracer('@faultline/db');
  const remoteParent = trace.setSpanContext(context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=abc,other=1'),
  });

  const other = http.startSpan('warm-up', { kind: SpanKind.INTERNAL, startTime: [1_700_000_000, 0] });
  other.end([1_700_000_000, 1]);
  const server = http.startSpan('GET /cart', { kind: SpanKind.SERVER, startTime: [1_700_000_000, 123_456_789], attributes: SERVER_ATTRIBUTES }, remoteParent);
  const inServer = trace.setSpan(context.active(), server);
  const query = db.startSpan(
    'SELECT carts',
    { kind: SpanKind.CLIENT, startTime: [1_700_000_000, 200_000_001], links: [{ context: other.spanContext(), attributes: { 'link.reason': 'retry' } }] },
    inServer,
  );
  query.recordException(new Error('connection reset'), [1_700_000_000, 250_000_000]);
  query.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
  query.end([1_700_000_000, 300_000_000]);
  const publish = http.startSpan('cart.updated publish', { kind: SpanKind.PRODUCER, startTime: [1_700_000_000, 310_000_000] }, inServer);
  publish.setStatus({ code: SpanStatusCode.OK });
  publish.end([1_700_000_000, 320_000_000]);
  server.end([1_700_000_001, 0]);
  const consume = unnamed.getTracer('worker', '0.1.0').startSpan('cart.updated process', { kind: SpanKind.CONSUMER, startTime: [1_700_000_002, 5] });
  consume.end([1_700_000_002, 5]);
  return exporter.getFinishedSpans();
}

describe('OTLP requests from the OpenTelemetry SDK', () => {
  const sdkSpans = recordSdkSpans();
  const fromProtobuf = decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(sdkSpans)!);
  const fromJson = decodeTracesJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sdkSpans)!));
  const bySpanId = new Map(fromProtobuf.spans.map((row) => [row.spanId, row]));

  it('decode identically from protobuf and JSON', () => {
    expect(fromJson).toStrictEqual(fromProtobuf);
    expect(fromProtobuf.rejectedSpans).toBe(0);
    expect(fromProtobuf.rejectionReasons).toEqual([]);
    expect(fromProtobuf.spans).toHaveLength(sdkSpans.length);
  });

  it('carry every field of every span exactly', () => {
    for (const span of sdkSpans) {
      const { resource, ...row } = bySpanId.get(span.spanContext().spanId)!;
      expect(row).toStrictEqual(expectedRow(span));
      expect(resource.attributes).toStrictEqual(expectedAttributes(span.resource.attributes));
    }
  });

  it('keep attribute types, huge integers as strings, and the remote parent with its trace state', () => {
    const server = fromProtobuf.spans.find((row) => row.name === 'GET /cart')!;
    expect(server).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
      traceState: 'vendor=abc,other=1',
      flags: 0x301,
      kind: 2,
      startTimeUnixNano: 1_700_000_000_123_456_789n,
      endTimeUnixNano: 1_700_000_001_000_000_000n,
      statusCode: 0,
      statusMessage: null,
      scopeName: '@faultline/http',
      scopeVersion: '1.4.0',
    });
    expect(server.attributes).toStrictEqual({ ...SERVER_ATTRIBUTES, 'int.huge': '1152921504606846976', sparse: ['x', null] });
  });

  it('keep the exception event, the link, the error status and the child relation', () => {
    const server = fromProtobuf.spans.find((row) => row.name === 'GET /cart')!;
    const warmUp = fromProtobuf.spans.find((row) => row.name === 'warm-up')!;
    const query = fromProtobuf.spans.find((row) => row.name === 'SELECT carts')!;
    expect(query).toMatchObject({ kind: 3, parentSpanId: server.spanId, traceId: server.traceId, statusCode: 2, statusMessage: 'connection reset' });
    expect(query.scopeName).toBe('@faultline/db');
    expect(query.scopeVersion).toBeNull();
    expect(query.events).toHaveLength(1);
    expect(query.events[0]).toMatchObject({ name: 'exception', timeUnixNano: 1_700_000_000_250_000_000n });
    expect(query.events[0]!.attributes).toMatchObject({ 'exception.type': 'Error', 'exception.message': 'connection reset' });
    expect(query.events[0]!.attributes['exception.stacktrace']).toContain('connection reset');
    expect(query.links).toStrictEqual([
      { traceId: warmUp.traceId, spanId: warmUp.spanId, traceState: null, attributes: { 'link.reason': 'retry' }, droppedAttributesCount: 0, flags: 0x101 },
    ]);
    expect(fromProtobuf.spans.find((row) => row.name === 'cart.updated publish')).toMatchObject({ kind: 4, statusCode: 1 });
    expect(warmUp).toMatchObject({ kind: 1, parentSpanId: null, endTimeUnixNano: 1_700_000_000_000_000_001n });
  });

  it('share one resource object per ResourceSpans and fall back to unknown_service', () => {
    const checkoutRows = fromProtobuf.spans.filter((row) => row.resource.serviceName === 'checkout');
    expect(checkoutRows).toHaveLength(4);
    for (const row of checkoutRows) expect(row.resource).toBe(checkoutRows[0]!.resource);
    expect(checkoutRows[0]!.resource).toStrictEqual({
      serviceName: 'checkout',
      attributes: { 'service.name': 'checkout', 'service.version': '2.1.0', 'host.cpu.count': 4 },
      droppedAttributesCount: 0,
    });
    const consumer = fromProtobuf.spans.find((row) => row.name === 'cart.updated process')!;
    expect(consumer).toMatchObject({ kind: 5, scopeName: 'worker', scopeVersion: '0.1.0', startTimeUnixNano: consumer.endTimeUnixNano });
    expect(consumer.resource).not.toBe(checkoutRows[0]!.resource);
    expect(consumer.resource.serviceName).toBe('unknown_service');
  });
});

describe('the official OTLP/JSON example', () => {
  const text = readFileSync(new URL('./testdata/otlp-example-trace.json', import.meta.url), 'utf8');

  it('decodes upper-case hex ids and string timestamps', () => {
    const row = onlySpan(decodeTracesJson(text));
    expect(row).toStrictEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      traceState: null,
      flags: 0,
      name: "I'm a server span",
      kind: 2,
      startTimeUnixNano: 1544712660000000000n,
      endTimeUnixNano: 1544712661000000000n,
      statusCode: 0,
      statusMessage: null,
      attributes: { 'my.span.attr': 'some value' },
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      scopeName: 'my.library',
      scopeVersion: '1.0.0',
      resource: { serviceName: 'my.service', attributes: { 'service.name': 'my.service' }, droppedAttributesCount: 0 },
    });
  });

  it('decodes the same from its protobuf encoding', () => {
    const request = JSON.parse(text) as TestRequest;
    expect(decodeTracesProtobuf(encodeTestRequest(request))).toStrictEqual(decodeTracesJson(text));
  });
});

describe('span rejection (partial success)', () => {
  it('refuses spans with unusable ids or times and keeps the rest', () => {
    const decoded = decodeBoth(
      requestOf([
        validSpan({ name: 'kept' }),
        validSpan({ traceId: TRACE_ID.slice(0, 30) }),
        validSpan({ traceId: '0'.repeat(32) }),
        validSpan({ spanId: SPAN_ID.slice(0, 14) }),
        validSpan({ spanId: '0'.repeat(16) }),
        validSpan({ parentSpanId: 'abcdef01' }),
        validSpan({ name: 'zero parent is a root', parentSpanId: '0'.repeat(16) }),
        validSpan({ startTimeUnixNano: '0' }),
        validSpan({ endTimeUnixNano: '1544712659999999999' }),
        validSpan({ name: 'child', parentSpanId: PARENT_ID }),
        validSpan({ traceId: undefined }),
        validSpan({ name: 'instant', endTimeUnixNano: '1544712660000000000' }),
      ]),
    );
    expect(decoded.spans.map((row) => [row.name, row.parentSpanId])).toEqual([
      ['kept', null],
      ['zero parent is a root', null],
      ['child', PARENT_ID],
      ['instant', null],
    ]);
    expect(decoded.rejectedSpans).toBe(8);
    expect(decoded.rejectionReasons).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[1]: trace_id must be 16 bytes, got 15',
      'resourceSpans[0].scopeSpans[0].spans[2]: trace_id is all zeros',
      'resourceSpans[0].scopeSpans[0].spans[3]: span_id must be 8 bytes, got 7',
      'resourceSpans[0].scopeSpans[0].spans[4]: span_id is all zeros',
      'resourceSpans[0].scopeSpans[0].spans[5]: parent_span_id must be 8 bytes, got 4',
      'resourceSpans[0].scopeSpans[0].spans[7]: start_time_unix_nano is 0',
      'resourceSpans[0].scopeSpans[0].spans[8]: end_time_unix_nano 1544712659999999999 is before start_time_unix_nano 1544712660000000000',
      'resourceSpans[0].scopeSpans[0].spans[10]: trace_id must be 16 bytes, got 0',
    ]);
  });

  it('refuses spans whose times storage cannot hold (past 2^63-1 ns), keeping one that ends exactly there', () => {
    const decoded = decodeBoth(
      requestOf([
        validSpan({ name: 'ends at 2^63-1', endTimeUnixNano: String(2n ** 63n - 1n) }),
        validSpan({ endTimeUnixNano: String(2n ** 63n) }),
        validSpan({ endTimeUnixNano: String(2n ** 64n - 1n) }),
        validSpan({ startTimeUnixNano: String(2n ** 63n), endTimeUnixNano: String(2n ** 64n - 1n) }),
      ]),
    );
    expect(decoded.spans.map((row) => row.name)).toEqual(['ends at 2^63-1']);
    expect(decoded.rejectionReasons).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[1]: end_time_unix_nano 9223372036854775808 is out of range (at most 2^63-1)',
      'resourceSpans[0].scopeSpans[0].spans[2]: end_time_unix_nano 18446744073709551615 is out of range (at most 2^63-1)',
      'resourceSpans[0].scopeSpans[0].spans[3]: start_time_unix_nano 9223372036854775808 is out of range (at most 2^63-1)',
    ]);
  });

  it('lists at most ten reasons and summarises the rest', () => {
    const decoded = decodeBoth(requestOf(Array.from({ length: 25 }, () => validSpan({ startTimeUnixNano: '0' }))));
    expect(decoded.spans).toEqual([]);
    expect(decoded.rejectedSpans).toBe(25);
    expect(decoded.rejectionReasons).toHaveLength(11);
    expect(decoded.rejectionReasons[9]).toBe('resourceSpans[0].scopeSpans[0].spans[9]: start_time_unix_nano is 0');
    expect(decoded.rejectionReasons[10]).toBe('and 15 more rejected spans');
  });

  it('drops links whose ids cannot name a span, counting them', () => {
    const row = onlySpan(
      decodeBoth(
        requestOf([
          validSpan({
            droppedLinksCount: 2,
            links: [
              { traceId: TRACE_ID, spanId: PARENT_ID, traceState: 'k=v', flags: 1 },
              { traceId: TRACE_ID.slice(2), spanId: PARENT_ID },
              { traceId: TRACE_ID, spanId: '0'.repeat(16) },
            ],
          }),
        ]),
      ),
    );
    expect(row.links).toStrictEqual([{ traceId: TRACE_ID, spanId: PARENT_ID, traceState: 'k=v', attributes: {}, droppedAttributesCount: 0, flags: 1 }]);
    expect(row.droppedLinksCount).toBe(4);
  });

  it('does not let unusable links take places under maxLinks', () => {
    const unusable = { traceId: TRACE_ID, spanId: '00' };
    const usable = Array.from({ length: DECODE_LIMITS.maxLinks + 1 }, () => ({ traceId: TRACE_ID, spanId: PARENT_ID }));
    const row = onlySpan(decodeBoth(requestOf([validSpan({ links: [unusable, unusable, ...usable] })])));
    expect(row.links).toHaveLength(DECODE_LIMITS.maxLinks);
    expect(row.droppedLinksCount).toBe(3);
  });
});

describe('attribute values', () => {
  function valueOf(value: TestAnyValue | undefined): AttributeValue | undefined {
    return onlySpan(decodeBoth(requestOf([validSpan({ attributes: [{ key: 'v', value }] })]))).attributes.v;
  }

  it('maps each AnyValue kind', () => {
    expect(valueOf({ stringValue: 'héllo' })).toBe('héllo');
    expect(valueOf({ stringValue: '' })).toBe('');
    expect(valueOf({ boolValue: true })).toBe(true);
    expect(valueOf({ doubleValue: -0.125 })).toBe(-0.125);
    expect(valueOf({ bytesValue: 'AAEC/w==' })).toBe('AAEC/w==');
    expect(valueOf({ bytesValue: 'AAE=' })).toBe('AAE=');
    expect(valueOf({ arrayValue: { values: [{ intValue: '1' }, { stringValue: 'x' }, {}] } })).toEqual([1, 'x', null]);
    expect(valueOf({ kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }, { key: 'b' }] } })).toEqual({ a: false, b: null });
    expect(valueOf({})).toBeNull();
    expect(valueOf(undefined)).toBeNull();
  });

  it('keeps int64 exact: numbers while safe, decimal strings beyond', () => {
    expect(valueOf({ intValue: '0' })).toBe(0);
    expect(valueOf({ intValue: '-1' })).toBe(-1);
    expect(valueOf({ intValue: '9007199254740991' })).toBe(9007199254740991);
    expect(valueOf({ intValue: '-9007199254740991' })).toBe(-9007199254740991);
    expect(valueOf({ intValue: '9007199254740993' })).toBe('9007199254740993');
    expect(valueOf({ intValue: '-9007199254740992' })).toBe('-9007199254740992');
    expect(valueOf({ intValue: '9223372036854775807' })).toBe('9223372036854775807');
    expect(valueOf({ intValue: '-9223372036854775808' })).toBe('-9223372036854775808');
    expect(valueOf({ intValue: '4294967296' })).toBe(4294967296);
    expect(valueOf({ intValue: '-4294967297' })).toBe(-4294967297);
  });

  it('lets the last duplicate key win without counting it against the limit', () => {
    const row = onlySpan(decodeBoth(requestOf([validSpan({ attributes: [str('a', '1'), str('b', '2'), str('a', '3')] })])));
    expect(row.attributes).toStrictEqual({ a: '3', b: '2' });
    expect(row.droppedAttributesCount).toBe(0);
  });

  it('stores "__proto__" as a plain key instead of changing the prototype', () => {
    const row = onlySpan(
      decodeBoth(
        requestOf([
          validSpan({
            attributes: [
              { key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } },
              { key: 'nested', value: { kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'x' } }] } } },
            ],
          }),
        ]),
      ),
    );
    expect(Object.getPrototypeOf(row.attributes)).toBe(Object.prototype);
    expect(Object.keys(row.attributes)).toEqual(['__proto__', 'nested']);
    expect((row.attributes as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(row.attributes, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getOwnPropertyDescriptor(row.attributes.nested, '__proto__')?.value).toBe('x');
  });

  it('replaces containers nested deeper than maxValueDepth', () => {
    // Alternates arrays and kvlists, `containers` of them around a string.
    const nest = (containers: number): TestAnyValue => {
      if (containers === 0) return { stringValue: 'leaf' };
      const inner = nest(containers - 1);
      return containers % 2 === 1 ? { arrayValue: { values: [inner] } } : { kvlistValue: { values: [{ key: 'k', value: inner }] } };
    };
    // Walks down to the leaf (or the marker), counting the containers passed.
    const unnest = (value: AttributeValue | undefined): [number, AttributeValue | undefined] => {
      let containers = 0;
      let current = value;
      for (;;) {
        if (Array.isArray(current)) current = current[0];
        else if (current !== null && typeof current === 'object') current = current.k;
        else return [containers, current];
        containers++;
      }
    };
    const max = DECODE_LIMITS.maxValueDepth;
    expect(unnest(valueOf(nest(max)))).toEqual([max, 'leaf']);
    expect(unnest(valueOf(nest(max + 1)))).toEqual([max, '[too deep]']);
    expect(unnest(valueOf(nest(max + 50)))).toEqual([max, '[too deep]']);
  });
});

describe('limits', () => {
  it('keeps maxAttributes of 100,000 attributes and counts the rest as dropped', () => {
    const attributes = Array.from({ length: 100_000 }, (_, i) => ({ key: `k${i}`, value: { intValue: String(i) } }));
    const row = onlySpan(decodeBoth(requestOf([validSpan({ attributes, droppedAttributesCount: 3 })])));
    expect(Object.keys(row.attributes)).toHaveLength(DECODE_LIMITS.maxAttributes);
    expect(row.attributes.k0).toBe(0);
    expect(row.attributes[`k${DECODE_LIMITS.maxAttributes - 1}`]).toBe(DECODE_LIMITS.maxAttributes - 1);
    expect(row.attributes[`k${DECODE_LIMITS.maxAttributes}`]).toBeUndefined();
    expect(row.droppedAttributesCount).toBe(100_000 - DECODE_LIMITS.maxAttributes + 3);
  });

  it('applies the attribute limit to resources, events and links too', () => {
    const many = Array.from({ length: DECODE_LIMITS.maxAttributes + 5 }, (_, i) => str(`k${i}`, 'v'));
    const request = requestOf(
      [validSpan({ events: [{ name: 'e', timeUnixNano: '1', attributes: many, droppedAttributesCount: 1 }], links: [{ traceId: TRACE_ID, spanId: PARENT_ID, attributes: many }] })],
      [str('service.name', 'svc'), ...many],
    );
    const row = onlySpan(decodeBoth(request));
    expect(row.resource.droppedAttributesCount).toBe(6);
    expect(Object.keys(row.resource.attributes)).toHaveLength(DECODE_LIMITS.maxAttributes);
    expect(row.resource.serviceName).toBe('svc');
    expect(row.events[0]!.droppedAttributesCount).toBe(6);
    expect(row.links[0]!.droppedAttributesCount).toBe(5);
  });

  it('keeps maxEvents events and maxLinks links, counting the rest', () => {
    const events = Array.from({ length: DECODE_LIMITS.maxEvents + 10 }, (_, i) => ({ name: `e${i}`, timeUnixNano: String(i + 1) }));
    const links = Array.from({ length: DECODE_LIMITS.maxLinks + 7 }, () => ({ traceId: TRACE_ID, spanId: PARENT_ID }));
    const row = onlySpan(decodeBoth(requestOf([validSpan({ events, links, droppedEventsCount: 1, droppedLinksCount: 2 })])));
    expect(row.events).toHaveLength(DECODE_LIMITS.maxEvents);
    expect(row.events.at(-1)!.name).toBe(`e${DECODE_LIMITS.maxEvents - 1}`);
    expect(row.droppedEventsCount).toBe(11);
    expect(row.links).toHaveLength(DECODE_LIMITS.maxLinks);
    expect(row.droppedLinksCount).toBe(9);
  });

  it('truncates a 1 MB string to maxStringLength code points', () => {
    const row = onlySpan(decodeBoth(requestOf([validSpan({ name: 'n'.repeat(1 << 20), attributes: [str('big', 'x'.repeat(1 << 20))] })])));
    expect(row.name).toHaveLength(DECODE_LIMITS.maxStringLength);
    expect(row.attributes.big).toBe('x'.repeat(DECODE_LIMITS.maxStringLength));
  });

  it('truncates multi-byte text on code point boundaries', () => {
    const row = onlySpan(decodeBoth(requestOf([validSpan({ attributes: [str('euro', '€'.repeat(20_000)), str('emoji', '😀'.repeat(20_000))] })])));
    expect(row.attributes.euro).toBe('€'.repeat(DECODE_LIMITS.maxStringLength));
    expect(row.attributes.emoji).toBe('😀'.repeat(DECODE_LIMITS.maxStringLength));
  });

  it('truncates long bytes values to the same base64 prefix', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => i % 251);
    const base64 = Buffer.from(bytes).toString('base64');
    const row = onlySpan(decodeBoth(requestOf([validSpan({ attributes: [{ key: 'b', value: { bytesValue: base64 } }] })])));
    expect(row.attributes.b).toBe(base64.slice(0, DECODE_LIMITS.maxStringLength));
  });
});

describe('text as storage keeps it', () => {
  // Every string a row carries, in one span: name, trace state, status, scope, attributes (keys,
  // values, nested), events, links and the service name.
  function spanWithText(text: string): TestRequest {
    const span = validSpan({
      name: `n${text}`,
      traceState: `t${text}`,
      status: { code: 2, message: `m${text}` },
      attributes: [{ key: `k${text}`, value: { kvlistValue: { values: [{ key: text, value: { arrayValue: { values: [{ stringValue: text }] } } }] } } }],
      events: [{ timeUnixNano: '1544712660500000000', name: `e${text}`, attributes: [str('a', text)] }],
      links: [{ traceId: TRACE_ID, spanId: PARENT_ID, traceState: `l${text}` }],
    });
    return { resourceSpans: [{ resource: { attributes: [str('service.name', `s${text}`)] }, scopeSpans: [{ scope: { name: `c${text}`, version: `v${text}` }, spans: [span] }] }] };
  }

  function textsOf(row: SpanRow): unknown[] {
    return [row.name, row.traceState, row.statusMessage, row.scopeName, row.scopeVersion, row.resource.serviceName, row.attributes, row.events[0]!.name, row.events[0]!.attributes, row.links[0]!.traceState];
  }

  const expected = (text: string) => [
    ...['n', 't', 'm', 'c', 'v', 's'].map((prefix) => `${prefix}${text}`),
    { [`k${text}`]: { [text]: [text] } },
    `e${text}`,
    { a: text },
    `l${text}`,
  ];

  it.each([
    ['NUL', '\u0000', '\ufffd'],
    ['NUL past the short-string path', `${'x'.repeat(30)}\u0000`, `${'x'.repeat(30)}\ufffd`],
    ['a lone high surrogate', '\ud800', '\ufffd'],
    ['a lone low surrogate before a high one', '\udc00\ud800', '\ufffd\ufffd'],
    ['a pair cut short', '😀\ud83d', '😀\ufffd'],
  ])('makes %s U+FFFD in every string, the same from protobuf and JSON', (_what, text, canonical) => {
    const fromProtobuf = onlySpan(decodeTracesProtobuf(encodeTestRequest(spanWithText(text))));
    const fromJson = onlySpan(decodeTracesJson(JSON.stringify(spanWithText(text))));
    expect(textsOf(fromJson)).toEqual(expected(canonical));
    expect(textsOf(fromProtobuf)).toEqual(textsOf(fromJson));
  });

  it('keeps valid text, surrogate pairs and U+FFFD itself as they are', () => {
    const row = onlySpan(decodeBoth(spanWithText('ü✓😀\ufffd')));
    expect(textsOf(row)).toEqual(expected('ü✓😀\ufffd'));
  });

  it('makes attribute keys that storage would keep alike one key (the last wins)', () => {
    const row = onlySpan(decodeTracesJson(JSON.stringify(requestOf([validSpan({ attributes: [str('k\u0000', 'nul'), str('k\ud800', 'surrogate'), str('k\ufffd', 'last')] })]))));
    expect(row.attributes).toEqual({ 'k\ufffd': 'last' });
    expect(row.droppedAttributesCount).toBe(0);
  });
});

describe('request shape', () => {
  it('maps enums out of range to 0 and empty strings to null', () => {
    const row = onlySpan(decodeBoth(requestOf([validSpan({ kind: 9, status: { code: 7, message: '' }, traceState: '' })])));
    expect(row).toMatchObject({ kind: 0, statusCode: 0, statusMessage: null, traceState: null });
  });

  it('uses null for a missing or empty scope, and unknown_service without a string service.name', () => {
    const decoded = decodeBoth({
      resourceSpans: [
        { scopeSpans: [{ spans: [validSpan()] }] },
        { resource: { attributes: [{ key: 'service.name', value: { intValue: 7 } }] }, scopeSpans: [{ scope: { name: '', version: '' }, spans: [validSpan()] }] },
      ],
    });
    expect(decoded.spans).toHaveLength(2);
    for (const row of decoded.spans) expect(row).toMatchObject({ scopeName: null, scopeVersion: null, resource: { serviceName: 'unknown_service' } });
    expect(decoded.spans[0]!.resource).not.toBe(decoded.spans[1]!.resource);
  });

  it('accepts an empty request', () => {
    expect(decodeBoth({ resourceSpans: [] })).toStrictEqual({ spans: [], rejectedSpans: 0, rejectionReasons: [] });
    expect(decodeTracesProtobuf(new Uint8Array(0))).toStrictEqual({ spans: [], rejectedSpans: 0, rejectionReasons: [] });
    expect(decodeTracesJson('{}')).toStrictEqual({ spans: [], rejectedSpans: 0, rejectionReasons: [] });
  });
});
