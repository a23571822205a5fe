// Rollup storage: service and edge aggregates per 10 s, minute and hour, and the edge candidates
// waiting to be paired. Written in the ingest transaction (so a span counts exactly once) and by the worker.
// Names are written as given: they come from SpanRows, already in stored form (lib/otlp/span-row.ts).
import type pg from 'pg';
import { edgeBucketsOf, serviceBucketsOf, type EdgeCandidate, type Grain, type EdgeBucket, type EdgeTotals, type RollupInputs, type ServiceBucket } from '@/lib/rollup/span-facts';
import { pool } from './client';

const hex = (s: string | null) => (s === null ? null : s);

const TABLES = {
  fine: { services: 'telemetry.service_fine', edges: 'telemetry.edge_fine', column: 'bucket' },
  minute: { services: 'telemetry.service_minutes', edges: 'telemetry.edge_minutes', column: 'minute' },
  hour: { services: 'telemetry.service_hours', edges: 'telemetry.edge_hours', column: 'hour' },
} as const;
async function upsertServiceBuckets(client: pg.ClientBase, rows: readonly ServiceBucket[], grain: Grain): Promise<void> {
  if (rows.length === 0) return;
  const t = TABLES[grain];
  // Sorted so concurrent writers lock rows in the same order (no deadlocks between replicas).
  const sorted = [...rows].sort((a, b) => a.service.localeCompare(b.service) || a.bucket - b.bucket);
  await client.query(
    `INSERT INTO ${t.services} AS m (${t.column}, service, requests, errors, hist, instances)
     SELECT to_timestamp(r.bucket / 1000.0), r.service, r.requests, r.errors, string_to_array(r.hist, ',')::bigint[],
            COALESCE(string_to_array(r.instances, chr(31)), '{}')
       FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS r(bucket, service, requests, errors, hist, instances)
     ON CONFLICT (service, ${t.column}) DO UPDATE SET
       requests = m.requests + EXCLUDED.requests,
       errors = m.errors + EXCLUDED.errors,
       hist = telemetry.hist_add(m.hist, EXCLUDED.hist),
       instances = CASE WHEN EXCLUDED.instances <@ m.instances THEN m.instances
                        ELSE ARRAY(SELECT DISTINCT i FROM unnest(m.instances || EXCLUDED.instances) AS i ORDER BY i) END`,
    [
      sorted.map((r) => r.bucket),
      sorted.map((r) => r.service),
      sorted.map((r) => r.requests),
      sorted.map((r) => r.errors),
      sorted.map((r) => r.hist.join(',')),
      // Unit-separator joined, so the separator is taken out of the names first.
      sorted.map((r) => (r.instances.size === 0 ? null : [...r.instances].sort().map((i) => i.replaceAll('\u001f', ' ')).join('\u001f'))),
    ],
  );
}

async function upsertEdgeBuckets(client: pg.ClientBase, rows: readonly EdgeBucket[], grain: Grain): Promise<void> {
  if (rows.length === 0) return;
  const t = TABLES[grain];
  const sorted = [...rows].sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target) || a.bucket - b.bucket);
  await client.query(
    `INSERT INTO ${t.edges} AS e (${t.column}, source, target, target_kind, requests, errors, timeouts, retries, hist, lag_hist)
     SELECT to_timestamp(r.bucket / 1000.0), r.source, r.target, r.kind, r.requests, r.errors, r.timeouts, r.retries,
            string_to_array(r.hist, ',')::bigint[], string_to_array(r.lag_hist, ',')::bigint[]
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::text[])
            AS r(bucket, source, target, kind, requests, errors, timeouts, retries, hist, lag_hist)
     ON CONFLICT (source, target, ${t.column}) DO UPDATE SET
       -- A call that never reached an instrumented callee names it as a leaf; once the callee is
       -- seen answering, the edge is a service edge.
       target_kind = CASE WHEN EXCLUDED.target_kind = 'service' THEN 'service' ELSE e.target_kind END,
       requests = e.requests + EXCLUDED.requests,
       errors = e.errors + EXCLUDED.errors,
       timeouts = e.timeouts + EXCLUDED.timeouts,
       retries = e.retries + EXCLUDED.retries,
       hist = telemetry.hist_add(e.hist, EXCLUDED.hist),
       lag_hist = telemetry.hist_add(e.lag_hist, EXCLUDED.lag_hist)`,
    [
      sorted.map((r) => r.bucket),
      sorted.map((r) => r.source),
      sorted.map((r) => r.target),
      sorted.map((r) => r.targetKind),
      sorted.map((r) => r.requests),
      sorted.map((r) => r.errors),
      sorted.map((r) => r.timeouts),
      sorted.map((r) => r.retries),
      sorted.map((r) => r.hist.join(',')),
      sorted.map((r) => r.lagHist?.join(',') ?? null),
    ],
  );
}

async function insertCandidates(client: pg.ClientBase, rows: readonly EdgeCandidate[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO telemetry.edge_candidates (role, trace_id, span_id, parent_span_id, service, bucket, start_us, duration_us, is_error, is_timeout, resend, peer, peer_kind)
     SELECT r.role, decode(r.trace_id, 'hex'), decode(r.span_id, 'hex'), decode(r.parent_span_id, 'hex'), r.service, to_timestamp(r.bucket / 1000.0),
            r.start_us, r.duration_us, r.is_error, r.is_timeout, r.resend, r.peer, r.peer_kind
       FROM unnest($1::smallint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bool[], $10::bool[], $11::int[], $12::text[], $13::text[])
            AS r(role, trace_id, span_id, parent_span_id, service, bucket, start_us, duration_us, is_error, is_timeout, resend, peer, peer_kind)`,
    [
      rows.map((r) => r.role),
      rows.map((r) => r.traceId),
      rows.map((r) => r.spanId),
      rows.map((r) => hex(r.parentSpanId)),
      rows.map((r) => r.service),
      rows.map((r) => r.bucket),
      rows.map((r) => r.startUs),
      rows.map((r) => r.durationUs),
      rows.map((r) => r.isError),
      rows.map((r) => r.isTimeout),
      rows.map((r) => r.resend),
      rows.map((r) => r.peer),
      rows.map((r) => r.peerKind),
    ],
  );
}

/** Part of the ingest transaction: what newly stored spans add to the rollups. */
export async function writeRollupInputs(client: pg.ClientBase, inputs: RollupInputs): Promise<void> {
  await writeServices(client, inputs.services);
  await writeEdges(client, inputs.edges);
  await insertCandidates(client, inputs.candidates);
}

/** Service 10 s buckets, and the same requests in their minutes and hours. */
export async function writeServices(client: pg.ClientBase, services: readonly ServiceBucket[]): Promise<void> {
  await upsertServiceBuckets(client, services, 'fine');
  await upsertServiceBuckets(client, serviceBucketsOf(services, 'minute'), 'minute');
  await upsertServiceBuckets(client, serviceBucketsOf(services, 'hour'), 'hour');
}

/** Edge 10 s buckets, and the same calls in their minutes and hours. */
export async function writeEdges(client: pg.ClientBase, edges: readonly EdgeBucket[]): Promise<void> {
  await upsertEdgeBuckets(client, edges, 'fine');
  await upsertEdgeBuckets(client, edgeBucketsOf(edges, 'minute'), 'minute');
  await upsertEdgeBuckets(client, edgeBucketsOf(edges, 'hour'), 'hour');
}

/** A waiting caller as the worker hands it on, with the callee's service once found. */
export type CallerRow = Omit<EdgeCandidate, 'role' | 'parentSpanId'> & { calleeService: string | null };

const CALLER_COLUMNS = `encode(c.trace_id, 'hex') AS "traceId", encode(c.span_id, 'hex') AS "spanId", c.service,
  (extract(epoch FROM c.bucket) * 1000)::float8 AS bucket, c.start_us::float8 AS "startUs", c.duration_us::float8 AS "durationUs",
  c.is_error AS "isError", c.is_timeout AS "isTimeout", c.resend, c.peer, c.peer_kind AS "peerKind"`;

/**
 * One pass of the pairing worker, in one transaction: takes callers whose callee span is now
 * stored, and callers that waited longer than `graceMs`, out of the candidates, hands them to
 * `toEdges`, and stores the resulting edge buckets. Returns how many calls were counted.
 */
export async function drainEdgeCandidates(
  graceMs: number,
  limit: number,
  toEdges: (callers: CallerRow[]) => EdgeBucket[],
): Promise<{ paired: number; leaves: number }> {
  return inRawTransaction(async (client) => {
    // A waiting caller's callee is a stored SERVER span whose parent is the caller's span: found
    // through the span table's primary key (trace id first), however late either half arrived.
    const paired = await client.query<CallerRow>(
      `WITH pairs AS (
         SELECT c.id, callee.service_name
           FROM telemetry.edge_candidates c
           JOIN LATERAL (SELECT s.service_name FROM telemetry.spans s
                          WHERE s.trace_id = c.trace_id AND s.parent_span_id = c.span_id AND s.kind = 2 LIMIT 1) callee ON true
          WHERE c.role = 1
          ORDER BY c.id
          LIMIT $1
       )
       DELETE FROM telemetry.edge_candidates c USING pairs WHERE c.id = pairs.id
       RETURNING ${CALLER_COLUMNS}, pairs.service_name AS "calleeService"`,
      [limit],
    );
    const stale = await client.query<CallerRow>(
      `DELETE FROM telemetry.edge_candidates c
        WHERE c.id IN (SELECT id FROM telemetry.edge_candidates WHERE role = 1 AND arrived_at < now() - make_interval(secs => $1 / 1000.0) ORDER BY id LIMIT $2)
       RETURNING ${CALLER_COLUMNS}, NULL::text AS "calleeService"`,
      [graceMs, limit],
    );
    await writeEdges(client, toEdges([...paired.rows, ...stale.rows]));
    return { paired: paired.rows.length, leaves: stale.rows.length };
  });
}

/** Removes the rollups (all grains) in [from, to), which must be whole hours (before a rebuild). */
export async function deleteRollupsInRange(client: pg.ClientBase, from: Date, to: Date): Promise<void> {
  await client.query('DELETE FROM telemetry.service_fine WHERE bucket >= $1 AND bucket < $2', [from, to]);
  await client.query('DELETE FROM telemetry.edge_fine WHERE bucket >= $1 AND bucket < $2', [from, to]);
  await client.query('DELETE FROM telemetry.service_minutes WHERE minute >= $1 AND minute < $2', [from, to]);
  await client.query('DELETE FROM telemetry.edge_minutes WHERE minute >= $1 AND minute < $2', [from, to]);
  await client.query('DELETE FROM telemetry.service_hours WHERE hour >= $1 AND hour < $2', [from, to]);
  await client.query('DELETE FROM telemetry.edge_hours WHERE hour >= $1 AND hour < $2', [from, to]);
}

/** Drops minute and hour rollups older than `cutoff`, and 10 s rollups older than `fineCutoff`. */
export async function deleteRollupsBefore(cutoff: Date, fineCutoff: Date): Promise<number> {
  let deleted = 0;
  const tables = [['service_fine', 'bucket', fineCutoff], ['edge_fine', 'bucket', fineCutoff], ['service_minutes', 'minute', cutoff], ['edge_minutes', 'minute', cutoff], ['service_hours', 'hour', cutoff], ['edge_hours', 'hour', cutoff]] as const;
  for (const [table, column, before] of tables) {
    deleted += (await pool().query(`DELETE FROM telemetry.${table} WHERE ${column} < $1`, [before])).rowCount ?? 0;
  }
  return deleted;
}

export interface StoredServiceMinute {
  minute: string;
  service: string;
  requests: number;
  errors: number;
  hist: number[];
  instances: string[];
}

export type StoredEdgeMinute = EdgeTotals & { minute: string };

/** Every stored row of each grain in [from, to), in a stable order (rebuild checks, debugging). */
export async function readRollups(
  from: Date,
  to: Date,
): Promise<{ services: StoredServiceMinute[]; edges: StoredEdgeMinute[]; serviceHours: StoredServiceMinute[]; edgeHours: StoredEdgeMinute[]; serviceFine: StoredServiceMinute[]; edgeFine: StoredEdgeMinute[] }> {
  const read = async (grain: Grain) => {
    const t = TABLES[grain];
    const services = await pool().query<StoredServiceMinute>(
      `SELECT to_char(${t.column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS minute, service, requests::float8 AS requests, errors::float8 AS errors,
              hist::float8[] AS hist, instances
         FROM ${t.services} WHERE ${t.column} >= $1 AND ${t.column} < $2 ORDER BY service, ${t.column}`,
      [from, to],
    );
    const edges = await pool().query<StoredEdgeMinute>(
      `SELECT to_char(${t.column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS minute, source, target, target_kind AS "targetKind",
              requests::float8 AS requests, errors::float8 AS errors, timeouts::float8 AS timeouts, retries::float8 AS retries,
              hist::float8[] AS hist, lag_hist::float8[] AS "lagHist"
         FROM ${t.edges} WHERE ${t.column} >= $1 AND ${t.column} < $2 ORDER BY source, target, ${t.column}`,
      [from, to],
    );
    return { services: services.rows, edges: edges.rows };
  };
  const minutes = await read('minute');
  const hours = await read('hour');
  const fine = await read('fine');
  return { ...minutes, serviceHours: hours.services, edgeHours: hours.edges, serviceFine: fine.services, edgeFine: fine.edges };
}

/**
 * Streams the raw spans that started in [from, to) to `onRows` in pages, inside one read-only
 * transaction (a cursor), for rebuilds.
 */
export async function forEachStoredSpanPage(
  from: Date,
  to: Date,
  pageSize: number,
  onRows: (rows: StoredSpanForRollup[]) => void,
): Promise<void> {
  const client = await pool().connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(
      `DECLARE rollup_spans NO SCROLL CURSOR FOR
         SELECT encode(trace_id, 'hex') AS "traceId", encode(span_id, 'hex') AS "spanId", encode(parent_span_id, 'hex') AS "parentSpanId",
                s.service_name AS service, kind, status_code AS "statusCode", status_message AS "statusMessage",
                start_ns::text AS "startNs", duration_ns::text AS "durationNs", s.attributes, events,
                r.attributes AS "resourceAttributes"
           FROM telemetry.spans s LEFT JOIN telemetry.resources r ON r.id = s.resource_id
          WHERE start_time >= $1 AND start_time < $2`,
      [from, to],
    );
    for (;;) {
      const { rows } = await client.query<StoredSpanForRollup>(`FETCH ${Math.floor(pageSize)} FROM rollup_spans`);
      if (rows.length === 0) break;
      onRows(rows);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export interface StoredSpanForRollup {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  kind: number;
  statusCode: number;
  statusMessage: string | null;
  startNs: string;
  durationNs: string;
  attributes: Record<string, unknown> | null;
  events: Array<{ name: string; attributes?: Record<string, unknown> }> | null;
  resourceAttributes: Record<string, unknown> | null;
}

/** Runs `work` in one transaction on a pooled connection (the pairing worker's pass, a rebuild's delete-and-write). */
export async function inRawTransaction<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = await pool().connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Callers still waiting for their callee (or their grace period) in the pairing worker's queue. */
export async function countEdgeCandidates(): Promise<number> {
  const { rows } = await pool().query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry.edge_candidates');
  return rows[0]!.n;
}
