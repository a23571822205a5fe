import { describe, expect, it } from 'vitest';
import { decodeTracesProtobuf } from './decode-protobuf';
import { DECODE_LIMITS, OtlpDecodeError, type DecodedTraces } from './span-row';
import { ProtoWriter, encodeTestRequest, hexBytes, seededRandom, writeAttributes, writeRandomUnknownField, type TestRequest, type TestSpan } from './testing';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function spanFields(w: ProtoWriter, extra?: (w: ProtoWriter) => void): void {
  w.bytesField(1, hexBytes(TRACE_ID)).bytesField(2, hexBytes(SPAN_ID)).stringField(5, 'op');
  w.tag(7, 1).fixed64(1_700_000_000_000_000_000n).tag(8, 1).fixed64(1_700_000_000_500_000_000n);
  extra?.(w);
}

/** A request with one resource, one scope and the given span bodies. */
function requestWithSpans(...spans: ((w: ProtoWriter) => void)[]): Uint8Array {
  return new ProtoWriter()
    .messageField(1, (rs) => rs.messageField(2, (ss) => spans.forEach((span) => ss.messageField(2, span))))
    .finish();
}

function expectMalformed(bytes: Uint8Array, message: RegExp): void {
  expect(() => decodeTracesProtobuf(bytes)).toThrow(OtlpDecodeError);
  expect(() => decodeTracesProtobuf(bytes)).toThrow(message);
}

/** The contract under hostile input: a result or OtlpDecodeError, never another exception. */
function decodeOrRefuse(bytes: Uint8Array): DecodedTraces | OtlpDecodeError {
  try {
    return decodeTracesProtobuf(bytes);
  } catch (err) {
    if (err instanceof OtlpDecodeError) return err;
    throw new Error(`decoder threw ${String(err)} for ${Buffer.from(bytes).toString('hex').slice(0, 200)}`, { cause: err });
  }
}

function expectValidRows(decoded: DecodedTraces): void {
  for (const row of decoded.spans) {
    expect(row.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(row.traceId).not.toBe('0'.repeat(32));
    expect(row.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(row.spanId).not.toBe('0'.repeat(16));
    if (row.parentSpanId !== null) expect(row.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
    expect(row.startTimeUnixNano).toBeGreaterThan(0n);
    expect(row.endTimeUnixNano).toBeGreaterThanOrEqual(row.startTimeUnixNano);
  }
  expect(decoded.rejectionReasons.length).toBeLessThanOrEqual(11);
}

const RICH_SPAN: TestSpan = {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  parentSpanId: 'eee19b7ec3c1b173',
  traceState: 'a=1',
  name: 'GET /cart',
  kind: 2,
  flags: 0x101,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000500000000',
  attributes: [
    { key: 's', value: { stringValue: 'value' } },
    { key: 'i', value: { intValue: '-5' } },
    { key: 'd', value: { doubleValue: 2.5 } },
    { key: 'b', value: { boolValue: true } },
    { key: 'bytes', value: { bytesValue: 'AQID' } },
    { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }] } } },
    { key: 'kv', value: { kvlistValue: { values: [{ key: 'n', value: { kvlistValue: { values: [{ key: 'm', value: { boolValue: false } }] } } }] } } },
  ],
  events: [{ name: 'exception', timeUnixNano: '1700000000100000000', attributes: [{ key: 'exception.message', value: { stringValue: 'boom' } }] }],
  links: [{ traceId: TRACE_ID, spanId: 'eee19b7ec3c1b172', attributes: [{ key: 'l', value: { stringValue: 'y' } }], flags: 1 }],
  status: { code: 2, message: 'failed' },
};
const RICH_REQUEST: TestRequest = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeSpans: [{ scope: { name: 'lib', version: '1' }, spans: [RICH_SPAN, { ...RICH_SPAN, spanId: 'eee19b7ec3c1b171', parentSpanId: undefined }] }],
    },
  ],
};
const VALID_REQUEST = encodeTestRequest(RICH_REQUEST);

describe('decodeTracesProtobuf wire format', () => {
  it('reads fields in any order: resource after its spans, scope after its spans', () => {
    const bytes = new ProtoWriter()
      .messageField(1, (rs) =>
        rs
          .messageField(2, (ss) => ss.messageField(2, (span) => spanFields(span)).messageField(1, (scope) => scope.stringField(1, 'late-scope').stringField(2, '2.0')))
          .messageField(1, (resource) => writeAttributes(resource, 1, [{ key: 'service.name', value: { stringValue: 'late-service' } }])),
      )
      .finish();
    const [row] = decodeTracesProtobuf(bytes).spans;
    expect(row).toMatchObject({ scopeName: 'late-scope', scopeVersion: '2.0', resource: { serviceName: 'late-service' } });
  });

  it('reads the value of a KeyValue that precedes its key', () => {
    const bytes = requestWithSpans((w) => spanFields(w, (s) => s.messageField(9, (kv) => kv.messageField(2, (v) => v.stringField(1, 'x')).stringField(1, 'key'))));
    expect(decodeTracesProtobuf(bytes).spans[0]!.attributes).toEqual({ key: 'x' });
  });

  it('skips unknown fields of every wire type at every level', () => {
    const unknowns = (w: ProtoWriter) => {
      w.tag(99, 0).varint64(-1n);
      w.tag(98, 1).fixed64(7n);
      w.stringField(97, 'ignored');
      w.tag(96, 5).fixed32(3);
      w.tag(2000, 0).varint(1);
    };
    const bytes = new ProtoWriter()
      .messageField(1, (rs) => {
        unknowns(rs);
        rs.messageField(1, (r) => {
          unknowns(r);
          writeAttributes(r, 1, [{ key: 'service.name', value: { stringValue: 'svc' } }]);
        });
        rs.messageField(2, (ss) => {
          unknowns(ss);
          ss.messageField(1, (scope) => scope.stringField(1, 'lib').messageField(3, unknowns));
          ss.messageField(2, (span) =>
            spanFields(span, (s) => {
              unknowns(s);
              s.messageField(9, (kv) => kv.stringField(1, 'k').messageField(2, (v) => v.stringField(1, 'v').tag(99, 0).varint(1)));
              s.messageField(11, (e) => e.tag(1, 1).fixed64(5n).stringField(2, 'ev').tag(99, 5).fixed32(0));
              s.messageField(15, (st) => st.tag(1, 0).varint(1).tag(3, 0).varint(2));
            }),
          );
        });
      })
      .stringField(2, 'unknown top-level field')
      .finish();
    const decoded = decodeTracesProtobuf(bytes);
    expect(decoded.spans).toHaveLength(1);
    expect(decoded.spans[0]).toMatchObject({
      name: 'op',
      attributes: { k: 'v' },
      events: [{ name: 'ev', timeUnixNano: 5n }],
      statusCode: 2,
      scopeName: 'lib',
      resource: { serviceName: 'svc' },
    });
  });

  it('decodes the same when every message starts and ends with random unknown fields', () => {
    const random = seededRandom(7);
    const int = (n: number) => Math.floor(random() * n);
    const noise = (w: ProtoWriter) => {
      for (let n = int(3); n > 0; n--) writeRandomUnknownField(w, random, 5_000, 300);
    };
    const expected = decodeTracesProtobuf(VALID_REQUEST);
    expect(expected.spans).toHaveLength(2);
    for (let i = 0; i < 50; i++) expect(decodeTracesProtobuf(encodeTestRequest(RICH_REQUEST, noise))).toStrictEqual(expected);
  });

  it('skips a known field sent with an unexpected wire type, as protobuf parsers do', () => {
    const bytes = requestWithSpans((w) => spanFields(w, (s) => s.tag(5, 0).varint(3)));
    expect(decodeTracesProtobuf(bytes).spans[0]!.name).toBe('op');
  });

  it('reads negative enums (10-byte varints) as out of range', () => {
    const bytes = requestWithSpans((w) => spanFields(w, (s) => s.tag(6, 0).varint64(-1n).messageField(15, (st) => st.tag(3, 0).varint64(-2n))));
    expect(decodeTracesProtobuf(bytes).spans[0]).toMatchObject({ kind: 0, statusCode: 0 });
  });

  it('maps NaN and infinite doubles to strings', () => {
    const bytes = requestWithSpans((w) =>
      spanFields(w, (s) => {
        for (const [key, d] of [['nan', NaN], ['inf', Infinity], ['-inf', -Infinity], ['zero', -0]] as const) {
          s.messageField(9, (kv) => kv.stringField(1, key).messageField(2, (v) => v.tag(4, 1).double(d)));
        }
      }),
    );
    expect(decodeTracesProtobuf(bytes).spans[0]!.attributes).toEqual({ nan: 'NaN', inf: 'Infinity', '-inf': '-Infinity', zero: -0 });
  });

  it('lets the last of several AnyValue fields win, and reads a zero bool varint of any length', () => {
    const bytes = requestWithSpans((w) =>
      spanFields(w, (s) => {
        s.messageField(9, (kv) => kv.stringField(1, 'x').messageField(2, (v) => v.stringField(1, 'first').tag(3, 0).varint(7)));
        s.messageField(9, (kv) => kv.stringField(1, 'f').messageField(2, (v) => v.tag(2, 0).raw([0x80, 0x00])));
      }),
    );
    expect(decodeTracesProtobuf(bytes).spans[0]!.attributes).toEqual({ x: 7, f: false });
  });

  it('decodes invalid UTF-8 with replacement characters', () => {
    const bytes = requestWithSpans((w) => spanFields(w, (s) => s.bytesField(5, Uint8Array.from([0x6f, 0xff, 0x70, 0xe2, 0x82]))));
    expect(decodeTracesProtobuf(bytes).spans[0]!.name).toBe('o\ufffdp\ufffd');
  });

  it('accepts a Uint8Array that is a view into a larger buffer', () => {
    const padded = new Uint8Array(VALID_REQUEST.length + 20).fill(0xff);
    padded.set(VALID_REQUEST, 10);
    expect(decodeTracesProtobuf(padded.subarray(10, 10 + VALID_REQUEST.length))).toStrictEqual(decodeTracesProtobuf(VALID_REQUEST));
  });

  it('skips a 10,000-deep kvlist without recursing into it', () => {
    // AnyValue{kvlist_value{values{key "k", value AnyValue{…}}}}, built outside-in from precomputed lengths.
    const levels = 10_000;
    const leaf = new ProtoWriter().stringField(1, 'leaf').finish();
    const varintSize = (n: number) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4);
    const anyValueLengths: number[] = [leaf.length];
    for (let i = 1; i <= levels; i++) {
      const inner = anyValueLengths[i - 1]!;
      const keyValue = 3 + 1 + varintSize(inner) + inner; // key "k" (3 bytes) + value tag, length, AnyValue
      const list = 1 + varintSize(keyValue) + keyValue;
      anyValueLengths.push(1 + varintSize(list) + list);
    }
    const w = new ProtoWriter();
    for (let i = levels; i >= 1; i--) {
      const inner = anyValueLengths[i - 1]!;
      const keyValue = 3 + 1 + varintSize(inner) + inner;
      const list = 1 + varintSize(keyValue) + keyValue;
      w.tag(6, 2).varint(list).tag(1, 2).varint(keyValue).stringField(1, 'k').tag(2, 2).varint(inner);
    }
    w.raw(leaf);
    const deepValue = w.finish();
    expect(deepValue.length).toBe(anyValueLengths[levels]);

    const bytes = requestWithSpans((s) => spanFields(s, (span) => span.messageField(9, (kv) => kv.stringField(1, 'deep').bytesField(2, deepValue))));
    let value = decodeTracesProtobuf(bytes).spans[0]!.attributes.deep;
    for (let i = 0; i < DECODE_LIMITS.maxValueDepth; i++) {
      expect(value).toBeTypeOf('object');
      value = (value as Record<string, typeof value>).k;
    }
    expect(value).toBe('[too deep]');
  });
});

describe('decodeTracesProtobuf refuses malformed requests', () => {
  it('refuses a varint cut off by the end of the buffer', () => {
    expectMalformed(Uint8Array.from([0x0a, 0x80]), /varint truncated/);
    expectMalformed(Uint8Array.from([0x8a]), /varint truncated/);
  });

  it('refuses a varint longer than 10 bytes', () => {
    expectMalformed(Uint8Array.from([0x08, ...new Array<number>(10).fill(0xff), 0x01]), /longer than 10 bytes/);
  });

  it('refuses a length prefix beyond the buffer or beyond the enclosing message', () => {
    expectMalformed(Uint8Array.from([0x0a, 0x05, 0x00]), /length 5 at byte 1 runs past the end/);
    expectMalformed(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), /length 4294967295/);
    expectMalformed(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /over 4 GiB/);
    // A ResourceSpans of 2 bytes whose ScopeSpans claims 3.
    expectMalformed(Uint8Array.from([0x0a, 0x02, 0x12, 0x03, 0x00, 0x00, 0x00]), /runs past the end of its message \(0 bytes left\)/);
  });

  it('refuses a fixed-width field cut off by the end of its message', () => {
    const bytes = requestWithSpans((w) => w.tag(7, 1).raw([1, 2, 3]));
    expectMalformed(bytes, /8-byte field/);
    expectMalformed(requestWithSpans((w) => w.tag(16, 5).raw([1])), /4-byte field/);
  });

  it('refuses group wire types, invalid wire types and field number 0', () => {
    expectMalformed(Uint8Array.from([(5 << 3) | 3]), /group wire type 3/);
    expectMalformed(Uint8Array.from([(5 << 3) | 4]), /group wire type 4/);
    expectMalformed(Uint8Array.from([(5 << 3) | 6]), /invalid wire type 6/);
    expectMalformed(Uint8Array.from([(5 << 3) | 7]), /invalid wire type 7/);
    expectMalformed(Uint8Array.from([0x02, 0x00]), /field number 0/);
    expectMalformed(requestWithSpans((w) => spanFields(w, (s) => s.tag(30, 3))), /group wire type 3/);
  });

  it('refuses text and random garbage', () => {
    expectMalformed(new TextEncoder().encode('{"resourceSpans":[]}'), /invalid protobuf/);
    expectMalformed(new TextEncoder().encode('hello, world'), /invalid protobuf/);
  });

  it('answers every truncation of a valid request with a result or OtlpDecodeError', () => {
    let refused = 0;
    for (let length = 0; length < VALID_REQUEST.length; length++) {
      const outcome = decodeOrRefuse(VALID_REQUEST.subarray(0, length));
      if (outcome instanceof OtlpDecodeError) refused++;
      else expectValidRows(outcome);
    }
    expect(refused).toBeGreaterThan(VALID_REQUEST.length / 2);
  });

  it('answers 2,000 seeded random mutations with a result or OtlpDecodeError', () => {
    const random = seededRandom(0x0f7a11);
    const int = (n: number) => Math.floor(random() * n);
    const outcomes = { decoded: 0, refused: 0 };
    for (let i = 0; i < 2_000; i++) {
      const bytes = Array.from(VALID_REQUEST);
      for (let edits = 1 + int(4); edits > 0; edits--) {
        const at = int(bytes.length);
        switch (int(6)) {
          case 0:
            bytes[at] = int(256);
            break;
          case 1:
            bytes[at] = bytes[at]! ^ (1 << int(8));
            break;
          case 2:
            bytes.splice(at, 1 + int(8));
            break;
          case 3:
            bytes.splice(at, 0, ...Array.from({ length: 1 + int(8) }, () => int(256)));
            break;
          case 4:
            bytes.length = at;
            break;
          default:
            bytes.splice(at, 0, ...bytes.slice(int(bytes.length), int(bytes.length)));
        }
      }
      const outcome = decodeOrRefuse(Uint8Array.from(bytes));
      if (outcome instanceof OtlpDecodeError) {
        outcomes.refused++;
        expect(outcome.message).toMatch(/^invalid protobuf: /);
      } else {
        outcomes.decoded++;
        expectValidRows(outcome);
      }
    }
    // Both paths must actually be exercised for the loop to mean anything.
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  });

  it('answers random byte strings with a result or OtlpDecodeError', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 500; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      const outcome = decodeOrRefuse(bytes);
      if (!(outcome instanceof OtlpDecodeError)) expectValidRows(outcome);
    }
  });
});
