// Span storage: daily partitions, the COPY writer with group-commit-friendly batches, and the
// per-trace summaries the search reads. Raw pg on purpose: this is the ingest hot path.
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SpanResource, SpanRow } from '@/lib/otlp/span-row';
import { env } from '@/lib/config/env';
import { rollupInputsOf } from '@/lib/rollup/span-facts';
import { pool } from './client';
import { copyHexBytea, copyJsonb, copyText, nanosToTimestamp, toJsonbText } from './copy-text';
import { writeRollupInputs } from './rollups';

const DAY_MS = 86_400_000;

/** UTC day start (ms) of a time. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function partitionName(dayMs: number): string {
  return `spans_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

const knownPartitions = new Set<number>();

/** Creates the daily partitions covering these day starts, once per process per day. */
export async function ensureSpanPartitions(days: Iterable<number>, client?: pg.ClientBase): Promise<void> {
  for (const day of days) {
    if (knownPartitions.has(day)) continue;
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    const sql = `CREATE TABLE IF NOT EXISTS telemetry.${partitionName(day)} PARTITION OF telemetry.spans FOR VALUES FROM ('${from}') TO ('${to}')`;
    try {
      await (client ?? pool()).query(sql);
    } catch (err) {
      // Two writers creating the same partition at once: the loser sees a duplicate; both are fine.
      if (!['42P07', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
    }
    knownPartitions.add(day);
  }
}

/** Drops partitions wholly before `cutoff` and trace summaries that started before it. */
export async function dropSpanPartitionsBefore(cutoff: Date): Promise<string[]> {
  const { rows } = await pool().query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
      WHERE n.nspname = 'telemetry' AND p.relname = 'spans'`,
  );
  const dropped: string[] = [];
  for (const { name } of rows) {
    const match = /^spans_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!match) continue;
    const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (day + DAY_MS <= cutoff.getTime()) {
      await pool().query(`DROP TABLE IF EXISTS telemetry.${name}`);
      knownPartitions.delete(day);
      dropped.push(name);
    }
  }
  await pool().query('DELETE FROM telemetry.trace_summaries WHERE start_time < $1', [cutoff]);
  return dropped;
}

const resourceIds = new WeakMap<SpanResource, { id: string; json: string }>();
const storedResources = new Set<string>();

function resourceKey(resource: SpanResource): { id: string; json: string } {
  let key = resourceIds.get(resource);
  if (!key) {
    const json = toJsonbText(resource.attributes);
    key = { id: createHash('md5').update(resource.serviceName).update('\0').update(json).digest('hex'), json };
    resourceIds.set(resource, key);
  }
  return key;
}

async function storeResources(client: pg.ClientBase, spans: readonly SpanRow[]): Promise<void> {
  const fresh = new Map<string, { service: string; json: string }>();
  for (const span of spans) {
    const { id, json } = resourceKey(span.resource);
    if (!storedResources.has(id) && !fresh.has(id)) fresh.set(id, { service: span.resource.serviceName, json });
  }
  if (fresh.size === 0) return;
  const ids = [...fresh.keys()].sort();
  await client.query(
    `INSERT INTO telemetry.resources (id, service_name, attributes)
     SELECT decode(id, 'hex'), service_name, attributes::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) AS r(id, service_name, attributes)
     ON CONFLICT (id) DO NOTHING`,
    [ids, ids.map((id) => fresh.get(id)!.service), ids.map((id) => fresh.get(id)!.json)],
  );
  // Added to storedResources only after the transaction commits (see writeSpanBatch).
}

const OPERATION_REFRESH_MS = 5 * 60_000;
const operationsSeen = new Map<string, number>();

/** Records (service, span name) pairs for the search form, each at most every few minutes per process. */
async function storeOperations(client: pg.ClientBase, spans: readonly SpanRow[], now: number): Promise<string[]> {
  // Names arrive as PostgreSQL stores them (SpanRow), so two that would be stored alike are one key
  // here, not a conflict within one statement.
  const fresh = new Map<string, [service: string, name: string]>();
  for (const span of spans) {
    const pair: [string, string] = [span.resource.serviceName, span.name];
    const key = JSON.stringify(pair);
    const seen = operationsSeen.get(key);
    if ((seen === undefined || now - seen > OPERATION_REFRESH_MS) && !fresh.has(key)) fresh.set(key, pair);
  }
  if (fresh.size === 0) return [];
  const keys = [...fresh.keys()].sort();
  await client.query(
    `INSERT INTO telemetry.operations AS o (service_name, name, last_seen_at)
     SELECT s, n, $3 FROM unnest($1::text[], $2::text[]) AS p(s, n)
     ON CONFLICT (service_name, name) DO UPDATE SET last_seen_at = GREATEST(o.last_seen_at, EXCLUDED.last_seen_at)`,
    [keys.map((k) => fresh.get(k)![0]), keys.map((k) => fresh.get(k)![1]), new Date(now)],
  );
  return keys;
}

const SPAN_COLUMNS =
  'start_time, trace_id, span_id, parent_span_id, start_ns, duration_ns, service_name, name, kind, status_code, status_message, resource_id, scope_name, scope_version, trace_state, flags, attributes, events, links, dropped_counts';

const INT32_MAX = 2_147_483_647;

/**
 * dropped_counts is integer[], but OTLP counts are uint32 (plus what the decoder dropped itself):
 * a count past the column's range is kept at its ceiling rather than failing the whole batch.
 */
function storedCount(n: number): number {
  return n > INT32_MAX ? INT32_MAX : n;
}

function spanLine(span: SpanRow): string {
  const events =
    span.events.length === 0
      ? '\\N'
      : copyJsonb(
          span.events.map((e) => ({
            t: e.timeUnixNano.toString(),
            name: e.name,
            attributes: e.attributes,
            ...(e.droppedAttributesCount ? { dropped: e.droppedAttributesCount } : {}),
          })),
        );
  const links =
    span.links.length === 0
      ? '\\N'
      : copyJsonb(
          span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: l.traceState, attributes: l.attributes })),
        );
  const dropped =
    span.droppedAttributesCount || span.droppedEventsCount || span.droppedLinksCount
      ? `{${storedCount(span.droppedAttributesCount)},${storedCount(span.droppedEventsCount)},${storedCount(span.droppedLinksCount)}}`
      : '\\N';
  return [
    nanosToTimestamp(span.startTimeUnixNano),
    copyHexBytea(span.traceId),
    copyHexBytea(span.spanId),
    copyHexBytea(span.parentSpanId),
    span.startTimeUnixNano.toString(),
    (span.endTimeUnixNano - span.startTimeUnixNano).toString(),
    copyText(span.resource.serviceName),
    copyText(span.name),
    String(span.kind),
    String(span.statusCode),
    copyText(span.statusMessage),
    copyHexBytea(resourceKey(span.resource).id),
    copyText(span.scopeName),
    copyText(span.scopeVersion),
    copyText(span.traceState),
    // flags is a uint32 on the wire and an integer column: the same 32 bits, read back with `>>> 0`.
    String(span.flags | 0),
    copyJsonb(span.attributes),
    events,
    links,
    dropped,
  ].join('\t');
}

/** Spans decoded from one request together with their COPY rows, encoded before the write starts. */
export interface PreparedSpans {
  spans: SpanRow[];
  copy: string;
}

/**
 * Encodes the COPY rows up front, in the request that received the spans, so the writer's
 * transaction only streams bytes and the database never waits on JavaScript mid-COPY.
 */
export function prepareSpans(spans: SpanRow[]): PreparedSpans {
  let copy = '';
  for (const span of spans) copy += `${spanLine(span)}\n`;
  return { spans, copy };
}

async function copyInto(client: pg.ClientBase, table: string, batch: readonly PreparedSpans[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${SPAN_COLUMNS}) FROM STDIN`));
  await pipeline(Readable.from(batch.map((p) => p.copy)), stream);
}

const SERVICE_SEPARATOR = '\u001f';

interface TraceSummaryDelta {
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  spanCount: number;
  errorCount: number;
  rootService: string | null;
  rootOperation: string | null;
  services: Set<string>;
}

function summarise(spans: readonly SpanRow[]): TraceSummaryDelta[] {
  const byTrace = new Map<string, TraceSummaryDelta>();
  for (const span of spans) {
    let delta = byTrace.get(span.traceId);
    if (!delta) {
      delta = { traceId: span.traceId, startNs: span.startTimeUnixNano, endNs: span.endTimeUnixNano, spanCount: 0, errorCount: 0, rootService: null, rootOperation: null, services: new Set() };
      byTrace.set(span.traceId, delta);
    }
    if (span.startTimeUnixNano < delta.startNs) delta.startNs = span.startTimeUnixNano;
    if (span.endTimeUnixNano > delta.endNs) delta.endNs = span.endTimeUnixNano;
    delta.spanCount++;
    if (span.statusCode === 2) delta.errorCount++;
    if (span.parentSpanId === null) {
      delta.rootService = span.resource.serviceName;
      delta.rootOperation = span.name;
    }
    // The unit separator joins the list into one parameter, so it must not appear inside a name.
    delta.services.add(span.resource.serviceName.replaceAll(SERVICE_SEPARATOR, ' '));
  }
  // A stable order keeps concurrent writers (other replicas) from deadlocking on the same traces.
  return [...byTrace.values()].sort((a, b) => (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0));
}


async function upsertSummaries(client: pg.ClientBase, deltas: TraceSummaryDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await client.query(
    `INSERT INTO telemetry.trace_summaries AS t (trace_id, start_ns, end_ns, start_time, span_count, error_count, root_service, root_operation, services)
     SELECT decode(d.trace_id, 'hex'), d.start_ns, d.end_ns, d.start_time, d.span_count, d.error_count, d.root_service, d.root_operation,
            string_to_array(d.services, chr(31))
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
            AS d(trace_id, start_ns, end_ns, span_count, error_count, root_service, root_operation, services, start_time)
     ON CONFLICT (trace_id) DO UPDATE SET
       start_ns = LEAST(t.start_ns, EXCLUDED.start_ns),
       end_ns = GREATEST(t.end_ns, EXCLUDED.end_ns),
       start_time = LEAST(t.start_time, EXCLUDED.start_time),
       span_count = t.span_count + EXCLUDED.span_count,
       error_count = t.error_count + EXCLUDED.error_count,
       root_service = COALESCE(EXCLUDED.root_service, t.root_service),
       root_operation = COALESCE(EXCLUDED.root_operation, t.root_operation),
       services = ARRAY(SELECT DISTINCT s FROM unnest(t.services || EXCLUDED.services) AS s ORDER BY s)`,
    [
      deltas.map((d) => d.traceId),
      deltas.map((d) => d.startNs.toString()),
      deltas.map((d) => d.endNs.toString()),
      deltas.map((d) => d.spanCount),
      deltas.map((d) => d.errorCount),
      deltas.map((d) => d.rootService),
      deltas.map((d) => d.rootOperation),
      deltas.map((d) => [...d.services].join(SERVICE_SEPARATOR)),
      // Formatted exactly like the spans' start_time, so "span.start_time >= summary.start_time" holds.
      deltas.map((d) => nanosToTimestamp(d.startNs)),
    ],
  );
}

const UNIQUE_VIOLATION = '23505';

/**
 * Stores a batch in one transaction and returns how many spans were new. The fast path COPYs
 * straight into the partitioned table; if any span is already stored (an exporter retry) or
 * repeated within the batch, the slow path stages the batch and inserts only the new spans.
 * Either way the trace summaries count each span once.
 */
export async function writeSpanBatch(batch: readonly PreparedSpans[]): Promise<{ inserted: number }> {
  const spans = batch.length === 1 ? batch[0]!.spans : batch.flatMap((p) => p.spans);
  if (spans.length === 0) return { inserted: 0 };
  const days = new Set<number>();
  for (const span of spans) days.add(dayStart(Number(span.startTimeUnixNano / 1_000_000n)));
  await ensureSpanPartitions(days);

  const client = await pool().connect();
  let isHealthy = true;
  try {
    await client.query('BEGIN');
    await storeResources(client, spans);
    let inserted: readonly SpanRow[] = spans;
    await client.query('SAVEPOINT fast_path');
    try {
      await copyInto(client, 'telemetry.spans', batch);
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await client.query('ROLLBACK TO SAVEPOINT fast_path');
      inserted = await insertNewSpansOnly(client, batch, spans);
    }
    await upsertSummaries(client, summarise(inserted));
    // In the same transaction: a span counts in the rollups exactly when it is stored.
    if (env().ROLLUPS_ENABLED) await writeRollupInputs(client, rollupInputsOf(inserted));
    const now = Date.now();
    const operations = await storeOperations(client, inserted, now);
    await client.query('COMMIT');
    for (const key of operations) operationsSeen.set(key, now);
    if (operationsSeen.size > 100_000) operationsSeen.clear();
    for (const span of spans) storedResources.add(resourceKey(span.resource).id);
    if (storedResources.size > 50_000) storedResources.clear();
    return { inserted: inserted.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      isHealthy = false;
    });
    throw err;
  } finally {
    client.release(isHealthy ? undefined : true);
  }
}

async function insertNewSpansOnly(client: pg.ClientBase, batch: readonly PreparedSpans[], spans: readonly SpanRow[]): Promise<SpanRow[]> {
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS span_staging (LIKE telemetry.spans INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
  );
  await copyInto(client, 'span_staging', batch);
  const { rows } = await client.query<{ key: string }>(
    `INSERT INTO telemetry.spans (${SPAN_COLUMNS})
     SELECT DISTINCT ON (trace_id, span_id, start_time) ${SPAN_COLUMNS} FROM span_staging
     ON CONFLICT DO NOTHING
     RETURNING encode(trace_id, 'hex') || encode(span_id, 'hex') AS key`,
  );
  const newKeys = new Set(rows.map((r) => r.key));
  const seen = new Set<string>();
  return spans.filter((s) => {
    const key = s.traceId + s.spanId;
    if (!newKeys.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * For the benchmark's ceiling: already-encoded rows COPYed straight into the span table, with
 * nothing else around them (no dedupe, no summaries). Resources must already be stored.
 */
export async function copyEncodedSpans(copyText: string, days: Iterable<number>): Promise<void> {
  await ensureSpanPartitions(days);
  const client = await pool().connect();
  try {
    const stream = client.query(copyFrom(`COPY telemetry.spans (${SPAN_COLUMNS}) FROM STDIN`));
    await pipeline(Readable.from([copyText]), stream);
  } finally {
    client.release();
  }
}

/** Stores the resources of these spans (the ceiling's spans reference them). */
export async function storeSpanResources(spans: readonly SpanRow[]): Promise<void> {
  const client = await pool().connect();
  try {
    await storeResources(client, spans);
  } finally {
    client.release();
  }
}
