// Seeded fuzz cases for the three ingest endpoints (POST /v1/traces, /v1/probes, /v1/breaker-events):
// structurally valid requests drawn from fast-check arbitraries, the same requests damaged at the
// byte, text or JSON-structure level, and a fixed list of hostile payloads. Every case is plain
// data (path, headers, body), so the same corpus drives in-process route calls in tests and real
// HTTP in the chaos suite.
//
// Replay: case `i` of `ingestFuzzCases(seed, n)` is `ingestFuzzCaseAt(seed, i)`; its label names both.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand';
import {
  ProtoWriter,
  encodeTestRequest,
  seededRandom,
  writeRandomUnknownField,
  type TestAnyValue,
  type TestEvent,
  type TestKeyValue,
  type TestLink,
  type TestRequest,
  type TestSpan,
} from '@/lib/otlp/testing';

// ——— Cases ———

export const INGEST_ENDPOINTS = ['/v1/traces', '/v1/probes', '/v1/breaker-events'] as const;
export type IngestEndpoint = (typeof INGEST_ENDPOINTS)[number];
/** An endpoint, optionally with a query string (`/v1/probes?service=checkout`). */
export type IngestPath = IngestEndpoint | `${IngestEndpoint}?${string}`;

export interface FuzzCase {
  path: IngestPath;
  /** The Content-Type header; null sends none. */
  contentType: string | null;
  contentEncoding?: string;
  /**
   * A Content-Length header that need not match the body (absurd-length cases). In-process calls
   * pass it as is; an HTTP sender that cannot lie about the length may answer such a case itself.
   */
  contentLength?: string;
  body: Uint8Array;
  /** Category, index and seed (generated cases) or a description (nasty cases). */
  label: string;
  /** Statuses a correct server may answer; when absent any of 200, 400, 413 or 415 will do. */
  expect?: readonly number[];
}

export interface CorpusOptions {
  /** Wall-clock time the generated timestamps are spread around (default: now). */
  now?: number;
}

export function endpointOf(path: IngestPath): IngestEndpoint {
  const q = path.indexOf('?');
  return (q < 0 ? path : path.slice(0, q)) as IngestEndpoint;
}

export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The encoding POST /v1/traces answers in: the request's, and JSON when it had none it knows. */
export function otlpResponseEncoding(contentType: string | null): 'protobuf' | 'json' {
  const media = mediaTypeOf(contentType);
  return media === 'application/x-protobuf' || media === 'application/protobuf' ? 'protobuf' : 'json';
}

// ——— Small helpers ———

const utf8 = new TextEncoder();
const NS_PER_MS = 1_000_000n;
const DAY_MS = 86_400_000;
const DAY_NS = BigInt(DAY_MS) * NS_PER_MS;
const UINT64_MAX = 2n ** 64n - 1n;
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MAX = 0x7fffffff;
/** Largest time a JavaScript Date can hold, in epoch ms. */
const MAX_DATE_MS = 8.64e15;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** JSON as OTLP/JSON writes it: NaN and infinities as their string names. */
export function otlpJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : v,
  );
}

function jsonBody(value: unknown): Uint8Array {
  return utf8.encode(otlpJson(value));
}

/** A 32-bit seed from several numbers (murmur3's finalizer per part). */
function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = Math.imul(h ^ Math.floor(part / 2 ** 32), 0x27d4eb2f);
  }
  return h >>> 0;
}

function idFrom(label: string, bytes: number): string {
  return createHash('sha256').update(label).digest('hex').slice(0, bytes * 2).replace(/^0+$/, '1');
}

// ——— OTLP arbitraries ———

export interface OtlpArbitraryOptions {
  /** Unix nanoseconds most span times are spread around. */
  nowNs: bigint;
  /**
   * Only requests both decoders must read identically: no lone surrogates (UTF-8 cannot carry them),
   * no AnyValue with two value fields (protobuf keeps the last, JSON the first).
   */
  strict: boolean;
}

export interface GeneratedOtlpRequest {
  request: TestRequest;
  /** Spans in the request. */
  spans: number;
  /** Spans the decoders must keep (usable ids, start ≠ 0, end ≥ start); the rest are rejected. */
  validSpans: number;
}

const SPECIAL_STRINGS = ['', ' ', '__proto__', 'constructor', 'toString', '\u0000', 'a\u0000b', '\\', '"', '\t\n\r', '\u001f', 'ü✓😀', '\ufeff', '\u2028', '[too deep]'];
const LONE_SURROGATES = ['\ud800', '\udfff', 'a\ud800b', '\udc00\ud800', '😀\ud83d'];
/** Attribute keys Faultline's rollups read, so random values reach that code too. */
const SEMANTIC_KEYS = [
  'service.name',
  'service.instance.id',
  'host.name',
  'peer.service',
  'server.address',
  'db.system',
  'db.system.name',
  'db.namespace',
  'messaging.system',
  'messaging.destination.name',
  'messaging.message.publish_lag_ms',
  'http.request.resend_count',
  'error.type',
  'exception.type',
  'exception.message',
];

function textArb(strict: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 600, arbitrary: fc.string({ maxLength: 16 }) },
    { weight: 200, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: 200, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
    // Around DECODE_LIMITS.maxStringLength (16,384 code points), in one-, three- and four-byte characters.
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 16_380, max: 16_390 }), fc.constantFrom('x', '€', '😀')).map(([n, c]) => c.repeat(n)) },
    ...(strict ? [] : [{ weight: 100, arbitrary: fc.constantFrom(...LONE_SURROGATES) }]),
  );
}

function int64Arb(): fc.Arbitrary<string | number> {
  return fc
    .tuple(
      fc.oneof(
        fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n),
        fc.bigInt(-1000n, 1000n),
        fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, -(2n ** 53n), 2n ** 31n, 2n ** 32n),
      ),
      fc.boolean(),
    )
    .map(([n, asNumber]) => (asNumber && Number.isSafeInteger(Number(n)) ? Number(n) : n.toString()));
}

function scalarValueArb(strict: boolean): fc.Arbitrary<TestAnyValue> {
  const text = textArb(strict);
  return fc.oneof(
    { weight: 4, arbitrary: text.map((stringValue) => ({ stringValue })) },
    { weight: 1, arbitrary: fc.boolean().map((boolValue) => ({ boolValue })) },
    { weight: 2, arbitrary: int64Arb().map((intValue) => ({ intValue })) },
    // -0 becomes 0 in JSON, so it is left out (both decoders agree on everything else, NaN included).
    { weight: 2, arbitrary: fc.double().map((d) => ({ doubleValue: d === 0 ? 0 : d })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map((b) => ({ bytesValue: Buffer.from(b).toString('base64') })) },
    { weight: 1, arbitrary: fc.constant({}) },
    ...(strict ? [] : [{ weight: 1, arbitrary: fc.tuple(text, int64Arb()).map(([stringValue, intValue]) => ({ stringValue, intValue })) }]),
  );
}

/** Arrays and kvlists nested `depth` deep around a scalar: crosses DECODE_LIMITS.maxValueDepth (8). */
function nestedValueArb(strict: boolean): fc.Arbitrary<TestAnyValue> {
  return fc.tuple(fc.integer({ min: 6, max: 12 }), scalarValueArb(strict), fc.boolean()).map(([depth, leaf, arrayFirst]) => {
    let value = leaf;
    for (let i = 0; i < depth; i++) {
      value = (i % 2 === 0) === arrayFirst ? { arrayValue: { values: [value] } } : { kvlistValue: { values: [{ key: 'k', value }] } };
    }
    return value;
  });
}

function keyArb(strict: boolean): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: textArb(strict) }, { weight: 2, arbitrary: fc.constantFrom(...SEMANTIC_KEYS) });
}

function attributesArb(strict: boolean): fc.Arbitrary<TestKeyValue[]> {
  const scalar = scalarValueArb(strict);
  const { value } = fc.letrec<{ value: TestAnyValue; kv: TestKeyValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      { weight: 6, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }).map((values) => ({ arrayValue: { values } })) },
      { weight: 1, arbitrary: fc.array(tie('kv'), { maxLength: 4 }).map((values) => ({ kvlistValue: { values } })) },
    ),
    kv: fc.record({ key: keyArb(strict), value: fc.option(tie('value'), { nil: undefined }) }, { requiredKeys: ['key'] }),
  }));
  const kv = fc.record({ key: keyArb(strict), value: fc.oneof({ weight: 8, arbitrary: value }, { weight: 1, arbitrary: nestedValueArb(strict) }) }, { requiredKeys: ['key'] });
  return fc.oneof(
    { weight: 200, arbitrary: fc.array(kv, { maxLength: 6 }) },
    // Around DECODE_LIMITS.maxAttributes (256), with duplicate keys among them.
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: 250, max: 300 }), fc.integer({ min: 1, max: 400 })).map(([n, distinct]) =>
        Array.from({ length: n }, (_, i) => ({ key: `k${i % distinct}`, value: { intValue: String(i) } })),
      ),
    },
  );
}

/** Hex ids: mostly valid, sometimes all zeros, of the wrong length, upper case or empty (even length always). */
function idArb(bytes: number): fc.Arbitrary<string> {
  const exact = fc.uint8Array({ minLength: bytes, maxLength: bytes });
  return fc.oneof(
    { weight: 16, arbitrary: exact.map(hex) },
    { weight: 2, arbitrary: exact.map((b) => hex(b).toUpperCase()) },
    { weight: 1, arbitrary: fc.constant('0'.repeat(bytes * 2)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: bytes + 2 }).map(hex) },
  );
}

function countArb(): fc.Arbitrary<number> {
  return fc.oneof({ weight: 40, arbitrary: fc.nat(20) }, { weight: 1, arbitrary: fc.constantFrom(INT32_MAX, INT32_MAX + 1, 0xffffffff) });
}

function uint32Arb(): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(0, 1, 0x100, 0x101, 0x301) },
    { weight: 1, arbitrary: fc.bigInt(0n, 0xffffffffn).map(Number) },
  );
}

/** Start and end: mostly now-ish and ordered; sometimes 0, 2^63, 2^64-1, reversed or missing. */
function timesArb(nowNs: bigint): fc.Arbitrary<{ start?: bigint; end?: bigint }> {
  const start = fc.oneof(
    { weight: 12, arbitrary: fc.bigInt(nowNs - 6n * DAY_NS, nowNs + DAY_NS / 2n) },
    { weight: 1, arbitrary: fc.constantFrom(0n, 1n, 2n ** 63n - 1n, 2n ** 63n, UINT64_MAX, 1_544_712_660_000_000_000n) },
    { weight: 1, arbitrary: fc.bigInt(0n, UINT64_MAX) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const end = fc.oneof(
    { weight: 12, arbitrary: fc.bigInt(0n, 10_000_000_000n).map((d) => ({ after: d })) },
    { weight: 1, arbitrary: fc.bigInt(1n, 10_000_000_000n).map((d) => ({ after: -d })) },
    { weight: 1, arbitrary: fc.constantFrom(UINT64_MAX, 2n ** 63n, 2n ** 63n - 1n, 0n).map((at) => ({ at })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.tuple(start, end).map(([s, e]) => {
    if (e === undefined) return { start: s };
    let at = 'at' in e ? e.at : (s ?? 0n) + e.after;
    if (at < 0n) at = 0n;
    if (at > UINT64_MAX) at = UINT64_MAX;
    return { start: s, end: at };
  });
}

function eventArb(nowNs: bigint, strict: boolean): fc.Arbitrary<TestEvent> {
  return fc.record(
    {
      timeUnixNano: fc.oneof(fc.bigInt(nowNs - DAY_NS, nowNs + DAY_NS), fc.constantFrom(0n, UINT64_MAX)).map(String),
      name: textArb(strict),
      attributes: attributesArb(strict),
      droppedAttributesCount: countArb(),
    },
    { requiredKeys: [] },
  );
}

function linkArb(strict: boolean): fc.Arbitrary<TestLink> {
  return fc.record(
    { traceId: idArb(16), spanId: idArb(8), traceState: textArb(strict), attributes: attributesArb(strict), droppedAttributesCount: countArb(), flags: uint32Arb() },
    { requiredKeys: [] },
  );
}

function spanArb(options: OtlpArbitraryOptions): fc.Arbitrary<TestSpan> {
  const { nowNs, strict } = options;
  const text = textArb(strict);
  const enumArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 300 }) });
  const rest = fc.record(
    {
      traceId: idArb(16),
      spanId: idArb(8),
      parentSpanId: fc.oneof(idArb(8), fc.constant('')),
      traceState: text,
      flags: uint32Arb(),
      name: text,
      kind: enumArb,
      attributes: attributesArb(strict),
      droppedAttributesCount: countArb(),
      events: fc.array(eventArb(nowNs, strict), { maxLength: 3 }),
      droppedEventsCount: countArb(),
      links: fc.array(linkArb(strict), { maxLength: 3 }),
      droppedLinksCount: countArb(),
      status: fc.record({ message: text, code: enumArb }, { requiredKeys: [] }),
    },
    { requiredKeys: ['traceId', 'spanId'] },
  );
  return fc.tuple(rest, timesArb(nowNs)).map(([span, { start, end }]) => ({
    ...span,
    ...(start === undefined ? {} : { startTimeUnixNano: start.toString() }),
    ...(end === undefined ? {} : { endTimeUnixNano: end.toString() }),
  }));
}

/** Even-length hex only (the generator never makes another kind): its byte length, else -1. */
function hexBytesOf(id: string | undefined): number {
  if (id === undefined) return 0;
  return /^(?:[0-9a-fA-F]{2})*$/.test(id) ? id.length / 2 : -1;
}

const isZeroHex = (id: string | undefined) => !id || /^0*$/.test(id);

/** Whether the decoders must keep the span: the rules of row-builder.ts spanProblem, restated. */
export function isUsableSpan(span: TestSpan): boolean {
  if (hexBytesOf(span.traceId) !== 16 || isZeroHex(span.traceId)) return false;
  if (hexBytesOf(span.spanId) !== 8 || isZeroHex(span.spanId)) return false;
  const parentBytes = hexBytesOf(span.parentSpanId);
  if (parentBytes !== 0 && parentBytes !== 8) return false;
  const start = BigInt(span.startTimeUnixNano ?? '0');
  const end = BigInt(span.endTimeUnixNano ?? '0');
  // Times are stored as PostgreSQL bigint, so neither may pass 2^63-1.
  return start !== 0n && end >= start && end <= INT64_MAX;
}

export function otlpRequestArbitrary(options: OtlpArbitraryOptions): fc.Arbitrary<GeneratedOtlpRequest> {
  const { strict } = options;
  const span = spanArb(options);
  const serviceName = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('checkout', 'payments', 'api-gateway', 'inventory').map((stringValue) => ({ stringValue })) },
    { weight: 2, arbitrary: scalarValueArb(strict) },
  );
  const resource = fc.record(
    {
      attributes: fc.tuple(fc.option(serviceName, { nil: undefined }), attributesArb(strict)).map(([name, attributes]) =>
        name === undefined ? attributes : [{ key: 'service.name', value: name }, ...attributes],
      ),
      droppedAttributesCount: countArb(),
    },
    { requiredKeys: [] },
  );
  const scopeSpans = fc.record(
    {
      scope: fc.record({ name: textArb(strict), version: textArb(strict) }, { requiredKeys: [] }),
      spans: fc.array(span, { maxLength: 6 }),
    },
    { requiredKeys: [] },
  );
  const resourceSpans = fc.record({ resource, scopeSpans: fc.array(scopeSpans, { maxLength: 3 }) }, { requiredKeys: [] });
  return fc
    .tuple(fc.array(resourceSpans, { maxLength: 3 }), fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }))
    .map(([list, duplicate]) => {
      const request: TestRequest = { resourceSpans: list };
      const all = list.flatMap((rs) => (rs.scopeSpans ?? []).map((ss) => (ss.spans ??= [])));
      const spans = all.flat();
      // The same span (same trace and span id) twice in one request: the storage must keep one.
      if (duplicate && spans.length > 0) {
        const copy = spans[duplicate[0] % spans.length]!;
        all[duplicate[1] % all.length]!.push({ ...copy });
      }
      const flat = all.flat();
      return { request, spans: flat.length, validSpans: flat.filter(isUsableSpan).length };
    });
}

/** Random unknown fields for encodeTestRequest's `noise` (a newer sender's fields must be skipped). */
export function unknownFieldNoise(seed: number): (w: ProtoWriter) => void {
  const random = seededRandom(seed);
  return (w) => {
    if (random() < 0.7) return;
    writeRandomUnknownField(w, random, 3000, 40);
  };
}

// ——— Mutations ———

const BYTE_EDITS = ['flip', 'set', 'truncate', 'insert', 'delete', 'varint', 'wire-type', 'length', 'duplicate', 'tag'] as const;
interface ByteEdit {
  kind: (typeof BYTE_EDITS)[number];
  at: number;
  n: number;
  bytes: Uint8Array;
}

export const byteEditArb: fc.Arbitrary<ByteEdit> = fc.record({
  kind: fc.constantFrom(...BYTE_EDITS),
  at: fc.nat(),
  n: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
});

const BAD_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 2^64-1
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // 11 bytes
  [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32-1
  [0x80, 0x00], // zero, overlong
  [0x80], // truncated
];

/** Damages protobuf bytes: bit flips, cuts, inserted varints, tags with other wire types, lying lengths. */
export function applyByteEdits(input: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  const bytes = Array.from(input);
  for (const e of edits) {
    const at = bytes.length === 0 ? 0 : e.at % bytes.length;
    switch (e.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << e.n % 8);
        break;
      case 'set':
        if (bytes.length > 0) bytes[at] = e.bytes[0]!;
        break;
      case 'truncate':
        bytes.length = e.at % (bytes.length + 1);
        break;
      case 'insert':
        bytes.splice(at, 0, ...e.bytes);
        break;
      case 'delete':
        bytes.splice(at, 1 + (e.n % 16));
        break;
      case 'varint':
        bytes.splice(at, e.n % 3, ...BAD_VARINTS[e.n % BAD_VARINTS.length]!);
        break;
      case 'wire-type':
        // Whatever byte is there, read as a tag: keep its field number, give it another wire type.
        if (bytes.length > 0) bytes[at] = (bytes[at]! & ~7) | e.n % 8;
        break;
      case 'length': {
        // The byte after a length-delimited tag is (usually) its length: make it lie.
        const tagAt = bytes.findIndex((b, i) => i >= at && (b & 7) === 2);
        if (tagAt >= 0 && tagAt + 1 < bytes.length) {
          const lie = e.n % 3 === 0 ? [0xff, 0xff, 0xff, 0xff, 0x0f] : e.n % 3 === 1 ? [Math.min(127, bytes[tagAt + 1]! + 1 + (e.n % 7))] : [0x80, 0x80, 0x80, 0x80, 0x10];
          bytes.splice(tagAt + 1, 1, ...lie);
        }
        break;
      }
      case 'duplicate': {
        const from = e.n % (bytes.length + 1);
        bytes.splice(at, 0, ...bytes.slice(from, from + 1 + (e.bytes[0]! % 64)));
        break;
      }
      case 'tag':
        // A field the schema does not have, or a known one, with any wire type and random payload.
        bytes.splice(at, 0, ((e.n % 20) << 3) | e.bytes[0]! % 8, ...e.bytes.subarray(1));
        break;
    }
  }
  return Uint8Array.from(bytes);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WEIRD_JSON: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e300,
  -1e300,
  2 ** 53 + 2,
  2 ** 64,
  '',
  ' ',
  'abc',
  '12',
  '-5',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '18446744073709551615',
  '18446744073709551616',
  '-9223372036854775809',
  '١٢',
  '\u0000',
  '\ud800',
  [],
  {},
  [1, 'a'],
  { a: 1 },
  { stringValue: 'x' },
  [{}],
];
const EXTRA_KEYS = [
  'unknownField', 'trace_id', 'traceId', 'span_id', 'start_time_unix_nano', 'value', 'values', 'stringValue', 'intValue', 'kvlistValue',
  'attributes', '__proto__', 'constructor', '',
];
const JSON_EDITS = ['replace', 'delete', 'add', 'retype', 'hex', 'snake', 'wrap', 'duplicate'] as const;
interface JsonEdit {
  kind: (typeof JSON_EDITS)[number];
  at: number;
  pick: number;
  value: Json;
}

export const jsonEditArb: fc.Arbitrary<JsonEdit> = fc.record({
  kind: fc.constantFrom(...JSON_EDITS),
  at: fc.nat(),
  pick: fc.nat(),
  value: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...WEIRD_JSON) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
});

interface JsonSlot {
  parent: Json[] | { [key: string]: Json } | null;
  key: string | number;
  value: Json;
}

function jsonSlots(root: Json): JsonSlot[] {
  const slots: JsonSlot[] = [{ parent: null, key: '', value: root }];
  for (let i = 0; i < slots.length && slots.length < 4000; i++) {
    const v = slots[i]!.value;
    if (Array.isArray(v)) v.forEach((item, k) => slots.push({ parent: v, key: k, value: item }));
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) slots.push({ parent: v, key: k, value: v[k]! });
  }
  return slots;
}

function setOwnJson(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function brokenHex(s: string, pick: number): string {
  switch (pick % 7) {
    case 0:
      return s.slice(0, -1);
    case 1:
      return `${s}a`;
    case 2:
      return s.length > 0 ? `${s.slice(0, -1)}g` : 'g';
    case 3:
      return `0x${s}`;
    case 4:
      return ` ${s}`;
    case 5:
      return s.padEnd(64, 'f');
    default:
      return s.toUpperCase().replace(/A/g, 'Z');
  }
}

/**
 * Structural damage to a JSON document: wrong types, missing and extra fields, broken ids, other
 * spellings. Values are cloned as they go in: fast-check may hand one object to two edits, and
 * inserting it twice (or into itself) would make a shared or circular tree.
 */
export function applyJsonEdits(input: Json, edits: readonly JsonEdit[]): Json {
  let root = structuredClone(input);
  for (const e of edits) {
    const slots = jsonSlots(root);
    const slot = slots[e.at % slots.length]!;
    const set = (value: Json) => {
      if (slot.parent === null) root = value;
      else if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
      else setOwnJson(slot.parent, slot.key as string, value);
    };
    switch (e.kind) {
      case 'replace':
        set(structuredClone(e.value));
        break;
      case 'delete':
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else if (slot.parent) delete slot.parent[slot.key as string];
        break;
      case 'add': {
        const object = slots.slice(e.at % slots.length).concat(slots).find((s) => s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value));
        if (object) setOwnJson(object.value as { [key: string]: Json }, EXTRA_KEYS[e.pick % EXTRA_KEYS.length]!, structuredClone(e.value));
        break;
      }
      case 'retype': {
        const v = slot.value;
        if (typeof v === 'number') set(String(v));
        else if (typeof v === 'string') set(/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v.length);
        else if (typeof v === 'boolean') set(String(v));
        else if (v === null) set('null');
        else if (Array.isArray(v)) set(v[0] ?? {});
        else set([v]);
        break;
      }
      case 'hex':
        if (typeof slot.value === 'string') set(brokenHex(slot.value, e.pick));
        break;
      case 'snake':
        if (slot.parent && !Array.isArray(slot.parent) && typeof slot.key === 'string') {
          const snake = slot.key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
          delete slot.parent[slot.key];
          setOwnJson(slot.parent, snake, slot.value);
        }
        break;
      case 'wrap':
        set([slot.value]);
        break;
      case 'duplicate':
        if (Array.isArray(slot.parent)) slot.parent.push(structuredClone(slot.value));
        break;
    }
  }
  return root;
}

const TEXT_PIECES = [
  '{', '}', '[', ']', '"', ':', ',', '0', '-', '.', 'e', '+', '\\', '\\u', '\\ud800', '\\udfff', '\\u0000', 'null', 'true', '1e999', '-0', 'NaN',
  '\u2028', '\ufeff', '\ud800', '𝄞', '9'.repeat(25), ' ', '\n', 'ü',
];
const TEXT_EDITS = ['replace', 'delete', 'insert', 'truncate', 'duplicate'] as const;
interface TextEdit {
  kind: (typeof TEXT_EDITS)[number];
  at: number;
  n: number;
  piece: string;
}

export const textEditArb: fc.Arbitrary<TextEdit> = fc.record({ kind: fc.constantFrom(...TEXT_EDITS), at: fc.nat(), n: fc.nat(64), piece: fc.constantFrom(...TEXT_PIECES) });

/** Character-level damage to JSON text. */
export function applyTextEdits(input: string, edits: readonly TextEdit[]): string {
  let text = input;
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    switch (e.kind) {
      case 'replace':
        text = text.slice(0, at) + e.piece + text.slice(at + 1);
        break;
      case 'delete':
        text = text.slice(0, at) + text.slice(at + 1 + (e.n % 8));
        break;
      case 'insert':
        text = text.slice(0, at) + e.piece + text.slice(at);
        break;
      case 'truncate':
        text = text.slice(0, at);
        break;
      case 'duplicate':
        text = text.slice(0, at) + text.slice(at, at + e.n) + text.slice(at);
        break;
    }
  }
  return text;
}

const NOT_OTLP_JSON = [
  '', ' ', 'null', 'true', '[]', '{}', '"x"', '1', '1e400', '{"resourceSpans":null}', '{"resourceSpans":{}}', '{"resourceSpans":[null]}',
  '{"resourceSpans":[[]]}', '\ufeff{}', '{"a":1}{"b":2}', '{"__proto__":{"resourceSpans":1}}',
];

/** Text that is not an OTLP/JSON request at all (or is not JSON, or is not text). */
function notJsonArb(): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.constantFrom(...NOT_OTLP_JSON).map((s) => utf8.encode(s)),
    fc.string({ unit: 'binary', maxLength: 64 }).map((s) => utf8.encode(s)),
    fc.uint8Array({ maxLength: 128 }),
    // UTF-16 (with its BOM) is not UTF-8 JSON.
    fc.constant(Uint8Array.from(Buffer.from('\ufeff{"resourceSpans":[]}', 'utf16le'))),
  );
}

/** JSON bodies, usually UTF-8, sometimes with a BOM or raw non-UTF-8 bytes spliced into a string. */
function encodeText(text: string, variant: number): Uint8Array {
  const bytes = utf8.encode(text);
  switch (variant % 12) {
    case 0:
      return concat([Uint8Array.from([0xef, 0xbb, 0xbf]), bytes]);
    case 1: {
      const quote = text.indexOf('"', text.length >> 1);
      if (quote < 0) return bytes;
      const at = utf8.encode(text.slice(0, quote + 1)).length;
      return concat([bytes.subarray(0, at), Uint8Array.from([0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]), bytes.subarray(at)]);
    }
    default:
      return bytes;
  }
}

// ——— Probe and breaker payload arbitraries ———

interface Clock {
  nowMs: number;
  nowNs: bigint;
}

function entityNameArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('checkout', 'payments', 'api-gateway', 'db', 'redis', 'Inventory Service', 'svc.eu-1') },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', 'x'.repeat(257), 'a\u0000b', '\ud800', 'ü✓😀', '__proto__') },
  );
}

function freeTextArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_STRINGS, ...LONE_SURROGATES, 'x'.repeat(4001)) },
  );
}

/** ISO text, epoch ms, or nonsense; mostly inside the retained window. */
function eventTimeArb(clock: Clock): fc.Arbitrary<Json> {
  const offset = fc.integer({ min: -6 * DAY_MS, max: DAY_MS / 2 });
  return fc.oneof(
    { weight: 6, arbitrary: offset.map((o) => new Date(clock.nowMs + o).toISOString()) },
    { weight: 3, arbitrary: offset.map((o) => clock.nowMs + o) },
    { weight: 1, arbitrary: offset.map((o) => new Date(clock.nowMs + o).toISOString().replace('Z', '+02:00')) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Json>(
        -1, 0, 1.5, MAX_DATE_MS, MAX_DATE_MS + 1, 1e300,
        'yesterday', '2026-13-45T00:00:00Z', '0000-01-01T00:00:00Z', '1700000000000', '', '2026-11-23T10:00:00',
      ),
    },
  );
}

function maybeEdited(base: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc
    .tuple(base, fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(jsonEditArb, { minLength: 1, maxLength: 3 }) }))
    .map(([value, edits]) => (edits.length === 0 ? value : applyJsonEdits(value, edits)));
}

const PROBE_KINDS = ['liveness', 'readiness', 'dependency', 'synthetic'];
const PROBE_STATUSES = ['pass', 'warn', 'fail'];
const BREAKER_STATES = ['closed', 'open', 'half_open', 'forced_open', 'disabled'];

function probeBatchArb(clock: Clock): fc.Arbitrary<Json> {
  const result = fc.record(
    {
      service: entityNameArb(),
      target: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('/health', 'db', 'GET /ready') }, { weight: 1, arbitrary: freeTextArb() }),
      kind: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PROBE_KINDS) }, { weight: 1, arbitrary: freeTextArb() }),
      status: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PROBE_STATUSES) }, { weight: 1, arbitrary: fc.constantFrom('ok', 'PASS', 'up', '') }),
      latencyMs: fc.oneof({ weight: 8, arbitrary: fc.double({ min: 0, max: 10_000, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0, 86_400_000, 86_400_001, 1e308) }),
      checkedAt: eventTimeArb(clock),
      message: freeTextArb(),
      dependency: entityNameArb(),
    },
    { requiredKeys: ['service', 'target', 'kind', 'status', 'latencyMs', 'checkedAt'] },
  );
  return maybeEdited(fc.array(result, { minLength: 1, maxLength: 5 }).map((results) => ({ results }) as Json));
}

function healthStatusArb(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom('pass', 'warn', 'fail', 'ok', 'UP', 'down', 'error') }, { weight: 1, arbitrary: freeTextArb() });
}

function healthDocumentArb(clock: Clock): fc.Arbitrary<Json> {
  const check = fc.record(
    {
      componentId: freeTextArb(),
      componentType: fc.oneof(fc.constantFrom('system', 'datastore', 'component'), freeTextArb()),
      observedValue: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
      observedUnit: fc.oneof(fc.constantFrom('ms', 'percent', ''), freeTextArb()),
      status: healthStatusArb(),
      time: eventTimeArb(clock),
      output: freeTextArb(),
    },
    { requiredKeys: [] },
  );
  const doc = fc.record(
    {
      status: healthStatusArb(),
      version: freeTextArb(),
      output: freeTextArb(),
      description: freeTextArb(),
      checks: fc.dictionary(fc.oneof(fc.constantFrom('db', 'postgres:connections', 'redis:ping', 'uptime'), freeTextArb()), fc.array(check, { maxLength: 3 }), { maxKeys: 4 }),
    },
    { requiredKeys: ['status'] },
  );
  return maybeEdited(doc as fc.Arbitrary<Json>);
}

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD's, where encodeURIComponent would throw). */
function percentEncode(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'), (b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
}

function queryArb(keys: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    { weight: 6, arbitrary: entityNameArb().map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(300), '%ff', '%', '%zz', '%00', '%E2%82') },
  );
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 2 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));
}

function faultlineBreakerArb(clock: Clock): fc.Arbitrary<Json> {
  const state = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...BREAKER_STATES) }, { weight: 1, arbitrary: fc.constantFrom('OPEN', 'half-open', '', 'broken') });
  const percent = fc.oneof({ weight: 8, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 101, 1e308) });
  const event = fc.record(
    {
      service: entityNameArb(),
      instance: freeTextArb(),
      breaker: entityNameArb(),
      dependency: entityNameArb(),
      from: state,
      to: state,
      at: eventTimeArb(clock),
      failureRate: percent,
      slowCallRate: percent,
      reason: freeTextArb(),
    },
    { requiredKeys: ['breaker', 'to', 'at'] },
  );
  const batch = fc.record(
    { service: entityNameArb(), instance: freeTextArb(), dependency: entityNameArb(), events: fc.array(event, { maxLength: 5 }) },
    { requiredKeys: ['events'] },
  );
  return maybeEdited(batch as fc.Arbitrary<Json>);
}

function resilience4jBreakerArb(clock: Clock): fc.Arbitrary<Json> {
  const offset = fc.integer({ min: -6 * DAY_MS, max: DAY_MS / 2 });
  const creationTime = fc.oneof(
    { weight: 3, arbitrary: offset.map((o) => new Date(clock.nowMs + o).toISOString()) },
    { weight: 2, arbitrary: offset.map((o) => `${new Date(clock.nowMs + o).toISOString().replace('Z', '+01:00')}[Europe/Berlin]`) },
    { weight: 2, arbitrary: offset.map((o) => (clock.nowMs + o) / 1000) },
    { weight: 1, arbitrary: offset.map((o) => clock.nowMs + o) },
    { weight: 1, arbitrary: fc.constantFrom<Json>(-1, 0, 1e11, 1e300, 'garbage', '[UTC]', '', true) },
  );
  const transition = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('CLOSED_TO_OPEN', 'OPEN_TO_HALF_OPEN', 'HALF_OPEN_TO_CLOSED', 'CLOSED_TO_FORCED_OPEN', 'METRICS_ONLY_TO_CLOSED', 'closed_to_open') },
    { weight: 1, arbitrary: fc.constantFrom('OPEN_TO_OPEN', 'FOO_TO_BAR', 'CLOSED_TO_OPEN_TO_CLOSED', '_TO_', '', 'CLOSED') },
  );
  const event = fc.record(
    {
      circuitBreakerName: entityNameArb(),
      type: fc.oneof(
        { weight: 6, arbitrary: fc.constant('STATE_TRANSITION') },
        { weight: 2, arbitrary: fc.constantFrom('SUCCESS', 'ERROR', 'NOT_PERMITTED', 'RESET', 'state_transition', '  ', '') },
      ),
      creationTime,
      stateTransition: transition,
      errorMessage: fc.option(freeTextArb(), { nil: null }),
      durationInMs: fc.option(fc.nat(), { nil: null }),
      service: entityNameArb(),
      dependency: entityNameArb(),
    },
    { requiredKeys: ['circuitBreakerName', 'type', 'creationTime'] },
  );
  const batch = fc.record({ service: entityNameArb(), circuitBreakerEvents: fc.array(event, { maxLength: 5 }) }, { requiredKeys: ['circuitBreakerEvents'] });
  return maybeEdited(batch as fc.Arbitrary<Json>);
}

// ——— Generated cases ———

type Drawn = Omit<FuzzCase, 'label'> & { category: string };

const PROTOBUF_TYPES = ['application/x-protobuf', 'application/protobuf', 'application/x-protobuf; charset=binary', 'APPLICATION/X-PROTOBUF'];
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON'];
const WRONG_TYPES = [
  null, '', 'text/plain', 'application/grpc', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonl',
  'application/health+json', 'application/octet-stream', 'application/x-protobuf-json',
];

/** Headers around a body: gzip (valid or not), unsupported encodings, wrong types, absurd lengths. */
function envelopeArb(endpoint: IngestEndpoint, body: fc.Arbitrary<{ body: Uint8Array; contentType: string }>): fc.Arbitrary<Drawn> {
  const path = endpoint;
  return fc.tuple(body, fc.nat(), fc.constantFrom(...WRONG_TYPES)).map(([b, n, wrongType]): Drawn => {
    const gz = () => new Uint8Array(gzipSync(b.body));
    const base = { path, contentType: b.contentType };
    switch (n % 10) {
      case 0:
        return { ...base, category: `${endpoint} gzip`, contentEncoding: ['gzip', 'GZIP', ' gzip '][n % 3]!, body: gz() };
      case 1: {
        const z = gz();
        return { ...base, category: `${endpoint} truncated gzip`, contentEncoding: 'gzip', body: z.subarray(0, n % z.length), expect: endpoint === '/v1/traces' ? [400] : undefined };
      }
      case 2:
        return { ...base, category: `${endpoint} gzip header on a plain body`, contentEncoding: 'gzip', body: b.body, expect: endpoint === '/v1/traces' ? [400] : undefined };
      case 3: {
        const z = gz();
        z[z.length - 5] = z[z.length - 5]! ^ 0xff; // CRC mismatch
        return { ...base, category: `${endpoint} gzip with a bad CRC`, contentEncoding: 'gzip', body: z, expect: endpoint === '/v1/traces' ? [400] : undefined };
      }
      case 4:
        return {
          ...base,
          category: `${endpoint} unsupported Content-Encoding`,
          contentEncoding: ['br', 'deflate', 'x-gzip', 'gzip, identity', 'compress', 'zstd'][n % 6]!,
          body: b.body,
          expect: endpoint === '/v1/traces' ? [415] : undefined,
        };
      case 5:
      case 6:
        // The JSON routes take any application/…+json type; probes then want ?service= for health+json.
        const refused = endpoint === '/v1/traces' || wrongType !== 'application/health+json';
        return { ...base, category: `${endpoint} wrong Content-Type`, contentType: wrongType, body: b.body, expect: refused ? [415] : undefined };
      case 7:
        return { ...base, category: `${endpoint} absurd Content-Length`, contentLength: ['99999999999999999999', '1e400', '18446744073709551616'][n % 3]!, body: b.body, expect: [413] };
      case 8:
        return { ...base, category: `${endpoint} meaningless Content-Length`, contentLength: ['-1', 'abc', '0', ' 12 ', '0x10'][n % 5]!, body: b.body };
      default:
        return { ...base, category: `${endpoint} identity encoding`, contentEncoding: 'identity', body: b.body };
    }
  });
}

function caseArbitrary(clock: Clock): fc.Arbitrary<Drawn> {
  const otlp = otlpRequestArbitrary({ nowNs: clock.nowNs, strict: false });
  const traces = '/v1/traces' as const;
  const protobuf = fc.tuple(otlp, fc.constantFrom(...PROTOBUF_TYPES), fc.option(fc.integer(), { nil: undefined })).map(([g, contentType, noise]) => ({
    body: encodeTestRequest(g.request, noise === undefined ? undefined : unknownFieldNoise(noise)),
    contentType,
  }));
  const jsonText = otlp.map((g) => otlpJson(g.request));
  const json = fc.tuple(jsonText, fc.constantFrom(...JSON_TYPES)).map(([text, contentType]) => ({ body: utf8.encode(text), contentType }));

  const probeBatch = fc.tuple(probeBatchArb(clock), fc.constantFrom(...JSON_TYPES)).map(([doc, contentType]) => ({ doc, contentType }));
  const health = fc.tuple(healthDocumentArb(clock), queryArb(['service', 'target'])).map(([doc, query]) => ({ doc, query }));
  const faultline = fc.tuple(faultlineBreakerArb(clock), queryArb(['service', 'instance']));
  const r4j = fc.tuple(resilience4jBreakerArb(clock), queryArb(['service', 'instance']));

  const weighted = (weight: number, arbitrary: fc.Arbitrary<Drawn>) => ({ weight, arbitrary });
  return fc.oneof(
    // POST /v1/traces, protobuf
    weighted(10, protobuf.map((b) => ({ category: 'otlp-protobuf', path: traces, ...b }))),
    weighted(
      16,
      fc.tuple(protobuf, fc.array(byteEditArb, { minLength: 1, maxLength: 5 })).map(([b, edits]) => ({
        category: 'otlp-protobuf mutated',
        path: traces,
        contentType: b.contentType,
        body: applyByteEdits(b.body, edits),
      })),
    ),
    weighted(2, fc.uint8Array({ maxLength: 256 }).map((body) => ({ category: 'otlp-protobuf random bytes', path: traces, contentType: 'application/x-protobuf', body }))),
    // POST /v1/traces, JSON
    weighted(7, json.map((b) => ({ category: 'otlp-json', path: traces, ...b }))),
    weighted(
      12,
      fc.tuple(jsonText, fc.array(jsonEditArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(...JSON_TYPES)).map(([text, edits, contentType]) => ({
        category: 'otlp-json wrong types',
        path: traces,
        contentType,
        body: utf8.encode(otlpJson(applyJsonEdits(JSON.parse(text) as Json, edits))),
      })),
    ),
    weighted(
      8,
      fc.tuple(jsonText, fc.array(textEditArb, { minLength: 1, maxLength: 4 }), fc.nat()).map(([text, edits, variant]) => ({
        category: 'otlp-json text mutated',
        path: traces,
        contentType: 'application/json',
        body: encodeText(applyTextEdits(text, edits), variant),
      })),
    ),
    weighted(3, notJsonArb().map((body) => ({ category: 'otlp-json not JSON', path: traces, contentType: 'application/json', body }))),
    weighted(5, envelopeArb(traces, fc.oneof(protobuf, json))),
    // POST /v1/probes
    weighted(8, probeBatch.map(({ doc, contentType }) => ({ category: 'probes batch', path: '/v1/probes' as const, contentType, body: jsonBody(doc) }))),
    weighted(
      5,
      health.map(({ doc, query }) => ({ category: 'probes health+json', path: `/v1/probes${query}` as IngestPath, contentType: 'application/health+json', body: jsonBody(doc) })),
    ),
    weighted(
      3,
      fc.tuple(probeBatch, fc.array(textEditArb, { minLength: 1, maxLength: 3 })).map(([{ doc }, edits]) => ({
        category: 'probes text mutated',
        path: '/v1/probes' as const,
        contentType: 'application/json',
        body: utf8.encode(applyTextEdits(otlpJson(doc), edits)),
      })),
    ),
    weighted(2, envelopeArb('/v1/probes', probeBatch.map(({ doc }) => ({ body: jsonBody(doc), contentType: 'application/json' })))),
    // POST /v1/breaker-events
    weighted(
      6,
      faultline.map(([doc, query]) => ({ category: 'breakers faultline', path: `/v1/breaker-events${query}` as IngestPath, contentType: 'application/json', body: jsonBody(doc) })),
    ),
    weighted(6, r4j.map(([doc, query]) => ({ category: 'breakers resilience4j', path: `/v1/breaker-events${query}` as IngestPath, contentType: 'application/json', body: jsonBody(doc) }))),
    weighted(
      3,
      fc.tuple(fc.oneof(faultline, r4j), fc.array(textEditArb, { minLength: 1, maxLength: 3 })).map(([[doc], edits]) => ({
        category: 'breakers text mutated',
        path: '/v1/breaker-events' as const,
        contentType: 'application/json',
        body: utf8.encode(applyTextEdits(otlpJson(doc), edits)),
      })),
    ),
    weighted(2, envelopeArb('/v1/breaker-events', faultline.map(([doc]) => ({ body: jsonBody(doc), contentType: 'application/json' })))),
  );
}

function caseSource(options: CorpusOptions): fc.Arbitrary<Drawn> {
  const nowMs = options.now ?? Date.now();
  return caseArbitrary({ nowMs, nowNs: BigInt(Math.floor(nowMs)) * NS_PER_MS });
}

function drawCase(arbitrary: fc.Arbitrary<Drawn>, seed: number, index: number): FuzzCase {
  // The trailing 0 keeps the draws (and so the labels) of runs recorded before, which mixed in a retry count.
  const random = new fc.Random(xoroshiro128plus(mixSeed(seed, index, 0)) as unknown as fc.RandomGenerator);
  const biasFactor = 2 + (mixSeed(seed, index, 0, 1) % 40);
  const { category, ...drawn } = arbitrary.generate(random, biasFactor).value;
  return { ...drawn, label: `${category} #${index} (seed ${seed})` };
}

/**
 * `count` cases drawn from `seed`, one at a time (never all in memory): valid and damaged OTLP
 * protobuf and JSON, probe pushes (batch and health+json), breaker events (both shapes), and
 * header abuse around them.
 */
export function* ingestFuzzCases(seed: number, count: number, options: CorpusOptions = {}): Generator<FuzzCase> {
  const source = caseSource(options);
  for (let i = 0; i < count; i++) yield drawCase(source, seed, i);
}

/** Case `index` of ingestFuzzCases(seed, …) on its own, to replay a failure from its label. */
export function ingestFuzzCaseAt(seed: number, index: number, options: CorpusOptions = {}): FuzzCase {
  return drawCase(caseSource(options), seed, index);
}

// ——— Nasty cases ———

export interface NastyIngestCase {
  label: string;
  /** Builds the case (bodies up to 16 MB: only one at a time should be alive). */
  build: (clock: Clock) => FuzzCase;
}

const SERVICE = 'fuzz-nasty';

/** One ResourceSpans{resource, ScopeSpans{scope, Span}}; `span` adds fields after the defaults (the last of a field wins). */
function protobufSpanRequest(label: string, nowNs: bigint, span: (w: ProtoWriter) => void, resource?: (w: ProtoWriter) => void): Uint8Array {
  return new ProtoWriter()
    .messageField(1, (rs) =>
      rs
        .messageField(1, (r) => {
          r.messageField(1, (kv) => kv.stringField(1, 'service.name').messageField(2, (v) => v.stringField(1, SERVICE)));
          resource?.(r);
        })
        .messageField(2, (ss) =>
          ss
            .messageField(1, (scope) => scope.stringField(1, 'fuzz').stringField(2, '1.0'))
            .messageField(2, (s) => {
              s.bytesField(1, Buffer.from(idFrom(label, 16), 'hex'))
                .bytesField(2, Buffer.from(idFrom(`${label}/span`, 8), 'hex'))
                .stringField(5, 'nasty')
                .tag(6, 0)
                .varint(2)
                .tag(7, 1)
                .fixed64(nowNs)
                .tag(8, 1)
                .fixed64(nowNs + 1_000_000n);
              span(s);
            }),
        ),
    )
    .finish();
}

/** The JSON twin of protobufSpanRequest; `rawAttributes` is spliced in as the span's attributes array. */
function jsonSpanRequest(label: string, nowNs: bigint, span: Record<string, unknown> = {}, rawAttributes?: string): string {
  const fields = {
    traceId: idFrom(label, 16),
    spanId: idFrom(`${label}/span`, 8),
    name: 'nasty',
    kind: 2,
    startTimeUnixNano: String(nowNs),
    endTimeUnixNano: String(nowNs + 1_000_000n),
    ...span,
    ...(rawAttributes === undefined ? {} : { attributes: '@@RAW@@' }),
  };
  const spanJson = otlpJson(fields).replace('"@@RAW@@"', rawAttributes ?? '');
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${SERVICE}"}}]},"scopeSpans":[{"scope":{"name":"fuzz"},"spans":[${spanJson}]}]}]}`;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** An AnyValue nesting `levels` kvlists (or arrays) around a string, written outside-in in O(levels). */
function deepProtobufValue(levels: number, kind: 'kvlist' | 'array'): Uint8Array {
  const leaf = new ProtoWriter().stringField(1, 'leaf').finish();
  const lengths = [leaf.length];
  const wrap = (inner: number) => {
    if (kind === 'array') return 1 + varintSize(inner) + inner; // ArrayValue{values: AnyValue}
    const keyValue = 3 + 1 + varintSize(inner) + inner; // KeyValue{key "k", value AnyValue}
    return 1 + varintSize(keyValue) + keyValue; // KeyValueList{values: KeyValue}
  };
  for (let i = 1; i <= levels; i++) {
    const container = wrap(lengths[i - 1]!);
    lengths.push(1 + varintSize(container) + container);
  }
  const w = new ProtoWriter();
  for (let i = levels; i >= 1; i--) {
    const inner = lengths[i - 1]!;
    const container = wrap(inner);
    if (kind === 'array') w.tag(5, 2).varint(container).tag(1, 2).varint(inner);
    else w.tag(6, 2).varint(container).tag(1, 2).varint(3 + 1 + varintSize(inner) + inner).stringField(1, 'k').tag(2, 2).varint(inner);
  }
  return w.raw(leaf).finish();
}

function deepJsonValue(levels: number, kind: 'kvlist' | 'array'): string {
  const open = kind === 'array' ? '{"arrayValue":{"values":[' : '{"kvlistValue":{"values":[{"key":"k","value":';
  const close = kind === 'array' ? ']}}' : '}]}}';
  return `${open.repeat(levels)}{"stringValue":"leaf"}${close.repeat(levels)}`;
}

const INVALID_UTF8 = Uint8Array.from([0x6f, 0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xe2, 0x82]);

let gzipBombCache: Uint8Array | undefined;
/** 73 KB of gzip (70 concatenated members of 1 MiB of zeros) that inflates to 70 MiB, past the 64 MiB default limit. */
export function gzipBomb(): Uint8Array {
  if (!gzipBombCache) {
    const member = gzipSync(Buffer.alloc(1 << 20));
    gzipBombCache = concat(Array.from({ length: 70 }, () => member));
  }
  return gzipBombCache;
}

const TEN_MB = 10 * 1024 * 1024;
const DEEP = 10_000;
const PROTO = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const HEALTH_JSON = 'application/health+json';

const deepArrayText = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

function traces(contentType: string, body: Uint8Array | string, extra: Partial<FuzzCase> = {}): Omit<FuzzCase, 'label'> {
  return { path: '/v1/traces', contentType, body: typeof body === 'string' ? utf8.encode(body) : body, ...extra };
}

function json(path: IngestPath, body: unknown, extra: Partial<FuzzCase> = {}): Omit<FuzzCase, 'label'> {
  return { path, contentType: JSON_TYPE, body: typeof body === 'string' ? utf8.encode(body) : jsonBody(body), ...extra };
}

/** A health+json push for service fuzz-probe (or `path`'s). */
function health(body: string | object, expect: number[], path: IngestPath = '/v1/probes?service=fuzz-probe'): Omit<FuzzCase, 'label'> {
  return { path, contentType: HEALTH_JSON, body: typeof body === 'string' ? utf8.encode(body) : jsonBody(body), expect };
}

/** `text` with raw (not JSON-escaped) invalid UTF-8 bytes where `@@BAD@@` stood. */
function withInvalidUtf8(text: string): Uint8Array {
  const [before, after] = text.split('@@BAD@@') as [string, string];
  return concat([utf8.encode(before), INVALID_UTF8, utf8.encode(after)]);
}

/** A KeyValue message (field `field` of a span, resource, event or link) whose AnyValue `value` writes. */
function protobufAttribute(w: ProtoWriter, field: number, key: string | Uint8Array, value: (v: ProtoWriter) => void): ProtoWriter {
  return w.messageField(field, (kv) => (typeof key === 'string' ? kv.stringField(1, key) : kv.bytesField(1, key)).messageField(2, value));
}

/** The span of jsonSpanRequest as an object, to build other request shapes around it. */
function jsonSpan(label: string, nowNs: bigint, over: Record<string, unknown> = {}): Record<string, unknown> {
  return (JSON.parse(jsonSpanRequest(label, nowNs, over)) as { resourceSpans: [{ scopeSpans: [{ spans: [Record<string, unknown>] }] }] }).resourceSpans[0].scopeSpans[0].spans[0];
}

function probe(clock: Clock, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { service: 'fuzz-probe', target: '/health', kind: 'readiness', status: 'pass', latencyMs: 12, checkedAt: new Date(clock.nowMs).toISOString(), ...over };
}

function breakerEvent(clock: Clock, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { service: 'fuzz-breaker', breaker: 'db', dependency: 'postgres', to: 'open', at: new Date(clock.nowMs).toISOString(), ...over };
}

function r4jEvent(clock: Clock, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { circuitBreakerName: 'backendA', type: 'STATE_TRANSITION', creationTime: new Date(clock.nowMs).toISOString(), stateTransition: 'CLOSED_TO_OPEN', ...over };
}

/** A JSON object with `extra` spliced in raw as one more member (for values too deep to build as objects). */
function withRawMember(value: object, extra: string): string {
  return `${otlpJson(value).slice(0, -1)},${extra}}`;
}

type NastySpec = [label: string, build: (clock: Clock, label: string) => Omit<FuzzCase, 'label'>];

const NASTY_SPECS: NastySpec[] = [
  // ——— /v1/traces: depth ———
  ...(['kvlist', 'array'] as const).flatMap((kind): NastySpec[] => [
    [
      `traces protobuf: attribute value of 10,000 nested ${kind}s`,
      (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.messageField(9, (kv) => kv.stringField(1, 'deep').bytesField(2, deepProtobufValue(DEEP, kind)))), { expect: [200] }),
    ],
    [
      `traces JSON: attribute value of 10,000 nested ${kind}s`,
      (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, {}, `[{"key":"deep","value":${deepJsonValue(DEEP, kind)}}]`), { expect: [200] }),
    ],
  ]),
  ['traces JSON: the request is a 1,000,000-deep array', () => traces(JSON_TYPE, deepArrayText(1_000_000), { expect: [400] })],
  [
    'traces JSON: a stringValue that is a 100,000-deep array',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, {}, `[{"key":"deep","value":{"stringValue":${deepArrayText(100_000)}}}]`), { expect: [400] }),
  ],
  [
    'traces protobuf: 100,000 nested messages as an unknown field',
    (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.bytesField(99, deepProtobufValue(100_000, 'array'))), { expect: [200] }),
  ],
  // ——— /v1/traces: size ———
  [
    'traces protobuf: 10 MB attribute value and 5 MB span name',
    (c, l) =>
      traces(
        PROTO,
        protobufSpanRequest(l, c.nowNs, (s) => protobufAttribute(s.stringField(5, 'n'.repeat(TEN_MB / 2)), 9, 'big', (v) => v.stringField(1, 'x'.repeat(TEN_MB)))),
        { expect: [200] },
      ),
  ],
  [
    'traces JSON: 10 MB attribute value',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { attributes: [{ key: 'big', value: { stringValue: '€'.repeat(TEN_MB / 3) } }] }), { expect: [200] }),
  ],
  [
    'traces protobuf: 100,000 attributes on one span',
    (c, l) =>
      traces(
        PROTO,
        protobufSpanRequest(l, c.nowNs, (s) => {
          for (let i = 0; i < 100_000; i++) protobufAttribute(s, 9, `k${i}`, (v) => v.tag(3, 0).varint(i));
        }),
        { expect: [200] },
      ),
  ],
  [
    'traces JSON: 100,000 attributes on one span',
    (c, l) => {
      const attributes = Array.from({ length: 100_000 }, (_, i) => `{"key":"k${i}","value":{"intValue":"${i}"}}`);
      return traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, {}, `[${attributes.join(',')}]`), { expect: [200] });
    },
  ],
  [
    'traces protobuf: 100,000 events and 100,000 links on one span',
    (c, l) => {
      const link = new ProtoWriter().bytesField(1, Buffer.from(idFrom(l, 16), 'hex')).bytesField(2, Buffer.from('0102030405060708', 'hex')).finish();
      const event = new ProtoWriter().tag(1, 1).fixed64(c.nowNs).stringField(2, 'e').finish();
      const request = protobufSpanRequest(l, c.nowNs, (s) => {
        for (let i = 0; i < 100_000; i++) s.bytesField(11, event).bytesField(13, link);
      });
      return traces(PROTO, request, { expect: [200] });
    },
  ],
  ['traces protobuf: 100,000 empty ResourceSpans', () => traces(PROTO, new Uint8Array(200_000).map((_, i) => (i % 2 === 0 ? 0x0a : 0x00)), { expect: [200] })],
  ['traces protobuf: body one byte over the 16 MiB limit', () => traces(PROTO, new Uint8Array(16 * 1024 * 1024 + 1), { expect: [413] })],
  // ——— /v1/traces: text ———
  [
    'traces protobuf: invalid UTF-8 in every string',
    (c, l) => {
      const span = (s: ProtoWriter) => {
        s.bytesField(5, INVALID_UTF8).bytesField(3, INVALID_UTF8);
        protobufAttribute(s, 9, INVALID_UTF8, (v) => v.bytesField(1, INVALID_UTF8));
        s.messageField(11, (e) => e.tag(1, 1).fixed64(c.nowNs).bytesField(2, INVALID_UTF8));
        s.messageField(15, (st) => st.bytesField(2, INVALID_UTF8).tag(3, 0).varint(2));
      };
      const resource = (r: ProtoWriter) => protobufAttribute(r, 1, 'service.name', (v) => v.bytesField(1, INVALID_UTF8));
      return traces(PROTO, protobufSpanRequest(l, c.nowNs, span, resource), { expect: [200] });
    },
  ],
  [
    'traces JSON: lone surrogates (escaped) in every string',
    (c, l) => {
      const span = jsonSpan(l, c.nowNs, {
        name: 'n\ud800',
        traceState: '\udfff=1',
        attributes: [
          { key: 'k\ud800', value: { arrayValue: { values: [{ stringValue: '\udfff' }, { kvlistValue: { values: [{ key: '\ud800', value: { stringValue: '\ud800' } }] } }] } } },
        ],
        events: [{ timeUnixNano: String(c.nowNs), name: '\udc00', attributes: [{ key: '\ud800', value: { bytesValue: '\ud800' } }] }],
        links: [{ traceId: idFrom(`${l}/link`, 16), spanId: '0102030405060708', traceState: '\ud800' }],
        status: { code: 2, message: '\ud800' },
      });
      const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'svc\ud800' } }, { key: '\udfff', value: { stringValue: '\udc00\ud800' } }] };
      // JSON.stringify writes lone surrogates as \ud800-style escapes.
      return traces(JSON_TYPE, otlpJson({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: '\ud83d', version: '\ude00' }, spans: [span] }] }] }), { expect: [200] });
    },
  ],
  ['traces JSON: lone surrogate in a trace id', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { traceId: `${idFrom(l, 15)}\ud800` }), { expect: [200] })],
  ['traces JSON: raw invalid UTF-8 bytes inside JSON strings', (c, l) => traces(JSON_TYPE, withInvalidUtf8(jsonSpanRequest(l, c.nowNs, { name: '@@BAD@@' })), { expect: [200] })],
  [
    'traces JSON: NUL in names, keys and values',
    (c, l) => {
      const span = { name: 'a\u0000b', attributes: [{ key: '\u0000', value: { stringValue: '\u0000' } }], status: { message: '\u0000' } };
      return traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, span), { expect: [200] });
    },
  ],
  [
    'traces protobuf: NUL in names, keys and values',
    (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => protobufAttribute(s.stringField(5, 'a\u0000b'), 9, '\u0000', (v) => v.stringField(1, '\u0000'))), { expect: [200] }),
  ],
  // ——— /v1/traces: timestamps ———
  ['traces JSON: negative start time', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { startTimeUnixNano: '-1' }), { expect: [400] })],
  ['traces JSON: negative start time as a number', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { startTimeUnixNano: -1 }), { expect: [400] })],
  ['traces JSON: start time 2^64 (one past uint64)', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { startTimeUnixNano: String(2n ** 64n) }), { expect: [400] })],
  ['traces JSON: start time 1e300 as a number', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { startTimeUnixNano: 1e300 }), { expect: [400] })],
  ['traces JSON: zero start and end', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { startTimeUnixNano: '0', endTimeUnixNano: '0' }), { expect: [200] })],
  ['traces protobuf: zero start and end', (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.tag(7, 1).fixed64(0n).tag(8, 1).fixed64(0n)), { expect: [200] })],
  [
    'traces protobuf: start and end 2^64-1',
    (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.tag(7, 1).fixed64(UINT64_MAX).tag(8, 1).fixed64(UINT64_MAX)), { expect: [200] }),
  ],
  [
    'traces JSON: start and end 2^64-1',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { startTimeUnixNano: String(UINT64_MAX), endTimeUnixNano: String(UINT64_MAX) }), { expect: [200] }),
  ],
  ['traces protobuf: end before start', (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.tag(8, 1).fixed64(c.nowNs - 1n)), { expect: [200] })],
  ['traces JSON: end before start', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { endTimeUnixNano: String(c.nowNs - 1n) }), { expect: [200] })],
  [
    'traces JSON: end 2^63-1 (the largest that fits)',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { endTimeUnixNano: String(2n ** 63n - 1n) }), { expect: [200] }),
  ],
  [
    'traces protobuf: end 2^64-1 after a start inside retention',
    (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.tag(8, 1).fixed64(UINT64_MAX)), { expect: [200] }),
  ],
  [
    'traces JSON: end 2^64-1 after a start inside retention',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { endTimeUnixNano: String(UINT64_MAX) }), { expect: [200] }),
  ],
  ['traces JSON: end 2^63 (one past what fits)', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { endTimeUnixNano: String(2n ** 63n) }), { expect: [200] })],
  // ——— /v1/traces: integers PostgreSQL stores narrower than OTLP sends them ———
  ['traces protobuf: span flags 0x80000000', (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.tag(16, 5).fixed32(0x80000000)), { expect: [200] })],
  ['traces JSON: span flags 4294967295', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { flags: 0xffffffff }), { expect: [200] })],
  [
    'traces JSON: dropped_attributes_count 4294967295',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { droppedAttributesCount: 0xffffffff }), { expect: [200] }),
  ],
  ['traces protobuf: dropped_events_count 2^31', (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => s.tag(12, 0).varint(2 ** 31)), { expect: [200] })],
  [
    'traces JSON: CLIENT span with http.request.resend_count 3000000000',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { kind: 3, attributes: [{ key: 'http.request.resend_count', value: { intValue: '3000000000' } }] }), { expect: [200] }),
  ],
  [
    'traces JSON: CLIENT span with http.request.resend_count "1e12"',
    (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, { kind: 3, attributes: [{ key: 'http.request.resend_count', value: { stringValue: '1e12' } }] }), { expect: [200] }),
  ],
  [
    'traces protobuf: CLIENT span with http.request.resend_count 1e300 as a double',
    (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, (s) => protobufAttribute(s.tag(6, 0).varint(3), 9, 'http.request.resend_count', (v) => v.tag(4, 1).double(1e300))), { expect: [200] }),
  ],
  [
    'traces JSON: span flags, dropped counts and resend_count just under 2^31',
    (c, l) => {
      const attributes = [{ key: 'http.request.resend_count', value: { intValue: String(INT32_MAX) } }];
      const span = { kind: 3, flags: INT32_MAX, droppedAttributesCount: INT32_MAX, droppedLinksCount: INT32_MAX, attributes };
      return traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs, span), { expect: [200] });
    },
  ],
  // ——— /v1/traces: text PostgreSQL cannot hold, or holds as the same text ———
  [
    'traces JSON: service.name "svc\\u0000"',
    (c, l) => {
      const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'svc\u0000' } }] };
      return traces(JSON_TYPE, otlpJson({ resourceSpans: [{ resource, scopeSpans: [{ spans: [jsonSpan(l, c.nowNs)] }] }] }), { expect: [200] });
    },
  ],
  [
    'traces protobuf: service.name "\\u0000"',
    (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, () => {}, (r) => protobufAttribute(r, 1, 'service.name', (v) => v.stringField(1, '\u0000'))), { expect: [200] }),
  ],
  [
    'traces JSON: span names "\\ud800" and "\\udfff" in one request',
    (c, l) => {
      const spans = ['\ud800', '\udfff'].map((name, n) => jsonSpan(l, c.nowNs, { spanId: `${n + 1}`.repeat(16), name, kind: 1 }));
      return traces(JSON_TYPE, otlpJson({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), { expect: [200] });
    },
  ],
  [
    'traces JSON: SERVER spans of services "\\ud800x" and "\\udfffx" in one request',
    (c, l) => {
      const resourceSpans = ['\ud800x', '\udfffx'].map((service, n) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ spans: [jsonSpan(l, c.nowNs, { spanId: `${n + 1}`.repeat(16), name: `op${n}`, kind: 2 })] }],
      }));
      return traces(JSON_TYPE, otlpJson({ resourceSpans }), { expect: [200] });
    },
  ],
  [
    'traces JSON: SERVER spans of services "a\\u0000" and "a\\ufffd" in one request',
    (c, l) => {
      const resourceSpans = ['a\u0000', 'a\ufffd'].map((service, n) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ spans: [jsonSpan(l, c.nowNs, { spanId: `${n + 1}`.repeat(16), name: 'op', kind: 2 })] }],
      }));
      return traces(JSON_TYPE, otlpJson({ resourceSpans }), { expect: [200] });
    },
  ],
  [
    'traces JSON: CLIENT spans calling peer.service "\\ud800" and "\\udbff" in one request',
    (c, l) => {
      const spans = ['\ud800', '\udbff'].map((peer, n) =>
        jsonSpan(l, c.nowNs, { spanId: `${n + 1}`.repeat(16), name: 'call', kind: 3, attributes: [{ key: 'peer.service', value: { stringValue: peer } }] }),
      );
      return traces(JSON_TYPE, otlpJson({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), { expect: [200] });
    },
  ],
  // ——— /v1/traces: duplicates ———
  [
    'traces JSON: the same span three times in one request, and once more under another service',
    (c, l) => {
      const span = jsonSpan(l, c.nowNs);
      const other = { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'other' } }] }, scopeSpans: [{ spans: [span] }] };
      return traces(JSON_TYPE, otlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [span, span, span] }] }, other] }), { expect: [200] });
    },
  ],
  [
    'traces protobuf: the same trace and span id with different start times',
    (c, l) => {
      const one = protobufSpanRequest(l, c.nowNs, () => {});
      const two = protobufSpanRequest(l, c.nowNs, (s) => s.tag(7, 1).fixed64(c.nowNs - 2n * DAY_NS));
      return traces(PROTO, concat([one, two, one]), { expect: [200] });
    },
  ],
  // ——— /v1/traces: wire format ———
  ['traces protobuf: length prefix of 2^32-1', () => traces(PROTO, Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]), { expect: [400] })],
  ['traces protobuf: length prefix over 4 GiB', () => traces(PROTO, Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), { expect: [400] })],
  ['traces protobuf: 11-byte varint', () => traces(PROTO, Uint8Array.from([0x08, ...new Array<number>(10).fill(0x80), 0x00]), { expect: [400] })],
  ['traces protobuf: group wire types', () => traces(PROTO, Uint8Array.from([0x0b, 0x0c]), { expect: [400] })],
  ['traces protobuf: field number 0', () => traces(PROTO, Uint8Array.from([0x00, 0x00]), { expect: [400] })],
  ['traces protobuf: a JSON body sent as protobuf', (c, l) => traces(PROTO, jsonSpanRequest(l, c.nowNs), { expect: [400] })],
  ['traces JSON: a protobuf body sent as JSON', (c, l) => traces(JSON_TYPE, protobufSpanRequest(l, c.nowNs, () => {}), { expect: [400] })],
  // ——— /v1/traces: empty bodies, encodings, headers ———
  ['traces protobuf: empty body', () => traces(PROTO, new Uint8Array(0), { expect: [200] })],
  ['traces JSON: empty body', () => traces(JSON_TYPE, new Uint8Array(0), { expect: [400] })],
  ['traces JSON: whitespace body', () => traces(JSON_TYPE, ' \n\t ', { expect: [400] })],
  ['traces protobuf: gzip bomb (73 KB inflating to 70 MiB)', () => traces(PROTO, gzipBomb(), { contentEncoding: 'gzip', expect: [413] })],
  ['traces JSON: gzip bomb (73 KB inflating to 70 MiB)', () => traces(JSON_TYPE, gzipBomb(), { contentEncoding: 'gzip', expect: [413] })],
  ['traces protobuf: gzip of random bytes', () => traces(PROTO, Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) % 256), { contentEncoding: 'gzip', expect: [400] })],
  ['traces protobuf: gzip header only', () => traces(PROTO, Uint8Array.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]), { contentEncoding: 'gzip', expect: [400] })],
  ['traces protobuf: empty body with Content-Encoding gzip', () => traces(PROTO, new Uint8Array(0), { contentEncoding: 'gzip', expect: [400] })],
  [
    'traces protobuf: gzip inside gzip, declared once',
    (c, l) => traces(PROTO, gzipSync(gzipSync(protobufSpanRequest(l, c.nowNs, () => {}))), { contentEncoding: 'gzip', expect: [400] }),
  ],
  [
    'traces protobuf: valid gzip followed by garbage',
    (c, l) => traces(PROTO, concat([gzipSync(protobufSpanRequest(l, c.nowNs, () => {})), utf8.encode('garbage')]), { contentEncoding: 'gzip', expect: [200, 400] }),
  ],
  ['traces JSON: Content-Encoding br', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs), { contentEncoding: 'br', expect: [415] })],
  ['traces: no Content-Type', (c, l) => ({ ...traces(PROTO, protobufSpanRequest(l, c.nowNs, () => {})), contentType: null, expect: [415] })],
  ['traces: Content-Type text/plain', (c, l) => traces('text/plain', jsonSpanRequest(l, c.nowNs), { expect: [415] })],
  ['traces: Content-Type application/grpc', (c, l) => traces('application/grpc', protobufSpanRequest(l, c.nowNs, () => {}), { expect: [415] })],
  [
    'traces: Content-Length 99999999999999999999',
    (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, () => {}), { contentLength: '99999999999999999999', expect: [413] }),
  ],
  ['traces: Content-Length 1e400', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs), { contentLength: '1e400', expect: [413] })],
  ['traces: Content-Length -1', (c, l) => traces(JSON_TYPE, jsonSpanRequest(l, c.nowNs), { contentLength: '-1', expect: [200] })],
  ['traces: Content-Length abc', (c, l) => traces(PROTO, protobufSpanRequest(l, c.nowNs, () => {}), { contentLength: 'abc', expect: [200] })],

  // ——— /v1/probes ———
  ['probes: message of 10,000 nested arrays', (c) => json('/v1/probes', `{"results":[${withRawMember(probe(c), `"message":${deepArrayText(DEEP)}`)}]}`, { expect: [400] })],
  [
    'probes: unknown field of 10,000 nested objects',
    (c) => json('/v1/probes', withRawMember({ results: [probe(c)] }, `"extra":${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`), { expect: [400] }),
  ],
  ['probes: the body is a 1,000,000-deep array', () => json('/v1/probes', deepArrayText(1_000_000), { expect: [400] })],
  ['probes health+json: unknown check field of 10,000 nested arrays', () => health(`{"status":"pass","checks":{"db":[{"status":"pass","x":${deepArrayText(DEEP)}}]}}`, [200])],
  [
    'probes health+json: observedValue of 10,000 nested arrays',
    () => health(`{"status":"pass","checks":{"db":[{"observedValue":${deepArrayText(DEEP)}}]}}`, [200]),
  ],
  ['probes health+json: status "__proto__"', () => health('{"status":"__proto__"}', [400])],
  ['probes health+json: check status " Constructor "', () => health('{"status":"pass","checks":{"db":[{"status":" Constructor "}]}}', [400])],
  ['probes: 10 MB message', (c) => json('/v1/probes', { results: [probe(c, { message: 'x'.repeat(TEN_MB) })] }, { expect: [413] })],
  ['probes: 4.9 MB message', (c) => json('/v1/probes', { results: [probe(c, { message: 'x'.repeat(4_900_000) })] }, { expect: [400] })],
  ['probes: 100,000 results', () => json('/v1/probes', `{"results":[${new Array(100_000).fill('{}').join(',')}]}`, { expect: [400] })],
  [
    'probes health+json: 20,000 checks',
    () => {
      const checks = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`c${i}`, [{ status: 'pass' }]]));
      return health({ status: 'warn', checks }, [200], '/v1/probes?service=fuzz-probe-many');
    },
  ],
  [
    'probes: raw invalid UTF-8 bytes in strings',
    (c) => ({ ...json('/v1/probes', ''), body: withInvalidUtf8(otlpJson({ results: [probe(c, { message: '@@BAD@@', target: 'utf8' })] })), expect: [200] }),
  ],
  [
    'probes: lone surrogates in service, target, message and dependency',
    (c) => json('/v1/probes', { results: [probe(c, { service: 'svc\ud800', target: '\udfff', message: '\ud800\ud800', dependency: '\udc00', kind: 'dependency' })] }, { expect: [200] }),
  ],
  ['probes: NUL in service', (c) => json('/v1/probes', { results: [probe(c, { service: 'a\u0000b' })] }, { expect: [400] })],
  ['probes: NUL in target and message', (c) => json('/v1/probes', { results: [probe(c, { target: 'a\u0000b', message: '\u0000' })] }, { expect: [200] })],
  ['probes: checkedAt -1', (c) => json('/v1/probes', { results: [probe(c, { checkedAt: -1 })] }, { expect: [400] })],
  ['probes: checkedAt 0', (c) => json('/v1/probes', { results: [probe(c, { checkedAt: 0 })] }, { expect: [400] })],
  ['probes: checkedAt beyond what a Date holds', (c) => json('/v1/probes', { results: [probe(c, { checkedAt: MAX_DATE_MS + 1 })] }, { expect: [400] })],
  ['probes: checkedAt 2^64-1', (c) => json('/v1/probes', `{"results":[${withRawMember(probe(c), '"checkedAt":18446744073709551615')}]}`, { expect: [400] })],
  ['probes: checkedAt year 0', (c) => json('/v1/probes', { results: [probe(c, { checkedAt: '0000-01-01T00:00:00Z' })] }, { expect: [400] })],
  ['probes: latencyMs -1 and 1e308', (c) => json('/v1/probes', { results: [probe(c, { latencyMs: -1 }), probe(c, { latencyMs: 1e308 })] }, { expect: [400] })],
  ['probes: the same result twice', (c) => json('/v1/probes', { results: [probe(c, { target: 'dupe' }), probe(c, { target: 'dupe' })] }, { expect: [200] })],
  ['probes: empty body', () => json('/v1/probes', '', { expect: [400] })],
  ['probes: a JSON array of null, [], "x" and 1e400', () => json('/v1/probes', '[null,[],"x",1e400]', { expect: [400] })],
  ['probes: __proto__ key', (c) => json('/v1/probes', withRawMember({ results: [probe(c)] }, '"__proto__":{"results":[]}'), { expect: [200, 400] })],
  [
    'probes health+json: __proto__ and constructor as check names',
    () => health('{"status":"pass","checks":{"__proto__":[{"status":"fail"}],"constructor":[{"status":"warn"}]}}', [200, 400]),
  ],
  ['probes health+json: no ?service=', () => health('{"status":"pass"}', [400], '/v1/probes')],
  ['probes: gzip body with Content-Encoding gzip', (c) => ({ ...json('/v1/probes', ''), body: gzipSync(otlpJson({ results: [probe(c)] })), contentEncoding: 'gzip', expect: [400] })],
  ['probes: gzip bomb', () => ({ ...json('/v1/probes', ''), body: gzipBomb(), contentEncoding: 'gzip', expect: [400] })],
  ['probes: Content-Type text/plain', (c) => ({ ...json('/v1/probes', { results: [probe(c)] }), contentType: 'text/plain', expect: [415] })],
  ['probes: no Content-Type', (c) => ({ ...json('/v1/probes', { results: [probe(c)] }), contentType: null, expect: [415] })],
  ['probes: Content-Type application/problem+json', (c) => ({ ...json('/v1/probes', { results: [probe(c)] }), contentType: 'application/problem+json', expect: [415] })],
  ['probes: Content-Length 99999999999999999999', (c) => json('/v1/probes', { results: [probe(c)] }, { contentLength: '99999999999999999999', expect: [413] })],
  ['probes: Content-Length abc', (c) => json('/v1/probes', { results: [probe(c, { target: 'cl-abc' })] }, { contentLength: 'abc', expect: [200] })],

  // ——— /v1/breaker-events ———
  [
    'breakers resilience4j: extra field of 10,000 nested arrays',
    (c) => json('/v1/breaker-events?service=fuzz-breaker', `{"circuitBreakerEvents":[${withRawMember(r4jEvent(c), `"extra":${deepArrayText(DEEP)}`)}]}`, { expect: [200] }),
  ],
  [
    'breakers faultline: reason of 10,000 nested arrays',
    (c) => json('/v1/breaker-events', `{"events":[${withRawMember(breakerEvent(c), `"reason":${deepArrayText(DEEP)}`)}]}`, { expect: [400] }),
  ],
  ['breakers: the body is a 1,000,000-deep array', () => json('/v1/breaker-events', deepArrayText(1_000_000), { expect: [400] })],
  ['breakers: 10 MB reason', (c) => json('/v1/breaker-events', { events: [breakerEvent(c, { reason: 'x'.repeat(TEN_MB) })] }, { expect: [413] })],
  ['breakers: 100,000 events', () => json('/v1/breaker-events', `{"events":[${new Array(100_000).fill('{}').join(',')}]}`, { expect: [400] })],
  [
    'breakers: lone surrogates in breaker, service, instance and reason',
    (c) => {
      const event = breakerEvent(c, { service: 's\ud800', breaker: '\udfff', instance: '\ud800', reason: '\udc00\ud800', dependency: '\ud83d' });
      return json('/v1/breaker-events', { events: [event] }, { expect: [200] });
    },
  ],
  ['breakers: NUL in breaker', (c) => json('/v1/breaker-events', { events: [breakerEvent(c, { breaker: 'a\u0000b' })] }, { expect: [400] })],
  ['breakers: NUL in instance and reason', (c) => json('/v1/breaker-events', { events: [breakerEvent(c, { instance: 'a\u0000b', reason: '\u0000' })] }, { expect: [200] })],
  [
    'breakers: raw invalid UTF-8 bytes in strings',
    (c) => ({ ...json('/v1/breaker-events', ''), body: withInvalidUtf8(otlpJson({ events: [breakerEvent(c, { reason: '@@BAD@@', breaker: 'utf8' })] })), expect: [200] }),
  ],
  ['breakers faultline: at -1', (c) => json('/v1/breaker-events', { events: [breakerEvent(c, { at: -1 })] }, { expect: [400] })],
  ['breakers faultline: at 0', (c) => json('/v1/breaker-events', { events: [breakerEvent(c, { at: 0 })] }, { expect: [400] })],
  ['breakers faultline: at 1.5', (c) => json('/v1/breaker-events', { events: [breakerEvent(c, { at: 1.5 })] }, { expect: [400] })],
  [
    'breakers faultline: at 2^53-1 (beyond what a Date holds)',
    (c) => json('/v1/breaker-events', { events: [breakerEvent(c, { at: Number.MAX_SAFE_INTEGER })] }, { expect: [400] }),
  ],
  [
    'breakers resilience4j: creationTime 1e300',
    (c) => json('/v1/breaker-events?service=fuzz-breaker', { circuitBreakerEvents: [r4jEvent(c, { creationTime: 1e300 })] }, { expect: [400] }),
  ],
  ['breakers resilience4j: creationTime -1', (c) => json('/v1/breaker-events?service=fuzz-breaker', { circuitBreakerEvents: [r4jEvent(c, { creationTime: -1 })] }, { expect: [400] })],
  [
    'breakers resilience4j: creationTime with a zone suffix, and in epoch seconds',
    (c) => {
      const zoned = `${new Date(c.nowMs).toISOString().replace('Z', '+01:00')}[Europe/Berlin]`;
      const circuitBreakerEvents = [r4jEvent(c, { creationTime: zoned }), r4jEvent(c, { creationTime: c.nowMs / 1000 - 1, circuitBreakerName: 'b2' })];
      return json('/v1/breaker-events?service=fuzz-breaker', { circuitBreakerEvents }, { expect: [200] });
    },
  ],
  [
    'breakers resilience4j: CLOSED_TO_OPEN_TO_HALF_OPEN',
    (c) => json('/v1/breaker-events?service=fuzz-breaker', { circuitBreakerEvents: [r4jEvent(c, { stateTransition: 'CLOSED_TO_OPEN_TO_HALF_OPEN' })] }, { expect: [400] }),
  ],
  [
    'breakers: both shapes in one batch, twice over',
    (c) => {
      const events = [breakerEvent(c, { breaker: 'both' })];
      const circuitBreakerEvents = [r4jEvent(c, { circuitBreakerName: 'both-r4j' }), r4jEvent(c, { type: 'SUCCESS' })];
      return json('/v1/breaker-events?service=fuzz-breaker', { events: [...events, ...events], circuitBreakerEvents: [...circuitBreakerEvents, ...circuitBreakerEvents] }, { expect: [200] });
    },
  ],
  ['breakers: empty body', () => json('/v1/breaker-events', '', { expect: [400] })],
  ['breakers: ?service= with NUL', (c) => json('/v1/breaker-events?service=%00', { circuitBreakerEvents: [r4jEvent(c)] }, { expect: [400] })],
  ['breakers: ?instance= of 300 characters', (c) => json(`/v1/breaker-events?instance=${'x'.repeat(300)}`, { events: [breakerEvent(c)] }, { expect: [400] })],
  [
    'breakers: gzip body with Content-Encoding gzip',
    (c) => ({ ...json('/v1/breaker-events', ''), body: gzipSync(otlpJson({ events: [breakerEvent(c)] })), contentEncoding: 'gzip', expect: [400] }),
  ],
  ['breakers: Content-Type text/plain', (c) => ({ ...json('/v1/breaker-events', { events: [breakerEvent(c)] }), contentType: 'text/plain', expect: [415] })],
  [
    'breakers: Content-Length 99999999999999999999',
    (c) => json('/v1/breaker-events', { events: [breakerEvent(c)] }, { contentLength: '99999999999999999999', expect: [413] }),
  ],
];

/** Hostile payloads for each endpoint, built on demand (some bodies are 10–16 MB). */
export const NASTY_INGEST_CASES: readonly NastyIngestCase[] = NASTY_SPECS.map(([label, build]) => ({
  label,
  build: (clock) => ({ ...build(clock, label), label }),
}));

function clockAt(now = Date.now()): Clock {
  return { nowMs: now, nowNs: BigInt(Math.floor(now)) * NS_PER_MS };
}

/** The nasty cases, built one at a time as they are consumed. */
export function* nastyIngestCases(options: { now?: number } = {}): Generator<FuzzCase> {
  for (const nasty of NASTY_INGEST_CASES) yield nasty.build(clockAt(options.now));
}

/** The nasty case with this label, built on its own (to check one answer in detail). */
export function nastyIngestCase(label: string, options: { now?: number } = {}): FuzzCase {
  const nasty = NASTY_INGEST_CASES.find((n) => n.label === label);
  if (!nasty) throw new Error(`no nasty case is labelled ${JSON.stringify(label)}`);
  return nasty.build(clockAt(options.now));
}
