// OTLP/protobuf ExportTraceServiceRequest → SpanRows, read straight off the wire format. A generic protobuf
// library would first build the whole message tree and then be flattened; skipping that is ~4× faster.
import { cleanText } from '@/lib/db/copy-text';
import {
  AttributeCollector,
  TOO_DEEP,
  TOP_VALUE_DEPTH,
  doubleValue,
  setOwn,
  storedString,
} from './attributes';
import {
  RejectionLog,
  completeResource,
  isRootParent,
  isUsableLinkId,
  newEvent,
  newLink,
  newResource,
  newSpanRow,
  nullIfEmpty,
  spanKindOf,
  spanLocation,
  spanProblem,
  statusCodeOf,
} from './row-builder';
import {
  DECODE_LIMITS,
  OtlpDecodeError,
  type AttributeValue,
  type DecodedTraces,
  type SpanEvent,
  type SpanLink,
  type SpanResource,
  type SpanRow,
} from './span-row';

// Tags are (field number << 3) | wire type; wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_GROUP_START = 3;
const WIRE_GROUP_END = 4;
const WIRE_FIXED32 = 5;

// Read once: a bundler may turn every DECODE_LIMITS.x on the hot path into a getter call.
const MAX_VALUE_DEPTH = DECODE_LIMITS.maxValueDepth;
const MAX_STRING_LENGTH = DECODE_LIMITS.maxStringLength;
const MAX_EVENTS = DECODE_LIMITS.maxEvents;
const MAX_LINKS = DECODE_LIMITS.maxLinks;

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
/** Enough bytes for maxStringLength code points (at most 4 bytes each); the rest is never decoded. */
const MAX_STRING_BYTES = MAX_STRING_LENGTH * 4;
/** Below this, building the string by hand beats TextDecoder's call overhead (if the bytes are ASCII). */
const SHORT_STRING_BYTES = 24;
/** Base64 of this many bytes is exactly maxStringLength characters, the same cut the JSON decoder makes. */
const MAX_BASE64_INPUT_BYTES = Math.floor(MAX_STRING_LENGTH / 4) * 3;

/**
 * Attribute keys repeat in nearly every span. Handing back the very same string for the same bytes saves decoding,
 * and (once V8 has internalized it as a property name) makes every attribute-object lookup a pointer compare.
 * Process-wide and bounded; a collision just replaces the slot.
 */
const KEY_CACHE_SLOTS = 4096;
const MAX_CACHED_KEY_BYTES = 64;
const keyCacheBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(KEY_CACHE_SLOTS);
const keyCacheStrings: string[] = new Array<string>(KEY_CACHE_SLOTS);

const HEX: string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function decodeTracesProtobuf(buf: Uint8Array): DecodedTraces {
  return new TraceRequestReader(buf).read();
}

function malformed(message: string): OtlpDecodeError {
  return new OtlpDecodeError(`invalid protobuf: ${message}`);
}

/**
 * One reader per request. Each message method reads fields until the `end` offset of that message (every read is
 * checked against it, so a lying length can never make the reader leave its parent) and leaves `pos` at `end`.
 */
class TraceRequestReader {
  private pos = 0;
  private readonly view: DataView;
  private readonly spans: SpanRow[] = [];
  private readonly log = new RejectionLog();
  // Out-parameters of varint64(), keyValue() and scope(), so the hot path returns several values without allocating.
  private lo = 0;
  private hi = 0;
  private kvKey = '';
  private kvValueStart = -1;
  private kvValueEnd = -1;
  private scopeName: string | null = null;
  private scopeVersion: string | null = null;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  read(): DecodedTraces {
    const end = this.buf.length;
    let resourceIndex = 0;
    while (this.pos < end) {
      const tag = this.uint32(end);
      if (tag === ((1 << 3) | WIRE_LEN)) this.resourceSpans(this.messageEnd(end), resourceIndex++);
      else this.skip(tag, end);
    }
    return this.log.result(this.spans);
  }

  private resourceSpans(end: number, resourceIndex: number): void {
    // Spans keep a reference to this object, so a resource that arrives after them still reaches them.
    const resource = newResource();
    let scopeIndex = 0;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          this.resource(this.messageEnd(end), resource);
          break;
        case (2 << 3) | WIRE_LEN:
          this.scopeSpans(this.messageEnd(end), resource, resourceIndex, scopeIndex++);
          break;
        default:
          this.skip(tag, end);
      }
    }
  }

  private resource(end: number, resource: SpanResource): void {
    const attributes = new AttributeCollector();
    let dropped = 0;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          this.attribute(this.messageEnd(end), attributes);
          break;
        case (2 << 3) | WIRE_VARINT:
          dropped = this.uint32(end);
          break;
        default:
          this.skip(tag, end);
      }
    }
    completeResource(resource, attributes, dropped);
  }

  private scopeSpans(end: number, resource: SpanResource, resourceIndex: number, scopeIndex: number): void {
    const firstSpan = this.spans.length;
    let scopeName: string | null = null;
    let scopeVersion: string | null = null;
    let isScopeLate = false;
    let spanIndex = 0;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          this.scope(this.messageEnd(end));
          scopeName = this.scopeName;
          scopeVersion = this.scopeVersion;
          isScopeLate = this.spans.length > firstSpan;
          break;
        case (2 << 3) | WIRE_LEN:
          this.span(this.messageEnd(end), resource, scopeName, scopeVersion, resourceIndex, scopeIndex, spanIndex++);
          break;
        default:
          this.skip(tag, end);
      }
    }
    if (isScopeLate) {
      for (let i = firstSpan; i < this.spans.length; i++) {
        const row = this.spans[i]!;
        row.scopeName = scopeName;
        row.scopeVersion = scopeVersion;
      }
    }
  }

  /** Sets this.scopeName/scopeVersion; scope attributes are not stored. */
  private scope(end: number): void {
    let name = '';
    let version = '';
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          name = this.string(end);
          break;
        case (2 << 3) | WIRE_LEN:
          version = this.string(end);
          break;
        default:
          this.skip(tag, end);
      }
    }
    this.scopeName = nullIfEmpty(name);
    this.scopeVersion = nullIfEmpty(version);
  }

  private span(
    end: number,
    resource: SpanResource,
    scopeName: string | null,
    scopeVersion: string | null,
    resourceIndex: number,
    scopeIndex: number,
    spanIndex: number,
  ): void {
    const row = newSpanRow(resource, scopeName, scopeVersion);
    const attributes = new AttributeCollector();
    let traceIdAt = 0;
    let traceIdLength = 0;
    let spanIdAt = 0;
    let spanIdLength = 0;
    let parentIdAt = 0;
    let parentIdLength = 0;
    let droppedAttributes = 0;
    let droppedEvents = 0;
    let droppedLinks = 0;
    let extraEvents = 0;
    let extraLinks = 0;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          traceIdLength = this.length(end);
          traceIdAt = this.pos;
          this.pos += traceIdLength;
          break;
        case (2 << 3) | WIRE_LEN:
          spanIdLength = this.length(end);
          spanIdAt = this.pos;
          this.pos += spanIdLength;
          break;
        case (3 << 3) | WIRE_LEN:
          row.traceState = nullIfEmpty(this.string(end));
          break;
        case (4 << 3) | WIRE_LEN:
          parentIdLength = this.length(end);
          parentIdAt = this.pos;
          this.pos += parentIdLength;
          break;
        case (5 << 3) | WIRE_LEN:
          row.name = this.string(end);
          break;
        case (6 << 3) | WIRE_VARINT:
          row.kind = spanKindOf(this.uint32(end));
          break;
        case (7 << 3) | WIRE_FIXED64:
          row.startTimeUnixNano = this.fixed64(end);
          break;
        case (8 << 3) | WIRE_FIXED64:
          row.endTimeUnixNano = this.fixed64(end);
          break;
        case (9 << 3) | WIRE_LEN:
          this.attribute(this.messageEnd(end), attributes);
          break;
        case (10 << 3) | WIRE_VARINT:
          droppedAttributes = this.uint32(end);
          break;
        case (11 << 3) | WIRE_LEN: {
          const eventEnd = this.messageEnd(end);
          if (row.events.length < MAX_EVENTS) {
            row.events.push(this.event(eventEnd));
          } else {
            this.pos = eventEnd;
            extraEvents++;
          }
          break;
        }
        case (12 << 3) | WIRE_VARINT:
          droppedEvents = this.uint32(end);
          break;
        case (13 << 3) | WIRE_LEN: {
          const linkEnd = this.messageEnd(end);
          const link = row.links.length < MAX_LINKS ? this.link(linkEnd) : null;
          if (link) row.links.push(link);
          else extraLinks++;
          this.pos = linkEnd;
          break;
        }
        case (14 << 3) | WIRE_VARINT:
          droppedLinks = this.uint32(end);
          break;
        case (15 << 3) | WIRE_LEN:
          this.status(this.messageEnd(end), row);
          break;
        case (16 << 3) | WIRE_FIXED32:
          row.flags = this.fixed32(end);
          break;
        default:
          this.skip(tag, end);
      }
    }

    const traceIdZero = this.isZero(traceIdAt, traceIdLength);
    const spanIdZero = this.isZero(spanIdAt, spanIdLength);
    const parentIdZero = this.isZero(parentIdAt, parentIdLength);
    const problem = spanProblem(
      traceIdLength,
      traceIdZero,
      spanIdLength,
      spanIdZero,
      parentIdLength,
      parentIdZero,
      row.startTimeUnixNano,
      row.endTimeUnixNano,
    );
    if (problem !== null) {
      this.log.reject(spanLocation(resourceIndex, scopeIndex, spanIndex), problem);
      return;
    }
    row.traceId = this.hex(traceIdAt, traceIdLength);
    row.spanId = this.hex(spanIdAt, spanIdLength);
    row.parentSpanId = isRootParent(parentIdLength, parentIdZero) ? null : this.hex(parentIdAt, parentIdLength);
    row.attributes = attributes.values;
    row.droppedAttributesCount = droppedAttributes + attributes.dropped;
    row.droppedEventsCount = droppedEvents + extraEvents;
    row.droppedLinksCount = droppedLinks + extraLinks;
    this.spans.push(row);
  }

  private event(end: number): SpanEvent {
    const attributes = new AttributeCollector();
    let time = 0n;
    let name = '';
    let dropped = 0;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_FIXED64:
          time = this.fixed64(end);
          break;
        case (2 << 3) | WIRE_LEN:
          name = this.string(end);
          break;
        case (3 << 3) | WIRE_LEN:
          this.attribute(this.messageEnd(end), attributes);
          break;
        case (4 << 3) | WIRE_VARINT:
          dropped = this.uint32(end);
          break;
        default:
          this.skip(tag, end);
      }
    }
    return newEvent(time, name, attributes, dropped);
  }

  /** Null when its ids cannot name a span. */
  private link(end: number): SpanLink | null {
    const attributes = new AttributeCollector();
    let traceIdAt = 0;
    let traceIdLength = 0;
    let spanIdAt = 0;
    let spanIdLength = 0;
    let traceState = '';
    let dropped = 0;
    let flags = 0;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          traceIdLength = this.length(end);
          traceIdAt = this.pos;
          this.pos += traceIdLength;
          break;
        case (2 << 3) | WIRE_LEN:
          spanIdLength = this.length(end);
          spanIdAt = this.pos;
          this.pos += spanIdLength;
          break;
        case (3 << 3) | WIRE_LEN:
          traceState = this.string(end);
          break;
        case (4 << 3) | WIRE_LEN:
          this.attribute(this.messageEnd(end), attributes);
          break;
        case (5 << 3) | WIRE_VARINT:
          dropped = this.uint32(end);
          break;
        case (6 << 3) | WIRE_FIXED32:
          flags = this.fixed32(end);
          break;
        default:
          this.skip(tag, end);
      }
    }
    if (!isUsableLinkId(traceIdLength, this.isZero(traceIdAt, traceIdLength), spanIdLength, this.isZero(spanIdAt, spanIdLength))) {
      return null;
    }
    return newLink(this.hex(traceIdAt, traceIdLength), this.hex(spanIdAt, spanIdLength), traceState, attributes, dropped, flags);
  }

  private status(end: number, row: SpanRow): void {
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (2 << 3) | WIRE_LEN:
          row.statusMessage = nullIfEmpty(this.string(end));
          break;
        case (3 << 3) | WIRE_VARINT:
          row.statusCode = statusCodeOf(this.uint32(end));
          break;
        default:
          this.skip(tag, end);
      }
    }
  }

  /** One KeyValue of a span/event/link/resource: the value is decoded only if the limit lets the key in. */
  private attribute(end: number, attributes: AttributeCollector): void {
    this.keyValue(end);
    const key = this.kvKey;
    if (attributes.admit(key)) attributes.set(key, this.valueAt(this.kvValueStart, this.kvValueEnd, TOP_VALUE_DEPTH));
    this.pos = end;
  }

  /** Reads a KeyValue's key and remembers where its value is (the value may come first on the wire). */
  private keyValue(end: number): void {
    let key = '';
    let valueStart = -1;
    let valueEnd = -1;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          key = this.key(end);
          break;
        case (2 << 3) | WIRE_LEN:
          valueEnd = this.messageEnd(end);
          valueStart = this.pos;
          this.pos = valueEnd;
          break;
        default:
          this.skip(tag, end);
      }
    }
    this.kvKey = key;
    this.kvValueStart = valueStart;
    this.kvValueEnd = valueEnd;
  }

  /** Decodes the AnyValue in [start, end), or null for a missing one; leaves `pos` at `end`. */
  private valueAt(start: number, end: number, depth: number): AttributeValue {
    if (start < 0) return null;
    this.pos = start;
    let value: AttributeValue = null;
    while (this.pos < end) {
      const tag = this.uint32(end);
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          value = this.string(end);
          break;
        case (2 << 3) | WIRE_VARINT:
          this.varint64(end);
          value = (this.lo | this.hi) !== 0;
          break;
        case (3 << 3) | WIRE_VARINT:
          this.varint64(end);
          value = int64Of(this.lo, this.hi);
          break;
        case (4 << 3) | WIRE_FIXED64:
          value = doubleValue(this.float64(end));
          break;
        case (5 << 3) | WIRE_LEN: {
          const arrayEnd = this.messageEnd(end);
          value = depth > MAX_VALUE_DEPTH ? TOO_DEEP : this.arrayValue(arrayEnd, depth);
          this.pos = arrayEnd;
          break;
        }
        case (6 << 3) | WIRE_LEN: {
          const listEnd = this.messageEnd(end);
          value = depth > MAX_VALUE_DEPTH ? TOO_DEEP : this.kvlistValue(listEnd, depth);
          this.pos = listEnd;
          break;
        }
        case (7 << 3) | WIRE_LEN:
          value = this.base64(end);
          break;
        default:
          this.skip(tag, end);
      }
    }
    return value;
  }

  private arrayValue(end: number, depth: number): AttributeValue[] {
    const values: AttributeValue[] = [];
    while (this.pos < end) {
      const tag = this.uint32(end);
      if (tag === ((1 << 3) | WIRE_LEN)) {
        const itemEnd = this.messageEnd(end);
        values.push(this.valueAt(this.pos, itemEnd, depth + 1));
      } else {
        this.skip(tag, end);
      }
    }
    return values;
  }

  private kvlistValue(end: number, depth: number): Record<string, AttributeValue> {
    const values: Record<string, AttributeValue> = {};
    while (this.pos < end) {
      const tag = this.uint32(end);
      if (tag === ((1 << 3) | WIRE_LEN)) {
        const entryEnd = this.messageEnd(end);
        this.keyValue(entryEnd);
        const key = this.kvKey;
        setOwn(values, key, this.valueAt(this.kvValueStart, this.kvValueEnd, depth + 1));
        this.pos = entryEnd;
      } else {
        this.skip(tag, end);
      }
    }
    return values;
  }

  // ---- wire format primitives ----

  /** A varint's low 32 bits as an unsigned number, having consumed all of it (negative enums take 10 bytes). */
  private uint32(end: number): number {
    const pos = this.pos;
    if (pos < end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64(end);
    return this.lo;
  }

  /** Sets this.lo/this.hi to the varint's two 32-bit halves. */
  private varint64(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw malformed(`varint truncated at byte ${pos}`);
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        this.pos = pos;
        return;
      }
    }
    throw malformed(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A length prefix, checked against the bytes left in the enclosing message. */
  private length(end: number): number {
    const at = this.pos;
    this.varint64(end);
    const left = end - this.pos;
    if (this.hi !== 0 || this.lo > left) {
      const length = this.hi === 0 ? String(this.lo) : 'over 4 GiB';
      throw malformed(`length ${length} at byte ${at} runs past the end of its message (${left} bytes left)`);
    }
    return this.lo;
  }

  /** Reads a length prefix and returns where that embedded message ends. */
  private messageEnd(end: number): number {
    const length = this.length(end);
    return this.pos + length;
  }

  private fixed64(end: number): bigint {
    const pos = this.need(8, end);
    return this.view.getBigUint64(pos, true);
  }

  private float64(end: number): number {
    const pos = this.need(8, end);
    return this.view.getFloat64(pos, true);
  }

  private fixed32(end: number): number {
    const pos = this.need(4, end);
    return this.view.getUint32(pos, true);
  }

  /** Claims `n` bytes and returns where they start. */
  private need(n: number, end: number): number {
    const pos = this.pos;
    if (end - pos < n) throw malformed(`${n}-byte field at byte ${pos} runs past the end of its message`);
    this.pos = pos + n;
    return pos;
  }

  private skip(tag: number, end: number): void {
    if (tag >>> 3 === 0) throw malformed(`field number 0 at byte ${this.pos}`);
    const wireType = tag & 7;
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64(end);
        return;
      case WIRE_FIXED64:
        this.need(8, end);
        return;
      case WIRE_LEN: {
        // Not `this.pos += this.length(end)`: that would read pos before length() moves it past the prefix.
        const length = this.length(end);
        this.pos += length;
        return;
      }
      case WIRE_FIXED32:
        this.need(4, end);
        return;
      case WIRE_GROUP_START:
      case WIRE_GROUP_END:
        throw malformed(`field ${tag >>> 3} uses the group wire type ${wireType}, which OTLP never sends`);
      default:
        throw malformed(`field ${tag >>> 3} has invalid wire type ${wireType}`);
    }
  }

  /** A length-delimited UTF-8 string; invalid sequences become U+FFFD, as OTLP receivers conventionally do. */
  private string(end: number): string {
    const length = this.length(end);
    const start = this.pos;
    this.pos = start + length;
    return this.decodeString(start, length);
  }

  /** A string through the key cache (see keyCacheBytes). */
  private key(end: number): string {
    const length = this.length(end);
    const start = this.pos;
    this.pos = start + length;
    if (length > MAX_CACHED_KEY_BYTES) return this.decodeString(start, length);
    const buf = this.buf;
    let hash = length;
    for (let i = start; i < start + length; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const slot = (hash >>> 0) & (KEY_CACHE_SLOTS - 1);
    const cached = keyCacheBytes[slot];
    if (cached !== undefined && cached.length === length && this.equals(cached, start)) return keyCacheStrings[slot]!;
    const key = this.decodeString(start, length);
    keyCacheBytes[slot] = buf.slice(start, start + length);
    keyCacheStrings[slot] = key;
    return key;
  }

  private equals(bytes: Uint8Array, start: number): boolean {
    const buf = this.buf;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[start + i]) return false;
    return true;
  }

  /**
   * TextDecoder already turns invalid UTF-8 into U+FFFD, so only NUL is left for cleanText to
   * replace; the short ASCII path refuses NUL bytes instead and never needs it.
   */
  private decodeString(start: number, length: number): string {
    if (length <= SHORT_STRING_BYTES) {
      const ascii = this.asciiString(start, start + length);
      if (ascii !== null) return ascii;
    }
    if (length <= MAX_STRING_LENGTH) return cleanText(utf8.decode(this.buf.subarray(start, start + length)));
    return storedString(utf8.decode(this.buf.subarray(start, start + Math.min(length, MAX_STRING_BYTES))));
  }

  /** Null when a byte is not ASCII, or is NUL (which storage does not keep). */
  private asciiString(start: number, stop: number): string | null {
    const buf = this.buf;
    let s = '';
    for (let i = start; i < stop; i++) {
      const b = buf[i]!;
      if (b === 0 || b >= 0x80) return null;
      s += String.fromCharCode(b);
    }
    return s;
  }

  private base64(end: number): string {
    const length = this.length(end);
    const start = this.pos;
    this.pos = start + length;
    const stop = start + Math.min(length, MAX_BASE64_INPUT_BYTES);
    const buf = this.buf;
    let s = '';
    let i = start;
    for (; i + 2 < stop; i += 3) {
      const n = (buf[i]! << 16) | (buf[i + 1]! << 8) | buf[i + 2]!;
      s += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + BASE64[(n >>> 6) & 63]! + BASE64[n & 63]!;
    }
    if (stop - i === 1) {
      const n = buf[i]! << 16;
      s += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + '==';
    } else if (stop - i === 2) {
      const n = (buf[i]! << 16) | (buf[i + 1]! << 8);
      s += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + BASE64[(n >>> 6) & 63]! + '=';
    }
    return s;
  }

  private hex(start: number, length: number): string {
    const buf = this.buf;
    let s = '';
    for (let i = start; i < start + length; i++) s += HEX[buf[i]!]!;
    return s;
  }

  private isZero(start: number, length: number): boolean {
    const buf = this.buf;
    for (let i = start; i < start + length; i++) if (buf[i] !== 0) return false;
    return true;
  }
}

/** Two's-complement int64 halves → a number while exact, else the decimal string. */
function int64Of(lo: number, hi: number): AttributeValue {
  const high = hi | 0;
  // |high| < 2^21 keeps high·2^32 + lo within 2^53, so the arithmetic below is exact.
  if (high >= -0x200000 && high < 0x200000) {
    const n = high * 0x100000000 + lo;
    if (Number.isSafeInteger(n)) return n;
  }
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}
