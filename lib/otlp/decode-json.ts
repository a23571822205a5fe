// OTLP/JSON ExportTraceServiceRequest → SpanRows. Checked by hand rather than with zod: this is the ingest hot path,
// and the OTLP/JSON mapping's leniencies (both key spellings, int64 as string or number, enum names) need code anyway.
import {
  AttributeCollector,
  TOO_DEEP,
  TOP_VALUE_DEPTH,
  doubleValue,
  int64Value,
  isInt64,
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
  SPAN_KINDS,
  STATUS_CODES,
  type AttributeValue,
  type DecodedTraces,
  type SpanEvent,
  type SpanLink,
  type SpanResource,
  type SpanRow,
} from './span-row';

type JsonObject = Record<string, unknown>;

const SPAN_KIND_NAMES: readonly string[] = SPAN_KINDS.map((kind) => `SPAN_KIND_${kind.toUpperCase()}`);
const STATUS_CODE_NAMES: readonly string[] = STATUS_CODES.map((code) => `STATUS_CODE_${code.toUpperCase()}`);
const UINT64_MAX = 2n ** 64n - 1n;
const EMPTY: readonly unknown[] = [];
/** Decimal strings this short always fit a safe integer, so Number() is exact and BigInt can be skipped. */
const SAFE_DECIMAL_DIGITS = 15;

export function decodeTracesJson(text: string): DecodedTraces {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return new JsonTraceReader().read(request);
}

/** Field values are checked where they are read; a type error anywhere refuses the request, prefixed with where it was. */
class JsonTraceReader {
  private readonly spans: SpanRow[] = [];
  private readonly log = new RejectionLog();
  private resourceIndex = -1;
  private scopeIndex = -1;
  private spanIndex = -1;

  read(request: unknown): DecodedTraces {
    if (!isObject(request)) throw new OtlpDecodeError(`the request must be a JSON object, got ${describe(request)}`);
    try {
      const resourceSpans = arrayField(request, 'resourceSpans', 'resource_spans');
      for (let i = 0; i < resourceSpans.length; i++) {
        this.resourceIndex = i;
        this.scopeIndex = -1;
        this.spanIndex = -1;
        this.resourceSpans(objectItem(resourceSpans[i], 'a ResourceSpans'));
      }
    } catch (err) {
      if (err instanceof OtlpDecodeError && this.resourceIndex >= 0) throw new OtlpDecodeError(`${this.where()}: ${err.message}`);
      throw err;
    }
    return this.log.result(this.spans);
  }

  private where(): string {
    let path = `resourceSpans[${this.resourceIndex}]`;
    if (this.scopeIndex >= 0) path += `.scopeSpans[${this.scopeIndex}]`;
    if (this.spanIndex >= 0) path += `.spans[${this.spanIndex}]`;
    return path;
  }

  private resourceSpans(json: JsonObject): void {
    const resource = newResource();
    const resourceJson = objectField(json, 'resource', 'resource');
    if (resourceJson) this.resource(resourceJson, resource);
    const scopeSpans = arrayField(json, 'scopeSpans', 'scope_spans');
    for (let i = 0; i < scopeSpans.length; i++) {
      this.scopeIndex = i;
      this.spanIndex = -1;
      this.scopeSpans(objectItem(scopeSpans[i], 'a ScopeSpans'), resource);
    }
  }

  private resource(json: JsonObject, resource: SpanResource): void {
    const attributes = new AttributeCollector();
    readAttributes(json, attributes);
    completeResource(resource, attributes, uint32Field(json, 'droppedAttributesCount', 'dropped_attributes_count'));
  }

  private scopeSpans(json: JsonObject, resource: SpanResource): void {
    const scope = objectField(json, 'scope', 'scope');
    const scopeName = scope ? nullIfEmpty(stringField(scope, 'name', 'name')) : null;
    const scopeVersion = scope ? nullIfEmpty(stringField(scope, 'version', 'version')) : null;
    const spans = arrayField(json, 'spans', 'spans');
    for (let i = 0; i < spans.length; i++) {
      this.spanIndex = i;
      this.span(objectItem(spans[i], 'a Span'), resource, scopeName, scopeVersion);
    }
  }

  private span(json: JsonObject, resource: SpanResource, scopeName: string | null, scopeVersion: string | null): void {
    const row = newSpanRow(resource, scopeName, scopeVersion);
    const traceId = stringField(json, 'traceId', 'trace_id');
    const spanId = stringField(json, 'spanId', 'span_id');
    const parentId = stringField(json, 'parentSpanId', 'parent_span_id');
    row.traceState = nullIfEmpty(stringField(json, 'traceState', 'trace_state'));
    row.flags = uint32Field(json, 'flags', 'flags');
    row.name = stringField(json, 'name', 'name');
    row.kind = spanKindOf(enumField(json, 'kind', 'kind', SPAN_KIND_NAMES));
    row.startTimeUnixNano = uint64Field(json, 'startTimeUnixNano', 'start_time_unix_nano');
    row.endTimeUnixNano = uint64Field(json, 'endTimeUnixNano', 'end_time_unix_nano');

    const attributes = new AttributeCollector();
    readAttributes(json, attributes);
    const droppedAttributes = uint32Field(json, 'droppedAttributesCount', 'dropped_attributes_count');

    const events = arrayField(json, 'events', 'events');
    const keptEvents = Math.min(events.length, DECODE_LIMITS.maxEvents);
    for (let i = 0; i < keptEvents; i++) row.events.push(readEvent(objectItem(events[i], 'an Event')));
    const droppedEvents = uint32Field(json, 'droppedEventsCount', 'dropped_events_count') + (events.length - keptEvents);

    // Like the protobuf decoder: an unusable link does not take one of the maxLinks places.
    const links = arrayField(json, 'links', 'links');
    for (let i = 0; i < links.length && row.links.length < DECODE_LIMITS.maxLinks; i++) {
      const link = readLink(objectItem(links[i], 'a Link'));
      if (link) row.links.push(link);
    }
    const droppedLinks = uint32Field(json, 'droppedLinksCount', 'dropped_links_count') + (links.length - row.links.length);

    const status = objectField(json, 'status', 'status');
    if (status) {
      row.statusMessage = nullIfEmpty(stringField(status, 'message', 'message'));
      row.statusCode = statusCodeOf(enumField(status, 'code', 'code', STATUS_CODE_NAMES));
    }

    const traceBytes = hexByteLength(traceId);
    const spanBytes = hexByteLength(spanId);
    const parentBytes = hexByteLength(parentId);
    const parentZero = isZeroHex(parentId);
    const problem = spanProblem(
      traceBytes,
      isZeroHex(traceId),
      spanBytes,
      isZeroHex(spanId),
      parentBytes,
      parentZero,
      row.startTimeUnixNano,
      row.endTimeUnixNano,
    );
    if (problem !== null) {
      this.log.reject(spanLocation(this.resourceIndex, this.scopeIndex, this.spanIndex), problem);
      return;
    }
    row.traceId = traceId.toLowerCase();
    row.spanId = spanId.toLowerCase();
    row.parentSpanId = isRootParent(parentBytes, parentZero) ? null : parentId.toLowerCase();
    row.attributes = attributes.values;
    row.droppedAttributesCount = droppedAttributes + attributes.dropped;
    row.droppedEventsCount = droppedEvents;
    row.droppedLinksCount = droppedLinks;
    this.spans.push(row);
  }
}

function readEvent(json: JsonObject): SpanEvent {
  const attributes = new AttributeCollector();
  readAttributes(json, attributes);
  return newEvent(
    uint64Field(json, 'timeUnixNano', 'time_unix_nano'),
    stringField(json, 'name', 'name'),
    attributes,
    uint32Field(json, 'droppedAttributesCount', 'dropped_attributes_count'),
  );
}

/** Null when its ids cannot name a span. */
function readLink(json: JsonObject): SpanLink | null {
  const traceId = stringField(json, 'traceId', 'trace_id');
  const spanId = stringField(json, 'spanId', 'span_id');
  if (!isUsableLinkId(hexByteLength(traceId), isZeroHex(traceId), hexByteLength(spanId), isZeroHex(spanId))) return null;
  const attributes = new AttributeCollector();
  readAttributes(json, attributes);
  return newLink(
    traceId.toLowerCase(),
    spanId.toLowerCase(),
    stringField(json, 'traceState', 'trace_state'),
    attributes,
    uint32Field(json, 'droppedAttributesCount', 'dropped_attributes_count'),
    uint32Field(json, 'flags', 'flags'),
  );
}

function readAttributes(json: JsonObject, attributes: AttributeCollector): void {
  const list = arrayField(json, 'attributes', 'attributes');
  for (let i = 0; i < list.length; i++) {
    const keyValue = objectItem(list[i], 'a KeyValue');
    const key = stringField(keyValue, 'key', 'key');
    if (attributes.admit(key)) attributes.set(key, anyValue(keyValue.value, TOP_VALUE_DEPTH));
  }
}

/** The first recognised value field wins; an AnyValue with none (or null) is an empty value. */
function anyValue(json: unknown, depth: number): AttributeValue {
  if (json === undefined || json === null) return null;
  if (!isObject(json)) throw typeError('an AnyValue', 'an object', json);
  for (const key in json) {
    const value = json[key];
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'stringValue':
      case 'string_value':
        if (typeof value !== 'string') throw typeError(key, 'a string', value);
        return storedString(value);
      case 'boolValue':
      case 'bool_value':
        if (typeof value !== 'boolean') throw typeError(key, 'a boolean', value);
        return value;
      case 'intValue':
      case 'int_value':
        return int64Of(value, key);
      case 'doubleValue':
      case 'double_value':
        return doubleOf(value, key);
      case 'arrayValue':
      case 'array_value':
        return depth > DECODE_LIMITS.maxValueDepth ? TOO_DEEP : arrayValue(value, key, depth);
      case 'kvlistValue':
      case 'kvlist_value':
        return depth > DECODE_LIMITS.maxValueDepth ? TOO_DEEP : kvlistValue(value, key, depth);
      case 'bytesValue':
      case 'bytes_value':
        if (typeof value !== 'string') throw typeError(key, 'a base64 string', value);
        return storedString(value);
    }
  }
  return null;
}

function arrayValue(json: unknown, field: string, depth: number): AttributeValue[] {
  if (!isObject(json)) throw typeError(field, 'an object', json);
  const items = arrayField(json, 'values', 'values');
  const values: AttributeValue[] = new Array<AttributeValue>(items.length);
  for (let i = 0; i < items.length; i++) values[i] = anyValue(items[i], depth + 1);
  return values;
}

function kvlistValue(json: unknown, field: string, depth: number): Record<string, AttributeValue> {
  if (!isObject(json)) throw typeError(field, 'an object', json);
  const entries = arrayField(json, 'values', 'values');
  const values: Record<string, AttributeValue> = {};
  for (let i = 0; i < entries.length; i++) {
    const keyValue = objectItem(entries[i], 'a KeyValue');
    setOwn(values, stringField(keyValue, 'key', 'key'), anyValue(keyValue.value, depth + 1));
  }
  return values;
}

/** int64 arrives as a decimal string (the mapping's form) or, from lenient senders, a JSON number. */
function int64Of(value: unknown, field: string): AttributeValue {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    if (Number.isInteger(value) && isInt64(BigInt(value))) return BigInt(value).toString();
  } else if (typeof value === 'string' && isDecimal(value, true)) {
    if (value.length <= SAFE_DECIMAL_DIGITS) return Number(value);
    const n = BigInt(value);
    if (isInt64(n)) return int64Value(n);
  }
  throw typeError(field, 'an int64 (decimal string or integer)', value);
}

function doubleOf(value: unknown, field: string): AttributeValue {
  if (typeof value === 'number') return doubleValue(value);
  if (typeof value === 'string') {
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isNaN(n)) return doubleValue(n);
  }
  throw typeError(field, 'a number', value);
}

// ---- field access: the mapping uses lowerCamelCase, but receivers must also accept the proto field names ----

function field(json: JsonObject, camel: string, snake: string): unknown {
  const value = json[camel];
  return value === undefined && camel !== snake ? json[snake] : value;
}

function stringField(json: JsonObject, camel: string, snake: string): string {
  const value = field(json, camel, snake);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw typeError(camel, 'a string', value);
  return storedString(value);
}

function arrayField(json: JsonObject, camel: string, snake: string): readonly unknown[] {
  const value = field(json, camel, snake);
  if (value === undefined || value === null) return EMPTY;
  if (!Array.isArray(value)) throw typeError(camel, 'an array', value);
  return value;
}

function objectField(json: JsonObject, camel: string, snake: string): JsonObject | null {
  const value = field(json, camel, snake);
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw typeError(camel, 'an object', value);
  return value;
}

function objectItem(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw typeError(`each item that should be ${what}`, 'an object', value);
  return value;
}

function uint32Field(json: JsonObject, camel: string, snake: string): number {
  const value = field(json, camel, snake);
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && isDecimal(value, false) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) return n;
  throw typeError(camel, 'a uint32', value);
}

/** Nanosecond timestamps: decimal strings per the mapping, numbers from lenient senders (exact up to 2^53). */
function uint64Field(json: JsonObject, camel: string, snake: string): bigint {
  const value = field(json, camel, snake);
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && isDecimal(value, false)) {
    const n = BigInt(value);
    if (n <= UINT64_MAX) return n;
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    const n = BigInt(value);
    if (n <= UINT64_MAX) return n;
  }
  throw typeError(camel, 'a uint64 (decimal string or integer)', value);
}

/** The enum's number, or -1 for a name it does not know (the caller maps out-of-range values to 0). */
function enumField(json: JsonObject, camel: string, snake: string, names: readonly string[]): number {
  const value = field(json, camel, snake);
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return isDecimal(value, true) ? Number(value) : names.indexOf(value);
  throw typeError(camel, 'an enum number or name', value);
}

// ---- small predicates ----

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Digits only (optionally one leading minus), at most 20 of them, so BigInt() cannot be fed a huge string. */
function isDecimal(s: string, allowMinus: boolean): boolean {
  const start = allowMinus && s.charCodeAt(0) === 45 ? 1 : 0;
  if (s.length === start || s.length - start > 20) return false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Bytes an id's hex stands for, or -1 when it is not hex of even length (either case of a–f is accepted). */
function hexByteLength(s: string): number {
  if (s.length % 2 !== 0) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return -1;
  }
  return s.length / 2;
}

function isZeroHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

function typeError(what: string, expected: string, got: unknown): OtlpDecodeError {
  return new OtlpDecodeError(`${what} must be ${expected}, got ${describe(got)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
