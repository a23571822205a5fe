import type { Actor } from '@/lib/auth/permissions';
import { requirePermission } from '@/lib/auth/guard';
import { findTraceSpans, listOperationNames, listServiceNames, searchTraceSummaries, type StoredSpanRow, type TraceSummaryRow } from '@/lib/db/traces';
import { notFound } from '@/lib/http/errors';
import { SPAN_KINDS, STATUS_CODES } from '@/lib/otlp/span-row';
import type { SpanDto, TraceDto, TraceSearchQuery, TraceSearchResult, TraceSummaryDto } from '@/lib/schemas/traces';

const HOUR_MS = 3_600_000;

/** ISO-8601 with the nanosecond-exact value cut to milliseconds (Date's precision). */
function isoFromNanos(ns: string): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}

function toSummaryDto(row: TraceSummaryRow): TraceSummaryDto {
  return {
    traceId: row.trace_id,
    rootService: row.root_service,
    rootOperation: row.root_operation,
    startTime: row.start_time.toISOString(),
    durationMs: Number(BigInt(row.end_ns) - BigInt(row.start_ns)) / 1e6,
    spanCount: row.span_count,
    errorCount: row.error_count,
    services: row.services,
  };
}

function toSpanDto(row: StoredSpanRow): SpanDto {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: SPAN_KINDS[row.kind] ?? 'unspecified',
    service: row.service_name,
    startTime: isoFromNanos(row.start_ns),
    startTimeUnixNano: row.start_ns,
    durationMs: Number(row.duration_ns) / 1e6,
    statusCode: STATUS_CODES[row.status_code] ?? 'unset',
    statusMessage: row.status_message,
    attributes: row.attributes,
    resource: row.resource ?? {},
    events: (row.events ?? []).map((e) => ({ name: e.name, time: isoFromNanos(e.t), timeUnixNano: e.t, attributes: e.attributes })),
    links: (row.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes })),
    scope: { name: row.scope_name, version: row.scope_version },
  };
}

/** Trace search, latest first; the window defaults to the last hour. */
export async function searchTraces({ actor, query, now = new Date() }: { actor: Actor; query: TraceSearchQuery; now?: Date }): Promise<TraceSearchResult> {
  requirePermission(actor, 'read');
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - HOUR_MS);
  const rows = await searchTraceSummaries({
    from,
    to,
    service: query.service,
    operation: query.operation,
    statusCode: query.status === undefined ? undefined : STATUS_CODES.indexOf(query.status),
    minDurationNs: query.minDuration === undefined ? undefined : BigInt(Math.round(query.minDuration * 1e6)),
    limit: query.limit,
  });
  return { traces: rows.map(toSummaryDto), from: from.toISOString(), to: to.toISOString() };
}

export async function getTrace({ actor, traceId }: { actor: Actor; traceId: string }): Promise<TraceDto> {
  requirePermission(actor, 'read');
  const rows = await findTraceSpans(traceId);
  if (rows.length === 0) throw notFound(`Trace ${traceId} not found: it may not have arrived yet, or is older than the retention period`);
  return { traceId, spans: rows.map(toSpanDto) };
}

export async function listServices({ actor }: { actor: Actor }): Promise<{ services: string[] }> {
  requirePermission(actor, 'read');
  return { services: await listServiceNames() };
}

export async function listOperations({ actor, service, now = new Date() }: { actor: Actor; service: string; now?: Date }): Promise<{ operations: string[] }> {
  requirePermission(actor, 'read');
  return { operations: await listOperationNames(service, new Date(now.getTime() - 24 * HOUR_MS)) };
}
