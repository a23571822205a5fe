// What the OTLP decoders (protobuf and JSON) produce: one flat row per span, ready for storage.
// Pure data, no I/O; ids are lowercase hex, times are exact unix nanoseconds, and strings are already
// in the form PostgreSQL stores them (cleanText: no NUL, no lone surrogates).

/** An OTLP AnyValue as JSON: int64 beyond 2^53 becomes a decimal string, bytes become base64. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface SpanResource {
  /** `service.name`, or "unknown_service" as the OpenTelemetry spec prescribes when it is missing. */
  serviceName: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string | null;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

/** OTLP Span.SpanKind numbers. */
export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKindName = (typeof SPAN_KINDS)[number];
/** OTLP Status.StatusCode numbers. */
export const STATUS_CODES = ['unset', 'ok', 'error'] as const;
export type StatusCodeName = (typeof STATUS_CODES)[number];

export interface SpanRow {
  traceId: string; // 32 hex chars, never all zeros
  spanId: string; // 16 hex chars, never all zeros
  parentSpanId: string | null; // 16 hex chars, or null for a root span
  traceState: string | null;
  flags: number; // uint32, as OTLP sends it
  name: string;
  kind: number; // index into SPAN_KINDS
  startTimeUnixNano: bigint; // 0 < start <= end <= 2^63-1
  endTimeUnixNano: bigint;
  statusCode: number; // index into STATUS_CODES
  statusMessage: string | null;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  scopeName: string | null;
  scopeVersion: string | null;
  /** Shared by every span of the same ResourceSpans (same object), so writers can dedupe cheaply. */
  resource: SpanResource;
}

/** The decoders' result: valid spans, plus how many were refused and why (OTLP partial success). */
export interface DecodedTraces {
  spans: SpanRow[];
  rejectedSpans: number;
  /** Distinct reasons, for ExportTracePartialSuccess.error_message. */
  rejectionReasons: string[];
}

/** The whole request is unusable (not one span can be trusted): answered with 400. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

/** Guards against hostile payloads; beyond these, values are truncated or dropped (and counted). */
export const DECODE_LIMITS = {
  /** Nesting of array/kvlist attribute values. */
  maxValueDepth: 8,
  /** Attributes kept per span, event, link or resource; the rest count as dropped. */
  maxAttributes: 256,
  /** UTF-8 characters kept per string value; longer ones are truncated. */
  maxStringLength: 16_384,
  /** Events and links kept per span. */
  maxEvents: 128,
  maxLinks: 128,
} as const;
