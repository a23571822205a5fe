// Attribute values and limits shared by the protobuf and JSON decoders, so both map OTLP AnyValues identically.
import { cleanText } from '@/lib/db/copy-text';
import { DECODE_LIMITS, type AttributeValue, type Attributes } from './span-row';

/** Stands in for an array/kvlist nested deeper than DECODE_LIMITS.maxValueDepth. */
export const TOO_DEEP = '[too deep]';

/** Depth of an attribute's own value; a container at a depth above DECODE_LIMITS.maxValueDepth becomes TOO_DEEP. */
export const TOP_VALUE_DEPTH = 1;

const UNKNOWN_SERVICE = 'unknown_service';
// Read once: a bundler may turn every DECODE_LIMITS.x on the hot path into a getter call.
const MAX_ATTRIBUTES = DECODE_LIMITS.maxAttributes;
const MAX_STRING_LENGTH = DECODE_LIMITS.maxStringLength;

/**
 * Sets an own property even for the key "__proto__", which plain assignment would turn into a prototype change
 * (a hostile payload could otherwise smuggle an object into every lookup on the attributes).
 */
export function setOwn(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Builds the attributes of one span, event, link or resource: last duplicate wins, and keys beyond
 * DECODE_LIMITS.maxAttributes are counted instead of kept. Call admit(key) before decoding the value,
 * so a flood of attributes costs no value decoding.
 */
export class AttributeCollector {
  readonly values: Attributes = {};
  dropped = 0;
  private size = 0;

  /** Whether the value for `key` will be kept; false counts it as dropped. */
  admit(key: string): boolean {
    if (Object.hasOwn(this.values, key)) return true;
    if (this.size < MAX_ATTRIBUTES) {
      this.size++;
      return true;
    }
    this.dropped++;
    return false;
  }

  /** Only after admit(key) returned true. */
  set(key: string, value: AttributeValue): void {
    setOwn(this.values, key, value);
  }
}

/**
 * Keeps at most DECODE_LIMITS.maxStringLength code points. Counting code points (not UTF-16 units) means the cut
 * never splits a surrogate pair and both decoders agree on where it falls.
 */
export function truncateString(s: string): string {
  const max = MAX_STRING_LENGTH;
  if (s.length <= max) return s;
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i >= s.length ? s : s.slice(0, i);
}

/**
 * A decoded string in the form storage keeps: cut to DECODE_LIMITS.maxStringLength, NUL and lone
 * surrogates made U+FFFD (cleanText). Canonical from the decoder on, two strings PostgreSQL would
 * store alike are equal everywhere downstream (dedupe maps, upsert keys, COPY rows).
 */
export function storedString(s: string): string {
  return cleanText(truncateString(s));
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function isInt64(n: bigint): boolean {
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** int64 as JSON: a number while exact, else its decimal string (JSON numbers lose precision past 2^53). */
export function int64Value(n: bigint): AttributeValue {
  const asNumber = Number(n);
  return Number.isSafeInteger(asNumber) ? asNumber : n.toString();
}

/** NaN and ±Infinity have no JSON number form, so they become the strings OTLP/JSON itself uses. */
export function doubleValue(d: number): AttributeValue {
  if (Number.isFinite(d)) return d;
  return Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity';
}

/** `service.name` as the OpenTelemetry resource semantic conventions define it, with the spec's fallback. */
export function serviceNameOf(attributes: Attributes): string {
  const name = Object.hasOwn(attributes, 'service.name') ? attributes['service.name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}
