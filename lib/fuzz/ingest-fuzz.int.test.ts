// Fuzzes the three ingest routes in-process against a real PostgreSQL: generated cases and the
// nasty list must only ever get 200 (valid or partial success), 400, 413 or 415 with a message
// that names the problem, and ingest must still work afterwards. The bugs this fuzzer found are
// fixed; their reproducers below check the exact answer and what was stored.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as breakerEvents } from '@/app/v1/breaker-events/route';
import { POST as probes } from '@/app/v1/probes/route';
import { POST as traces } from '@/app/v1/traces/route';
import { resetEnv } from '@/lib/config/env';
import { pool } from '@/lib/db/client';
import { apiKeyHeader } from '@/lib/http/testing';
import { resetSpanBatcher, spanBatcher } from '@/lib/ingest/otlp-traces';
import { decodeTracesJson } from '@/lib/otlp/decode-json';
import { decodeTracesProtobuf } from '@/lib/otlp/decode-protobuf';
import type { SpanRow } from '@/lib/otlp/span-row';
import {
  INGEST_ENDPOINTS,
  NASTY_INGEST_CASES,
  endpointOf,
  ingestFuzzCases,
  nastyIngestCase,
  nastyIngestCases,
  otlpResponseEncoding,
  type FuzzCase,
  type IngestEndpoint,
} from './ingest-corpus';
import { checkIngestResponse, decodeExportResponse, runIngestFuzz, type FuzzResponse, type IngestFuzzStats } from './run-ingest-fuzz';

const SEED = 0x1f0221;
const GENERATED_CASES = 3_000;

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const HANDLERS: Record<IngestEndpoint, Handler> = { '/v1/traces': traces, '/v1/probes': probes, '/v1/breaker-events': breakerEvents };

let auth: Record<string, string>;

beforeAll(async () => {
  auth = await apiKeyHeader('ingest');
});

/** Calls the route handler the way Next would, with the case's headers and bytes as they are. */
async function send(c: FuzzCase): Promise<FuzzResponse> {
  const headers = new Headers({ host: 'localhost:3000', ...auth });
  if (c.contentType !== null) headers.set('content-type', c.contentType);
  if (c.contentEncoding !== undefined) headers.set('content-encoding', c.contentEncoding);
  if (c.contentLength !== undefined) headers.set('content-length', c.contentLength);
  const req = new NextRequest(new URL(c.path, 'http://localhost:3000'), { method: 'POST', headers, body: c.body as Uint8Array<ArrayBuffer> });
  const response = await HANDLERS[endpointOf(c.path)](req, { params: Promise.resolve({}) });
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, text: new TextDecoder().decode(body), body, headers: response.headers };
}

function summary(stats: IngestFuzzStats): string {
  return JSON.stringify({ ...stats, violations: stats.violations.slice(0, 5) }, null, 2);
}

async function storedSpans(): Promise<number> {
  const { rows } = await pool().query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry.spans');
  return rows[0]!.n;
}

describe('ingest fuzzing', () => {
  it(`answers ${GENERATED_CASES} generated cases only with 200/400/413/415 and a message naming the problem`, async () => {
    const before = await storedSpans();
    const stats = await runIngestFuzz({ send, cases: ingestFuzzCases(SEED, GENERATED_CASES), concurrency: 8 });
    expect(stats.violations, summary(stats)).toEqual([]);
    expect(stats.violationCount).toBe(0);
    // Nothing here overloads the writer or the database: a 503 would be a failure in disguise.
    expect(stats.unavailable, summary(stats)).toEqual({ count: 0, samples: [] });
    expect(stats.cases).toBe(GENERATED_CASES);
    // The run must have reached every endpoint, and both acceptance and refusal on each.
    for (const endpoint of INGEST_ENDPOINTS) {
      expect(stats.byEndpoint[endpoint][200] ?? 0, `${endpoint} 200s`).toBeGreaterThan(20);
      expect(stats.byEndpoint[endpoint][400] ?? 0, `${endpoint} 400s`).toBeGreaterThan(20);
    }
    expect(stats.byStatus[413] ?? 0).toBeGreaterThan(0);
    expect(stats.byStatus[415] ?? 0).toBeGreaterThan(0);
    // …and valid spans were really written, not just decoded.
    expect((await storedSpans()) - before).toBeGreaterThan(500);
  }, 180_000);

  it('answers every nasty case (depth, size, encodings, timestamps, duplicates, headers) as a correct server must', async () => {
    const stats = await runIngestFuzz({ send, cases: nastyIngestCases(), concurrency: 2 });
    expect(stats.violations, summary(stats)).toEqual([]);
    expect(stats.unavailable.count, summary(stats)).toBe(0);
    expect(stats.cases).toBe(NASTY_INGEST_CASES.length);
  }, 180_000);
});

/** The spans a /v1/traces case carries, as the decoder reads them (ids, canonical names). */
function decodedSpans(c: FuzzCase): SpanRow[] {
  const decoded = otlpResponseEncoding(c.contentType) === 'protobuf' ? decodeTracesProtobuf(c.body) : decodeTracesJson(new TextDecoder().decode(c.body));
  return decoded.spans;
}

/** How many spans a 200 from /v1/traces says were rejected, and why. */
function partialSuccess(c: FuzzCase, response: FuzzResponse): { rejectedSpans: number; errorMessage: string } {
  if (otlpResponseEncoding(c.contentType) === 'protobuf') return decodeExportResponse(response.body!);
  const partial = (JSON.parse(response.text) as { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } }).partialSuccess;
  return { rejectedSpans: Number(partial?.rejectedSpans ?? 0), errorMessage: partial?.errorMessage ?? '' };
}

/** Sends the nasty case with this label; the answer must be one a correct server gives, with this status. */
async function sendNasty(label: string, status: number): Promise<{ c: FuzzCase; response: FuzzResponse }> {
  const c = nastyIngestCase(label);
  const response = await send(c);
  expect({ label, status: response.status, problem: checkIngestResponse(c, response) }).toEqual({ label, status, problem: null });
  return { c, response };
}

interface StoredSpan {
  flags: number;
  droppedCounts: number[] | null;
  startNs: string;
  durationNs: string;
  service: string;
  name: string;
}

/** The stored row of this span (the nasty run above sent the same ids, at another time). */
async function storedSpan(span: Pick<SpanRow, 'traceId' | 'spanId' | 'startTimeUnixNano'>): Promise<StoredSpan | undefined> {
  const { rows } = await pool().query<StoredSpan>(
    `SELECT flags, dropped_counts AS "droppedCounts", start_ns::text AS "startNs", duration_ns::text AS "durationNs", service_name AS service, name
       FROM telemetry.spans WHERE trace_id = decode($1, 'hex') AND span_id = decode($2, 'hex') AND start_ns = $3`,
    [span.traceId, span.spanId, span.startTimeUnixNano.toString()],
  );
  expect(rows.length, `${span.traceId}/${span.spanId} stored at most once`).toBeLessThanOrEqual(1);
  return rows[0];
}

/** Sends a single-span trace case and returns the stored row of its span (which must be accepted whole). */
async function storedSpanOf(label: string): Promise<StoredSpan> {
  const { c, response } = await sendNasty(label, 200);
  expect(partialSuccess(c, response), label).toEqual({ rejectedSpans: 0, errorMessage: '' });
  const [span] = decodedSpans(c);
  const row = await storedSpan(span!);
  expect(row, `${label}: span stored`).toBeDefined();
  return row!;
}

/**
 * Writes the requests in one span-writer transaction: a single writer, held up by a table lock on
 * the first request's batch, so the rest queue behind it and are written together.
 */
async function sendInOneTransaction(requests: FuzzCase[]): Promise<FuzzResponse[]> {
  Object.assign(process.env, { INGEST_WRITERS: '1' });
  resetEnv();
  resetSpanBatcher();
  const lock = await pool().connect();
  try {
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE telemetry.trace_summaries IN EXCLUSIVE MODE');
    const expectedDepth = requests.reduce((n, c) => n + decodedSpans(c).length, 0);
    const [first, ...rest] = requests;
    const answers = [send(first!)];
    // The first batch is taken (and blocked) before the others arrive, so they form the next one.
    for (let waited = 0; spanBatcher().depth < decodedSpans(first!).length; waited += 10) {
      if (waited > 10_000) throw new Error(`only ${spanBatcher().depth} spans queued`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    answers.push(...rest.map(send));
    for (let waited = 0; spanBatcher().depth < expectedDepth; waited += 10) {
      if (waited > 10_000) throw new Error(`only ${spanBatcher().depth} of ${expectedDepth} spans queued`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await lock.query('COMMIT');
    return await Promise.all(answers);
  } finally {
    await lock.query('ROLLBACK').catch(() => undefined);
    lock.release();
    delete process.env.INGEST_WRITERS;
    resetEnv();
    resetSpanBatcher();
  }
}

function jsonExport(label: string, spans: Array<Record<string, unknown>>, service?: string): FuzzCase {
  const resource = service === undefined ? {} : { resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] } };
  const body = JSON.stringify({ resourceSpans: [{ ...resource, scopeSpans: [{ spans }] }] });
  return { path: '/v1/traces', contentType: 'application/json', label, body: new TextEncoder().encode(body), expect: [200] };
}

/**
 * The bugs this fuzzer found, fixed: each reproducer now gets the answer a correct server gives
 * (stored, partially rejected with a reason, or refused naming the field), and what was stored is
 * checked too. The same cases also run with the rest of the nasty list above.
 */
describe('fixed findings', () => {
  const INT32_MAX = 2_147_483_647;

  it('stores span flags of 2^31 and above as their 32 bits (spans.flags is a signed integer)', async () => {
    expect((await storedSpanOf('traces protobuf: span flags 0x80000000')).flags >>> 0).toBe(0x80000000);
    expect((await storedSpanOf('traces JSON: span flags 4294967295')).flags >>> 0).toBe(0xffffffff);
  });

  it('stores dropped counts of 2^31 and above at the integer ceiling', async () => {
    expect((await storedSpanOf('traces JSON: dropped_attributes_count 4294967295')).droppedCounts).toEqual([INT32_MAX, 0, 0]);
    expect((await storedSpanOf('traces protobuf: dropped_events_count 2^31')).droppedCounts).toEqual([0, INT32_MAX, 0]);
    const justUnder = await storedSpanOf('traces JSON: span flags, dropped counts and resend_count just under 2^31');
    expect(justUnder).toMatchObject({ flags: INT32_MAX, droppedCounts: [INT32_MAX, 0, INT32_MAX] });
  });

  it('rejects a span ending at or past 2^63 ns as partial success with a reason, and stores one ending at 2^63-1', async () => {
    for (const label of [
      'traces protobuf: end 2^64-1 after a start inside retention',
      'traces JSON: end 2^64-1 after a start inside retention',
      'traces JSON: end 2^63 (one past what fits)',
    ]) {
      const before = await storedSpans();
      const { c, response } = await sendNasty(label, 200);
      expect(partialSuccess(c, response), label).toEqual({ rejectedSpans: 1, errorMessage: expect.stringMatching(/spans\[0\]: end_time_unix_nano \d+ is out of range/) });
      expect(await storedSpans(), label).toBe(before);
    }
    const largest = await storedSpanOf('traces JSON: end 2^63-1 (the largest that fits)');
    expect(BigInt(largest.startNs) + BigInt(largest.durationNs)).toBe(2n ** 63n - 1n);
  });

  it('counts a CLIENT span with an absurd http.request.resend_count as one resend, capped', async () => {
    for (const label of [
      'traces JSON: CLIENT span with http.request.resend_count 3000000000',
      'traces JSON: CLIENT span with http.request.resend_count "1e12"',
      'traces protobuf: CLIENT span with http.request.resend_count 1e300 as a double',
    ]) {
      const { c, response } = await sendNasty(label, 200);
      expect(partialSuccess(c, response), label).toEqual({ rejectedSpans: 0, errorMessage: '' });
      const [span] = decodedSpans(c);
      expect(await storedSpan(span!), label).toBeDefined();
      // A CLIENT span nobody answered yet waits for its callee as an edge candidate.
      const { rows } = await pool().query<{ resend: number }>(
        "SELECT resend FROM telemetry.edge_candidates WHERE trace_id = decode($1, 'hex') AND span_id = decode($2, 'hex') AND start_us = $3",
        [span!.traceId, span!.spanId, String(span!.startTimeUnixNano / 1000n)],
      );
      expect(rows, label).toEqual([{ resend: 1_000_000 }]);
    }
  });

  it('stores a service.name holding NUL with U+FFFD in its place', async () => {
    expect((await storedSpanOf('traces JSON: service.name "svc\\u0000"')).service).toBe('svc\ufffd');
    expect((await storedSpanOf('traces protobuf: service.name "\\u0000"')).service).toBe('\ufffd');
    const { rows } = await pool().query<{ n: number }>("SELECT count(*)::int AS n FROM telemetry.resources WHERE service_name IN ('svc\ufffd', '\ufffd')");
    expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it('stores names that PostgreSQL keeps alike (NUL and U+FFFD, different lone surrogates) as one, in one request', async () => {
    const requestsOf = async (sql: string) => (await pool().query<{ n: number }>(sql)).rows[0]!.n;
    const collisions: Array<[label: string, stored: Pick<StoredSpan, 'service'> & Partial<StoredSpan>, counted: string]> = [
      [
        'traces JSON: span names "\\ud800" and "\\udfff" in one request',
        { service: 'unknown_service', name: '\ufffd' },
        "SELECT count(*)::int AS n FROM telemetry.operations WHERE service_name = 'unknown_service' AND name = '\ufffd'",
      ],
      [
        'traces JSON: SERVER spans of services "\\ud800x" and "\\udfffx" in one request',
        { service: '\ufffdx' },
        "SELECT coalesce(sum(requests), 0)::int AS n FROM telemetry.service_fine WHERE service = '\ufffdx'",
      ],
      [
        'traces JSON: SERVER spans of services "a\\u0000" and "a\\ufffd" in one request',
        { service: 'a\ufffd', name: 'op' },
        "SELECT coalesce(sum(requests), 0)::int AS n FROM telemetry.service_fine WHERE service = 'a\ufffd'",
      ],
      [
        'traces JSON: CLIENT spans calling peer.service "\\ud800" and "\\udbff" in one request',
        { service: 'unknown_service', name: 'call' },
        "SELECT coalesce(sum(requests), 0)::int AS n FROM telemetry.edge_fine WHERE source = 'unknown_service' AND target = '\ufffd'",
      ],
    ];
    for (const [label, stored, counted] of collisions) {
      const before = await requestsOf(counted);
      const { c, response } = await sendNasty(label, 200);
      expect(partialSuccess(c, response), label).toEqual({ rejectedSpans: 0, errorMessage: '' });
      const spans = decodedSpans(c);
      expect(spans, label).toHaveLength(2);
      for (const span of spans) expect(await storedSpan(span), label).toMatchObject(stored);
      // One row for both: the operations catalogue keeps the pair once, the rollups count both spans in it.
      expect(await requestsOf(counted), label).toBe(label.startsWith('traces JSON: span names') ? 1 : before + 2);
    }
  });

  it('stores names that PostgreSQL keeps alike as one when they come from different requests written together', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (traceId: string, name: string) => ({ traceId, spanId: '0102030405060708', name, kind: 2, startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1000n) });
    const answers = await sendInOneTransaction([
      jsonExport('first', [span('c011de00c011de00c011de00c011de00', 'first')], 'cross-request'),
      jsonExport('lone high surrogate', [span('c011de00c011de00c011de00c011de01', '\ud800')], 'cross\ud800'),
      jsonExport('lone low surrogate', [span('c011de00c011de00c011de00c011de02', '\udfff')], 'cross\udfff'),
      jsonExport('NUL', [span('c011de00c011de00c011de00c011de03', '\u0000')], 'cross\u0000'),
    ]);
    expect(answers.map((a) => [a.status, a.text])).toEqual(answers.map(() => [200, '{}']));
    for (const traceId of ['c011de00c011de00c011de00c011de01', 'c011de00c011de00c011de00c011de02', 'c011de00c011de00c011de00c011de03']) {
      expect(await storedSpan({ traceId, spanId: '0102030405060708', startTimeUnixNano: now })).toMatchObject({ service: 'cross\ufffd', name: '\ufffd' });
    }
    const { rows } = await pool().query<{ requests: number }>("SELECT sum(requests)::int AS requests FROM telemetry.service_fine WHERE service = 'cross\ufffd'");
    expect(rows[0]!.requests).toBe(3);
  });

  it('describes an observedValue nested 10,000 deep to a bounded depth and stores the document', async () => {
    const { response } = await sendNasty('probes health+json: observedValue of 10,000 nested arrays', 200);
    expect(JSON.parse(response.text)).toMatchObject({ accepted: 2 });
    const { rows } = await pool().query<{ observed: string }>(
      "SELECT observed_value AS observed FROM telemetry.probe_results WHERE service = 'fuzz-probe' AND target = 'db' AND observed_value LIKE '[[%'",
    );
    expect(rows.map((r) => r.observed)).toContain(`${'['.repeat(8)}[…]${']'.repeat(8)}`);
  });

  it('refuses a health status that is an Object.prototype member, naming the field', async () => {
    const { response: document } = await sendNasty('probes health+json: status "__proto__"', 400);
    expect(JSON.parse(document.text).error.message).toMatch(/^body\.status: must be pass, warn or fail/);
    const { response: check } = await sendNasty('probes health+json: check status " Constructor "', 400);
    expect(JSON.parse(check.text).error.message).toMatch(/^body\.checks\.db\.0\.status: must be pass, warn or fail/);
  });

  it('refuses a breaker event time no Date can hold, naming the field', async () => {
    const { response: faultline } = await sendNasty('breakers faultline: at 2^53-1 (beyond what a Date holds)', 400);
    expect(JSON.parse(faultline.text).error.message).toMatch(/^body\.events\.0\.at: 9007199254740991 is not a valid time/);
    const { response: r4j } = await sendNasty('breakers resilience4j: creationTime 1e300', 400);
    expect(JSON.parse(r4j.text).error.message).toMatch(/^body\.circuitBreakerEvents\.0\.creationTime: is not a time/);
  });

  it('a span that once poisoned its batch is stored, and so are the valid exports written in the same transaction', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const request = (traceId: string, extra: Record<string, unknown> = {}) =>
      jsonExport(`batch ${traceId}`, [{ traceId, spanId: '0102030405060708', name: 'op', startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1000n), ...extra }]);
    const [first, formerlyPoisoned, innocent] = await sendInOneTransaction([
      request('c0ffee00c0ffee00c0ffee00c0ffee00'),
      request('c0ffee00c0ffee00c0ffee00c0ffee02', { flags: 0xffffffff }),
      request('c0ffee00c0ffee00c0ffee00c0ffee01'),
    ]);
    expect([first, formerlyPoisoned, innocent].map((a) => [a!.status, a!.text])).toEqual([
      [200, '{}'],
      [200, '{}'],
      [200, '{}'],
    ]);
    for (const traceId of ['c0ffee00c0ffee00c0ffee00c0ffee00', 'c0ffee00c0ffee00c0ffee00c0ffee01']) {
      expect(await storedSpan({ traceId, spanId: '0102030405060708', startTimeUnixNano: now }), traceId).toBeDefined();
    }
    const poisoned = await storedSpan({ traceId: 'c0ffee00c0ffee00c0ffee00c0ffee02', spanId: '0102030405060708', startTimeUnixNano: now });
    expect(poisoned!.flags >>> 0).toBe(0xffffffff);
  });
});

describe('runIngestFuzz', () => {
  it('flags every kind of wrong answer, and only those', async () => {
    const encoder = new TextEncoder();
    const rpcStatus = (code: number, message: string) => Uint8Array.from([0x08, code, 0x12, message.length, ...encoder.encode(message)]);
    const apiError = (code: string, message: string) => JSON.stringify({ error: { code, message, requestId: 'r' } });
    const PROTOBUF = { path: '/v1/traces', contentType: 'application/x-protobuf' } as const;
    const OTLP_JSON = { path: '/v1/traces', contentType: 'application/json' } as const;
    const PROBES = { path: '/v1/probes', contentType: 'application/json' } as const;
    const table: Array<[label: string, to: Pick<FuzzCase, 'path' | 'contentType'>, answer: FuzzResponse | 'hang' | 'throw']> = [
      ['ok: empty protobuf success', PROTOBUF, { status: 200, text: '', body: new Uint8Array(0) }],
      ['ok: JSON partial success', OTLP_JSON, { status: 200, text: '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"spans[0]: trace_id is all zeros"}}' }],
      ['ok: protobuf 400', PROTOBUF, { status: 400, text: '', body: rpcStatus(3, 'malformed ExportTraceServiceRequest: varint truncated') }],
      ['ok: probes 415', PROBES, { status: 415, text: apiError('unsupported_media_type', 'Content-Type must be application/json') }],
      ['ok: 503 with Retry-After', OTLP_JSON, { status: 503, text: '{"code":14,"message":"ingest queue is full: retry later"}', headers: { 'Retry-After': '1' } }],
      ['bad: 500', PROBES, { status: 500, text: apiError('internal', 'Internal error; quote request id r when reporting it') }],
      ['bad: 401', OTLP_JSON, { status: 401, text: '{"code":16,"message":"API key is unknown or revoked"}' }],
      ['bad: 503 without Retry-After', OTLP_JSON, { status: 503, text: '{"code":14,"message":"database unavailable: retry later"}', headers: {} }],
      ['bad: 200 that is not a response', OTLP_JSON, { status: 200, text: 'OK' }],
      ['bad: partial success without a reason', OTLP_JSON, { status: 200, text: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":""}}' }],
      ['bad: 400 without a message', OTLP_JSON, { status: 400, text: '{"code":3,"message":""}' }],
      ['bad: 400 with the wrong gRPC code', PROTOBUF, { status: 400, text: '', body: rpcStatus(13, 'malformed ExportTraceServiceRequest: oops') }],
      ['bad: 413 that does not say why', OTLP_JSON, { status: 413, text: '{"code":11,"message":"request refused, sorry"}' }],
      ['bad: probes 400 in the OTLP format', PROBES, { status: 400, text: '{"code":3,"message":"body.results: is required"}' }],
      ['bad: hang', OTLP_JSON, 'hang'],
      ['bad: crash', OTLP_JSON, 'throw'],
    ];
    const answers = new Map(table.map(([label, , answer]) => [label, answer]));
    const stats = await runIngestFuzz({
      cases: table.map(([label, to]) => ({ ...to, body: new Uint8Array(0), label })),
      concurrency: 4,
      caseTimeoutMs: 200,
      send: (c) => {
        const answer = answers.get(c.label)!;
        if (answer === 'hang') return new Promise<never>(() => {});
        if (answer === 'throw') return Promise.reject(new TypeError('boom'));
        return Promise.resolve(answer);
      },
    });
    expect(stats.violations.map((v) => v.label).sort()).toEqual(table.map(([label]) => label).filter((l) => l.startsWith('bad')).sort());
    expect(stats.violationCount).toBe(stats.violations.length);
    expect(stats.unavailable.count).toBe(2);
    expect(stats.cases).toBe(table.length);
  });
});

describe('after the fuzzing', () => {
  afterAll(() => resetSpanBatcher());

  it('still accepts a valid export and stores its spans', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const traceId = 'f0f0f0f0aaaabbbbccccddddeeee0001';
    const spans = ['1111111111111111', '2222222222222222', '3333333333333333'].map((spanId, i) => ({
      traceId,
      spanId,
      ...(i > 0 ? { parentSpanId: '1111111111111111' } : {}),
      name: `step ${i}`,
      kind: 2,
      startTimeUnixNano: String(now + BigInt(i)),
      endTimeUnixNano: String(now + 5_000_000n),
    }));
    const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'after-fuzz' } }] }, scopeSpans: [{ spans }] }] });
    const c: FuzzCase = { path: '/v1/traces', contentType: 'application/json', body: new TextEncoder().encode(body), label: 'valid after fuzz', expect: [200] };
    const response = await send(c);
    expect(checkIngestResponse(c, response)).toBeNull();
    expect(JSON.parse(response.text)).toEqual({});
    const { rows } = await pool().query<{ n: number }>("SELECT count(*)::int AS n FROM telemetry.spans WHERE trace_id = decode($1, 'hex')", [traceId]);
    expect(rows[0]!.n).toBe(3);
  });
});
