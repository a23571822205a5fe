// Row construction, span validation and rejection bookkeeping shared by both decoders, so a span is accepted
// or refused for the same reasons whichever encoding carried it.
import { serviceNameOf, type AttributeCollector } from './attributes';
import {
  SPAN_KINDS,
  STATUS_CODES,
  type DecodedTraces,
  type SpanEvent,
  type SpanLink,
  type SpanResource,
  type SpanRow,
} from './span-row';

/** Detailed reasons kept per request; the partial-success message only needs a sample. */
const MAX_REJECTION_REASONS = 10;

/**
 * OTLP times are uint64, but storage keeps start, duration and trace end as PostgreSQL bigint: with
 * 0 < start <= end <= 2^63-1, every one of them fits (2^63-1 ns is the year 2262).
 */
const MAX_STORED_NANOS = 2n ** 63n - 1n;

export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

export function newResource(): SpanResource {
  return { serviceName: serviceNameOf({}), attributes: {}, droppedAttributesCount: 0 };
}

/** Called once the whole ResourceSpans is read: its resource may follow the spans on the wire. */
export function completeResource(resource: SpanResource, attributes: AttributeCollector, declaredDropped: number): void {
  resource.attributes = attributes.values;
  resource.droppedAttributesCount = declaredDropped + attributes.dropped;
  resource.serviceName = serviceNameOf(attributes.values);
}

/** Every row starts from this one literal so both decoders hand storage objects of a single shape. */
export function newSpanRow(resource: SpanResource, scopeName: string | null, scopeVersion: string | null): SpanRow {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: null,
    traceState: null,
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    statusCode: 0,
    statusMessage: null,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    scopeName,
    scopeVersion,
    resource,
  };
}

export function newEvent(timeUnixNano: bigint, name: string, attributes: AttributeCollector, declaredDropped: number): SpanEvent {
  return { timeUnixNano, name, attributes: attributes.values, droppedAttributesCount: declaredDropped + attributes.dropped };
}

export function newLink(
  traceId: string,
  spanId: string,
  traceState: string,
  attributes: AttributeCollector,
  declaredDropped: number,
  flags: number,
): SpanLink {
  return {
    traceId,
    spanId,
    traceState: nullIfEmpty(traceState),
    attributes: attributes.values,
    droppedAttributesCount: declaredDropped + attributes.dropped,
    flags,
  };
}

export function nullIfEmpty(s: string): string | null {
  return s === '' ? null : s;
}

/** Unknown enum numbers fall back to "unspecified"/"unset" rather than refusing the span. */
export function spanKindOf(n: number): number {
  return Number.isInteger(n) && n >= 0 && n < SPAN_KINDS.length ? n : 0;
}

export function statusCodeOf(n: number): number {
  return Number.isInteger(n) && n >= 0 && n < STATUS_CODES.length ? n : 0;
}

/** OTLP treats an empty or all-zero parent as "no parent". */
export function isRootParent(bytes: number, isZero: boolean): boolean {
  return bytes === 0 || (bytes === SPAN_ID_BYTES && isZero);
}

/** A link whose ids could not name a span is useless to the trace view, so it is dropped (and counted). */
export function isUsableLinkId(traceBytes: number, traceZero: boolean, spanBytes: number, spanZero: boolean): boolean {
  return traceBytes === TRACE_ID_BYTES && !traceZero && spanBytes === SPAN_ID_BYTES && !spanZero;
}

/**
 * Why a span cannot be stored, or null. Ids are described by their byte length (-1: not hex, JSON only)
 * so the protobuf decoder can check them before spending time on hex.
 */
export function spanProblem(
  traceBytes: number,
  traceZero: boolean,
  spanBytes: number,
  spanZero: boolean,
  parentBytes: number,
  parentZero: boolean,
  start: bigint,
  end: bigint,
): string | null {
  const traceProblem = idProblem('trace_id', traceBytes, traceZero, TRACE_ID_BYTES);
  if (traceProblem) return traceProblem;
  const spanIdProblem = idProblem('span_id', spanBytes, spanZero, SPAN_ID_BYTES);
  if (spanIdProblem) return spanIdProblem;
  if (!isRootParent(parentBytes, parentZero) && parentBytes !== SPAN_ID_BYTES) {
    return parentBytes < 0 ? 'parent_span_id is not a hex string' : `parent_span_id must be ${SPAN_ID_BYTES} bytes, got ${parentBytes}`;
  }
  if (start === 0n) return 'start_time_unix_nano is 0';
  if (start > MAX_STORED_NANOS) return `start_time_unix_nano ${start} is out of range (at most 2^63-1)`;
  if (end < start) return `end_time_unix_nano ${end} is before start_time_unix_nano ${start}`;
  if (end > MAX_STORED_NANOS) return `end_time_unix_nano ${end} is out of range (at most 2^63-1)`;
  return null;
}

function idProblem(field: string, bytes: number, isZero: boolean, expected: number): string | null {
  if (bytes < 0) return `${field} is not a hex string`;
  if (bytes !== expected) return `${field} must be ${expected} bytes, got ${bytes}`;
  return isZero ? `${field} is all zeros` : null;
}

/** The OTLP partial-success bookkeeping of one request. */
export class RejectionLog {
  rejected = 0;
  readonly reasons: string[] = [];

  reject(where: string, problem: string): void {
    this.rejected++;
    if (this.reasons.length < MAX_REJECTION_REASONS) this.reasons.push(`${where}: ${problem}`);
  }

  result(spans: SpanRow[]): DecodedTraces {
    const reasons = this.reasons;
    const unlisted = this.rejected - reasons.length;
    if (unlisted > 0) reasons.push(`and ${unlisted} more rejected span${unlisted === 1 ? '' : 's'}`);
    return { spans, rejectedSpans: this.rejected, rejectionReasons: reasons };
  }
}

/** Where a span sits in the request, in the field names of the OTLP/JSON mapping (also used for protobuf). */
export function spanLocation(resourceIndex: number, scopeIndex: number, spanIndex: number): string {
  return `resourceSpans[${resourceIndex}].scopeSpans[${scopeIndex}].spans[${spanIndex}]`;
}
