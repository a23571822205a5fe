// Test helpers: a minimal protobuf writer, and an encoder from the OTLP/JSON shape to OTLP/protobuf, so one
// hand-written request (including invalid ones the SDK can never produce) can be fed to both decoders.

/** An OTLP/JSON request as tests write it; ids are hex of any length so invalid ones can be expressed. */
export interface TestAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values: TestAnyValue[] };
  kvlistValue?: { values: TestKeyValue[] };
  bytesValue?: string;
}
export interface TestKeyValue {
  key: string;
  value?: TestAnyValue;
}
export interface TestEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: TestKeyValue[];
  droppedAttributesCount?: number;
}
export interface TestLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: TestKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}
export interface TestSpan {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: TestKeyValue[];
  droppedAttributesCount?: number;
  events?: TestEvent[];
  droppedEventsCount?: number;
  links?: TestLink[];
  droppedLinksCount?: number;
  status?: { message?: string; code?: number };
}
export interface TestRequest {
  resourceSpans: {
    resource?: { attributes?: TestKeyValue[]; droppedAttributesCount?: number };
    scopeSpans?: { scope?: { name?: string; version?: string }; spans?: TestSpan[] }[];
  }[];
}

const utf8 = new TextEncoder();

/** Appends fields to a list of chunks, so large test payloads are not copied byte by byte. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private pending: number[] = [];

  tag(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  /** A non-negative varint below 2^53. */
  varint(n: number): this {
    return this.varint64(BigInt(n));
  }

  /** Two's complement, as protobuf writes int64 (negative numbers take 10 bytes). */
  varint64(n: bigint): this {
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
    return this;
  }

  raw(bytes: Uint8Array | number[]): this {
    this.flush();
    this.chunks.push(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
    return this;
  }

  fixed64(n: bigint): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, n), true);
    return this.raw(bytes);
  }

  fixed32(n: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, n >>> 0, true);
    return this.raw(bytes);
  }

  double(d: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, d, true);
    return this.raw(bytes);
  }

  bytesField(field: number, bytes: Uint8Array): this {
    return this.tag(field, 2).varint(bytes.length).raw(bytes);
  }

  stringField(field: number, s: string): this {
    return this.bytesField(field, utf8.encode(s));
  }

  messageField(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const size = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private flush(): void {
    if (this.pending.length > 0) {
      this.chunks.push(Uint8Array.from(this.pending));
      this.pending = [];
    }
  }
}

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** Writes extra fields into every message, e.g. unknown ones a newer sender might add. */
export type FieldNoise = (w: ProtoWriter) => void;

/**
 * Encodes the request as OTLP/protobuf, writing only fields that are present (as proto3 senders do);
 * `noise` is called at the start and end of every message.
 */
export function encodeTestRequest(request: TestRequest, noise: FieldNoise = () => {}): Uint8Array {
  const m = new MessageWriter(noise);
  const w = new ProtoWriter();
  for (const rs of request.resourceSpans) {
    m.message(w, 1, (rsw) => {
      const resource = rs.resource;
      if (resource) {
        m.message(rsw, 1, (r) => {
          m.attributes(r, 1, resource.attributes);
          if (resource.droppedAttributesCount) r.tag(2, 0).varint(resource.droppedAttributesCount);
        });
      }
      for (const ss of rs.scopeSpans ?? []) {
        m.message(rsw, 2, (ssw) => {
          const scope = ss.scope;
          if (scope) {
            m.message(ssw, 1, (s) => {
              if (scope.name !== undefined) s.stringField(1, scope.name);
              if (scope.version !== undefined) s.stringField(2, scope.version);
            });
          }
          for (const span of ss.spans ?? []) m.message(ssw, 2, (sw) => m.span(sw, span));
        });
      }
    });
  }
  return w.finish();
}

export function writeAttributes(w: ProtoWriter, field: number, attributes: TestKeyValue[] | undefined): void {
  new MessageWriter(() => {}).attributes(w, field, attributes);
}

class MessageWriter {
  constructor(private readonly noise: FieldNoise) {}

  message(w: ProtoWriter, field: number, build: (inner: ProtoWriter) => void): void {
    w.messageField(field, (inner) => {
      this.noise(inner);
      build(inner);
      this.noise(inner);
    });
  }

  span(w: ProtoWriter, span: TestSpan): void {
    if (span.traceId !== undefined) w.bytesField(1, hexBytes(span.traceId));
    if (span.spanId !== undefined) w.bytesField(2, hexBytes(span.spanId));
    if (span.traceState !== undefined) w.stringField(3, span.traceState);
    if (span.parentSpanId !== undefined) w.bytesField(4, hexBytes(span.parentSpanId));
    if (span.name !== undefined) w.stringField(5, span.name);
    if (span.kind !== undefined) w.tag(6, 0).varint64(BigInt(span.kind));
    if (span.startTimeUnixNano !== undefined) w.tag(7, 1).fixed64(BigInt(span.startTimeUnixNano));
    if (span.endTimeUnixNano !== undefined) w.tag(8, 1).fixed64(BigInt(span.endTimeUnixNano));
    this.attributes(w, 9, span.attributes);
    if (span.droppedAttributesCount) w.tag(10, 0).varint(span.droppedAttributesCount);
    for (const event of span.events ?? []) {
      this.message(w, 11, (ew) => {
        if (event.timeUnixNano !== undefined) ew.tag(1, 1).fixed64(BigInt(event.timeUnixNano));
        if (event.name !== undefined) ew.stringField(2, event.name);
        this.attributes(ew, 3, event.attributes);
        if (event.droppedAttributesCount) ew.tag(4, 0).varint(event.droppedAttributesCount);
      });
    }
    if (span.droppedEventsCount) w.tag(12, 0).varint(span.droppedEventsCount);
    for (const link of span.links ?? []) {
      this.message(w, 13, (lw) => {
        if (link.traceId !== undefined) lw.bytesField(1, hexBytes(link.traceId));
        if (link.spanId !== undefined) lw.bytesField(2, hexBytes(link.spanId));
        if (link.traceState !== undefined) lw.stringField(3, link.traceState);
        this.attributes(lw, 4, link.attributes);
        if (link.droppedAttributesCount) lw.tag(5, 0).varint(link.droppedAttributesCount);
        if (link.flags !== undefined) lw.tag(6, 5).fixed32(link.flags);
      });
    }
    if (span.droppedLinksCount) w.tag(14, 0).varint(span.droppedLinksCount);
    const status = span.status;
    if (status) {
      this.message(w, 15, (st) => {
        if (status.message !== undefined) st.stringField(2, status.message);
        if (status.code !== undefined) st.tag(3, 0).varint64(BigInt(status.code));
      });
    }
    if (span.flags !== undefined) w.tag(16, 5).fixed32(span.flags);
  }

  attributes(w: ProtoWriter, field: number, attributes: TestKeyValue[] | undefined): void {
    for (const kv of attributes ?? []) this.message(w, field, (kw) => this.keyValue(kw, kv));
  }

  private keyValue(w: ProtoWriter, kv: TestKeyValue): void {
    w.stringField(1, kv.key);
    const value = kv.value;
    if (value) this.message(w, 2, (vw) => this.anyValue(vw, value));
  }

  private anyValue(w: ProtoWriter, value: TestAnyValue): void {
    if (value.stringValue !== undefined) w.stringField(1, value.stringValue);
    if (value.boolValue !== undefined) w.tag(2, 0).varint(value.boolValue ? 1 : 0);
    if (value.intValue !== undefined) w.tag(3, 0).varint64(BigInt(value.intValue));
    if (value.doubleValue !== undefined) w.tag(4, 1).double(value.doubleValue);
    const array = value.arrayValue;
    if (array) this.message(w, 5, (aw) => array.values.forEach((item) => this.message(aw, 1, (iw) => this.anyValue(iw, item))));
    const kvlist = value.kvlistValue;
    if (kvlist) this.message(w, 6, (lw) => kvlist.values.forEach((kv) => this.message(lw, 1, (kw) => this.keyValue(kw, kv))));
    if (value.bytesValue !== undefined) w.bytesField(7, Uint8Array.from(atob(value.bytesValue), (c) => c.charCodeAt(0)));
  }
}

/** Deterministic PRNG (mulberry32), so a failing fuzz case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes one field no OTLP message defines (number 17 + up to `maxField`), of a random wire type:
 * decoders must skip it. `random` is a seeded source in [0, 1).
 */
export function writeRandomUnknownField(w: ProtoWriter, random: () => number, maxField: number, maxBytes: number): void {
  const int = (n: number) => Math.floor(random() * n);
  const field = 17 + int(maxField);
  switch (int(4)) {
    case 0:
      w.tag(field, 0).varint64(BigInt(int(2 ** 31)) * (random() < 0.5 ? -1n : 1n));
      break;
    case 1:
      w.tag(field, 1).fixed64(BigInt(int(2 ** 31)) << 20n);
      break;
    case 2:
      w.bytesField(field, Uint8Array.from({ length: int(maxBytes) }, () => int(256)));
      break;
    default:
      w.tag(field, 5).fixed32(int(2 ** 32));
  }
}

