// Property tests of the OTLP decoders on their own (no route, no database): whatever the bytes,
// decodeTracesProtobuf and decodeTracesJson return well-formed rows or throw OtlpDecodeError,
// quickly; and generated requests decode to exactly the spans they should, identically from
// protobuf and JSON. Fixed seeds: a failure prints its seed and shrunk counterexample to replay.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson } from '@/lib/otlp/decode-json';
import { decodeTracesProtobuf } from '@/lib/otlp/decode-protobuf';
import { DECODE_LIMITS, OtlpDecodeError, type AttributeValue, type DecodedTraces } from '@/lib/otlp/span-row';
import { encodeTestRequest } from '@/lib/otlp/testing';
import {
  applyByteEdits,
  applyJsonEdits,
  applyTextEdits,
  byteEditArb,
  jsonEditArb,
  otlpJson,
  otlpRequestArbitrary,
  textEditArb,
  unknownFieldNoise,
} from './ingest-corpus';

const SEED = 20_261_126;
/** The decoders never read the clock, so a fixed "now" keeps every run identical. */
const NOW_NS = 1_764_000_000_000_000_000n;
/** Far above what any input here should take; a decoder stuck in a loop fails instead of stalling the suite. */
const MAX_DECODE_MS = 1_000;

/**
 * A failing property is shrunk, and shrinking big requests can take minutes: stop after a minute and
 * report the smallest counterexample found so far rather than stall the suite.
 */
const LIMITS = { interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true };
const TIMEOUT_MS = 120_000;

const strict = otlpRequestArbitrary({ nowNs: NOW_NS, strict: true });
const loose = otlpRequestArbitrary({ nowNs: NOW_NS, strict: false });

/** The decoder's result or its OtlpDecodeError; any other throw, or a slow decode, fails the property. */
function decodeOrRefuse(decode: () => DecodedTraces): DecodedTraces | OtlpDecodeError {
  const started = performance.now();
  let result: DecodedTraces | OtlpDecodeError;
  try {
    result = decode();
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw new Error(`threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} instead of OtlpDecodeError`, { cause: err });
    if (err.message === '') throw new Error('OtlpDecodeError without a message');
    result = err;
  }
  const ms = performance.now() - started;
  if (ms > MAX_DECODE_MS) throw new Error(`decoding took ${Math.round(ms)} ms`);
  return result;
}

const codePoints = (s: string) => Array.from(s).length;

/** Text as storage keeps it (cleanText): what every decoded string must already be. */
const isStoredText = (s: string) => s.isWellFormed() && !s.includes('\0');

/** The first string in an attribute value (keys included) that storage would change, or null. */
function unstoredText(value: AttributeValue): string | null {
  if (typeof value === 'string') return isStoredText(value) ? null : value;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (!Array.isArray(value) && !isStoredText(key)) return key;
    const found = unstoredText(item);
    if (found !== null) return found;
  }
  return null;
}

/** Depth of nested containers in an attribute value (the value itself counting as 1 if it is one). */
function containerDepth(value: AttributeValue): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce((max: number, child) => Math.max(max, containerDepth(child)), 0);
}

function attributesProblem(attributes: Record<string, AttributeValue>, where: string): string | null {
  if (Object.getPrototypeOf(attributes) !== Object.prototype) return `${where}: attributes have another prototype`;
  const keys = Object.keys(attributes);
  if (keys.length > DECODE_LIMITS.maxAttributes) return `${where}: ${keys.length} attributes kept`;
  for (const key of keys) {
    if (codePoints(key) > DECODE_LIMITS.maxStringLength) return `${where}: attribute key longer than maxStringLength`;
    const value = attributes[key]!;
    if (containerDepth(value) > DECODE_LIMITS.maxValueDepth) return `${where}.${key}: nested deeper than maxValueDepth`;
    if (typeof value === 'string' && codePoints(value) > DECODE_LIMITS.maxStringLength) return `${where}.${key}: string longer than maxStringLength`;
    if (typeof value === 'number' && !Number.isFinite(value)) return `${where}.${key}: non-finite number ${value}`;
  }
  const unstored = unstoredText(attributes);
  return unstored === null ? null : `${where}: ${JSON.stringify(unstored)} is not text as storage keeps it`;
}

/** Null when every row is one storage can take: the invariants SpanRow promises. */
function rowsProblem(decoded: DecodedTraces): string | null {
  if (!Number.isInteger(decoded.rejectedSpans) || decoded.rejectedSpans < 0) return `rejectedSpans ${decoded.rejectedSpans}`;
  if (decoded.rejectionReasons.length > 11) return `${decoded.rejectionReasons.length} rejection reasons`;
  if (decoded.rejectedSpans > 0 && decoded.rejectionReasons.length === 0) return 'spans rejected without a reason';
  for (const [i, row] of decoded.spans.entries()) {
    const where = `spans[${i}]`;
    if (!/^[0-9a-f]{32}$/.test(row.traceId) || /^0+$/.test(row.traceId)) return `${where}: trace id ${row.traceId}`;
    if (!/^[0-9a-f]{16}$/.test(row.spanId) || /^0+$/.test(row.spanId)) return `${where}: span id ${row.spanId}`;
    if (row.parentSpanId !== null && (!/^[0-9a-f]{16}$/.test(row.parentSpanId) || /^0+$/.test(row.parentSpanId))) return `${where}: parent ${row.parentSpanId}`;
    const { startTimeUnixNano: start, endTimeUnixNano: end } = row;
    if (start <= 0n || end < start || end >= 2n ** 63n) return `${where}: times ${start}..${end}`;
    if (!Number.isInteger(row.kind) || row.kind < 0 || row.kind > 5) return `${where}: kind ${row.kind}`;
    if (!Number.isInteger(row.statusCode) || row.statusCode < 0 || row.statusCode > 2) return `${where}: status ${row.statusCode}`;
    if (!Number.isInteger(row.flags) || row.flags < 0 || row.flags > 0xffffffff) return `${where}: flags ${row.flags}`;
    if (codePoints(row.name) > DECODE_LIMITS.maxStringLength) return `${where}: name longer than maxStringLength`;
    if (row.events.length > DECODE_LIMITS.maxEvents || row.links.length > DECODE_LIMITS.maxLinks) return `${where}: ${row.events.length} events, ${row.links.length} links`;
    for (const count of [row.droppedAttributesCount, row.droppedEventsCount, row.droppedLinksCount]) {
      if (!Number.isInteger(count) || count < 0) return `${where}: dropped count ${count}`;
    }
    for (const link of row.links) {
      if (!/^[0-9a-f]{32}$/.test(link.traceId) || !/^[0-9a-f]{16}$/.test(link.spanId)) return `${where}: link ids ${link.traceId}/${link.spanId}`;
    }
    const problem =
      attributesProblem(row.attributes, where) ??
      attributesProblem(row.resource.attributes, `${where}.resource`) ??
      row.events.reduce<string | null>((p, e, k) => p ?? attributesProblem(e.attributes, `${where}.events[${k}]`), null) ??
      row.links.reduce<string | null>((p, l, k) => p ?? attributesProblem(l.attributes, `${where}.links[${k}]`), null);
    if (problem) return problem;
    if (typeof row.resource.serviceName !== 'string' || row.resource.serviceName === '') return `${where}: service name ${row.resource.serviceName}`;
    const texts = [row.name, row.traceState, row.statusMessage, row.scopeName, row.scopeVersion, row.resource.serviceName, ...row.events.map((e) => e.name), ...row.links.map((l) => l.traceState)];
    const unstored = texts.find((t) => t !== null && !isStoredText(t));
    if (unstored !== undefined) return `${where}: ${JSON.stringify(unstored)} is not text as storage keeps it`;
  }
  return null;
}

/** Asserts the outcome is a refusal or well-formed rows; returns which. */
function expectSound(outcome: DecodedTraces | OtlpDecodeError, prefix: RegExp): 'decoded' | 'refused' {
  if (outcome instanceof OtlpDecodeError) {
    expect(outcome.message).toMatch(prefix);
    return 'refused';
  }
  expect(rowsProblem(outcome)).toBeNull();
  return 'decoded';
}

describe('generated requests', () => {
  it('decode to exactly their usable spans, identically from protobuf and JSON (1,500 runs)', () => {
    fc.assert(
      fc.property(strict, fc.option(fc.integer(), { nil: undefined }), ({ request, spans, validSpans }, noise) => {
        const fromProtobuf = decodeOrRefuse(() => decodeTracesProtobuf(encodeTestRequest(request, noise === undefined ? undefined : unknownFieldNoise(noise))));
        const fromJson = decodeOrRefuse(() => decodeTracesJson(otlpJson(request)));
        if (fromProtobuf instanceof OtlpDecodeError) throw fromProtobuf;
        if (fromJson instanceof OtlpDecodeError) throw fromJson;
        expect(fromProtobuf.spans).toHaveLength(validSpans);
        expect(fromProtobuf.rejectedSpans).toBe(spans - validSpans);
        expect(rowsProblem(fromProtobuf)).toBeNull();
        // Not toStrictEqual: its type check reads `.constructor`, which an attribute named "constructor" shadows.
        if (!isDeepStrictEqual(fromJson, fromProtobuf)) expect(fromJson).toEqual(fromProtobuf);
      }),
      { ...LIMITS, seed: SEED, numRuns: 1_500 },
    );
  }, TIMEOUT_MS);

  it('keep their usable spans in either encoding with lone surrogates and multi-field values too (1,000 runs)', () => {
    fc.assert(
      fc.property(loose, ({ request, spans, validSpans }) => {
        for (const decode of [() => decodeTracesProtobuf(encodeTestRequest(request)), () => decodeTracesJson(otlpJson(request))]) {
          const outcome = decodeOrRefuse(decode);
          if (outcome instanceof OtlpDecodeError) throw outcome;
          expect(outcome.spans).toHaveLength(validSpans);
          expect(outcome.rejectedSpans).toBe(spans - validSpans);
          expect(rowsProblem(outcome)).toBeNull();
        }
      }),
      { ...LIMITS, seed: SEED + 1, numRuns: 1_000 },
    );
  }, TIMEOUT_MS);
});

describe('damaged input', () => {
  // Mutations start from a fixed pool of generated requests: generating a fresh request for every
  // one of thousands of runs would cost more than decoding it.
  const pool = fc.sample(loose, { seed: SEED + 2, numRuns: 300 }).map((g) => g.request);
  const protobufPool = pool.map((request, i) => encodeTestRequest(request, i % 2 === 0 ? unknownFieldNoise(i) : undefined));
  const jsonPool = pool.map((request) => JSON.parse(otlpJson(request)) as Parameters<typeof applyJsonEdits>[0]);
  const textPool = pool.map((request) => otlpJson(request));
  const pick = fc.nat(pool.length - 1);

  it('protobuf with flipped bits, cuts, bad varints, wrong wire types and lying lengths (8,000 runs)', () => {
    const tally = { decoded: 0, refused: 0 };
    fc.assert(
      fc.property(pick, fc.array(byteEditArb, { minLength: 1, maxLength: 6 }), (i, edits) => {
        const bytes = applyByteEdits(protobufPool[i]!, edits);
        tally[expectSound(decodeOrRefuse(() => decodeTracesProtobuf(bytes)), /^invalid protobuf: /)]++;
      }),
      { ...LIMITS, seed: SEED + 3, numRuns: 8_000 },
    );
    // Both ways out must be exercised for the property to mean anything.
    expect(tally.decoded).toBeGreaterThan(500);
    expect(tally.refused).toBeGreaterThan(500);
  }, TIMEOUT_MS);

  it('protobuf of random bytes (2,000 runs)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expectSound(decodeOrRefuse(() => decodeTracesProtobuf(bytes)), /^invalid protobuf: /);
      }),
      { ...LIMITS, seed: SEED + 4, numRuns: 2_000 },
    );
  }, TIMEOUT_MS);

  it('JSON with wrong types, missing and extra fields, broken ids and other spellings (5,000 runs)', () => {
    const tally = { decoded: 0, refused: 0 };
    fc.assert(
      fc.property(pick, fc.array(jsonEditArb, { minLength: 1, maxLength: 4 }), (i, edits) => {
        const text = otlpJson(applyJsonEdits(jsonPool[i]!, edits));
        tally[expectSound(decodeOrRefuse(() => decodeTracesJson(text)), /\S/)]++;
      }),
      { ...LIMITS, seed: SEED + 5, numRuns: 5_000 },
    );
    expect(tally.decoded).toBeGreaterThan(500);
    expect(tally.refused).toBeGreaterThan(500);
  }, TIMEOUT_MS);

  it('JSON text with characters inserted, removed and cut, and text that is not JSON (3,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 5, arbitrary: fc.tuple(pick, fc.array(textEditArb, { minLength: 1, maxLength: 4 })).map(([i, edits]) => applyTextEdits(textPool[i]!, edits)) },
          { weight: 1, arbitrary: fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.json(), fc.uint8Array({ maxLength: 64 }).map((b) => new TextDecoder().decode(b))) },
        ),
        (text) => {
          expectSound(decodeOrRefuse(() => decodeTracesJson(text)), /\S/);
        },
      ),
      { ...LIMITS, seed: SEED + 6, numRuns: 3_000 },
    );
  }, TIMEOUT_MS);
});
