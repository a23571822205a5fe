// Reads of stored traces: search over trace summaries, one trace's spans, and the catalogue of
// services and operations for the search form.
import { pool } from './client';

export interface TraceSummaryRow {
  trace_id: string;
  start_ns: string;
  end_ns: string;
  start_time: Date;
  span_count: number;
  error_count: number;
  root_service: string | null;
  root_operation: string | null;
  services: string[];
}

export interface TraceSearchFilter {
  from: Date;
  to: Date;
  service?: string;
  operation?: string;
  statusCode?: number;
  minDurationNs?: bigint;
  limit: number;
}

const SUMMARY_COLUMNS = `encode(ts.trace_id, 'hex') AS trace_id, ts.start_ns::text, ts.end_ns::text, ts.start_time, ts.span_count, ts.error_count, ts.root_service, ts.root_operation, ts.services`;

/**
 * Latest traces first. Service, operation and a non-error status match individual spans (a trace
 * qualifies when one of its spans matches all of them); minDuration applies to the whole trace.
 */
export async function searchTraceSummaries(filter: TraceSearchFilter): Promise<TraceSummaryRow[]> {
  const params: unknown[] = [filter.from, filter.to];
  const where = ['ts.start_time >= $1', 'ts.start_time <= $2'];
  if (filter.minDurationNs !== undefined) {
    params.push(filter.minDurationNs.toString());
    where.push(`ts.end_ns - ts.start_ns >= $${params.length}::bigint`);
  }
  const spanFilters: string[] = [];
  const spanParam = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  let serviceParam: string | undefined;
  if (filter.service !== undefined) {
    // The summary's service list narrows the candidates through its GIN index before any span is read.
    serviceParam = spanParam(filter.service);
    where.push(`ts.services @> ARRAY[${serviceParam}::text]`);
  }
  if (filter.operation !== undefined) spanFilters.push(`s.name = ${spanParam(filter.operation)}`);
  if (filter.statusCode !== undefined) {
    // "error" alone, or with just a service... needs the spans only when another span filter applies.
    if (filter.statusCode === 2 && spanFilters.length === 0 && serviceParam === undefined) where.push('ts.error_count > 0');
    else spanFilters.push(`s.status_code = ${spanParam(filter.statusCode)}`);
  }
  // Operation and status must hold on a span of the chosen service, not anywhere in the trace.
  if (spanFilters.length > 0 && serviceParam !== undefined) spanFilters.push(`s.service_name = ${serviceParam}`);
  params.push(filter.limit);
  const limit = `$${params.length}`;
  const sql =
    spanFilters.length === 0
      ? `SELECT ${SUMMARY_COLUMNS} FROM telemetry.trace_summaries ts WHERE ${where.join(' AND ')} ORDER BY ts.start_time DESC LIMIT ${limit}`
      : `SELECT ${SUMMARY_COLUMNS} FROM telemetry.trace_summaries ts
          WHERE ${where.join(' AND ')}
            AND EXISTS (SELECT 1 FROM telemetry.spans s
                         WHERE s.trace_id = ts.trace_id AND s.start_time >= ts.start_time AND s.start_time <= to_timestamp(ts.end_ns / 1e9) + interval '1 millisecond'
                           AND ${spanFilters.join(' AND ')})
          ORDER BY ts.start_time DESC LIMIT ${limit}`;
  const { rows } = await pool().query<TraceSummaryRow>(sql, params);
  return rows;
}

export interface StoredSpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  start_ns: string;
  duration_ns: string;
  service_name: string;
  name: string;
  kind: number;
  status_code: number;
  status_message: string | null;
  scope_name: string | null;
  scope_version: string | null;
  attributes: Record<string, unknown>;
  events: { t: string; name: string; attributes: Record<string, unknown> }[] | null;
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[] | null;
  resource: Record<string, unknown>;
}

/** Every stored span of a trace, in start order; empty when the trace is unknown. */
export async function findTraceSpans(traceIdHex: string): Promise<StoredSpanRow[]> {
  const { rows } = await pool().query<StoredSpanRow>(
    `SELECT encode(s.trace_id, 'hex') AS trace_id, encode(s.span_id, 'hex') AS span_id, encode(s.parent_span_id, 'hex') AS parent_span_id,
            s.start_ns::text, s.duration_ns::text, s.service_name, s.name, s.kind, s.status_code, s.status_message,
            s.scope_name, s.scope_version, s.attributes, s.events, s.links, r.attributes AS resource
       FROM telemetry.trace_summaries ts
       JOIN telemetry.spans s ON s.trace_id = ts.trace_id
            -- the summary bounds every span's start: lets PostgreSQL skip other days' partitions
            AND s.start_time >= ts.start_time AND s.start_time <= to_timestamp(ts.end_ns / 1e9) + interval '1 millisecond'
       LEFT JOIN telemetry.resources r ON r.id = s.resource_id
      WHERE ts.trace_id = decode($1, 'hex')
      ORDER BY s.start_ns, s.span_id`,
    [traceIdHex],
  );
  return rows;
}

export async function listServiceNames(): Promise<string[]> {
  const { rows } = await pool().query<{ service_name: string }>('SELECT DISTINCT service_name FROM telemetry.resources ORDER BY 1 LIMIT 1000');
  return rows.map((r) => r.service_name);
}

export async function listOperationNames(service: string, since: Date): Promise<string[]> {
  const { rows } = await pool().query<{ name: string }>(
    `SELECT name FROM telemetry.operations WHERE service_name = $1 AND last_seen_at >= $2 ORDER BY 1 LIMIT 1000`,
    [service, since],
  );
  return rows.map((r) => r.name);
}
