// What each span contributes to the rollups, decided in one place for live ingest and rebuilds
// alike: a request of its service (SERVER/CONSUMER), half of a caller→callee pair waiting for
// its other half (CLIENT with SERVER), or a queue edge on its own (PRODUCER/CONSUMER).
import type { AttributeValue, SpanRow } from '@/lib/otlp/span-row';
import { addInto, bucketOf, emptyHistogram } from './histogram';

const KIND_SERVER = 2;
const KIND_CLIENT = 3;
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;
const STATUS_ERROR = 2;
/** Resolution of the rollups spans are counted into; minutes and hours are these summed. */
export const FINE_BUCKET_MS = 10_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export type NodeKind = 'service' | 'database' | 'cache' | 'queue' | 'external';

/** Half of a call: the caller's CLIENT span or the callee's SERVER span. */
export interface EdgeCandidate {
  role: 1 | 2;
  traceId: string;
  spanId: string;
  /** Callee: the caller's span id (its parent). */
  parentSpanId: string | null;
  service: string;
  bucket: number;
  startUs: number;
  durationUs: number;
  isError: boolean;
  isTimeout: boolean;
  resend: number;
  /** Caller: the leaf to draw if no instrumented callee answers (peer.service, db.*, …). */
  peer: string | null;
  peerKind: NodeKind | null;
}

export interface BucketKey {
  /** Start of the row's time bucket, epoch ms: 10 s as counted, a minute or an hour once summed. */
  bucket: number;
}

export interface ServiceBucket extends BucketKey {
  service: string;
  requests: number;
  errors: number;
  hist: number[];
  /** service.instance.id (else host.name) of the instances that served requests. */
  instances: Set<string>;
}

/** An edge's counts over some span of time (a bucket, an hour, a whole range). */
export interface EdgeTotals {
  source: string;
  target: string;
  targetKind: NodeKind;
  requests: number;
  errors: number;
  timeouts: number;
  retries: number;
  hist: number[];
  lagHist: number[] | null;
}

export type EdgeBucket = EdgeTotals & BucketKey;

/** The parts of a span the rollups read (a decoded SpanRow, or a stored span during a rebuild). */
export type RollupSpan = Pick<
  SpanRow,
  'traceId' | 'spanId' | 'parentSpanId' | 'kind' | 'statusCode' | 'statusMessage' | 'startTimeUnixNano' | 'endTimeUnixNano' | 'attributes'
> & { resource: { serviceName: string; attributes?: Record<string, AttributeValue> }; events: ReadonlyArray<{ name: string; attributes: Record<string, AttributeValue> }> };

export interface RollupInputs {
  services: ServiceBucket[];
  /** Edges known from one span alone (queues). */
  edges: EdgeBucket[];
  candidates: EdgeCandidate[];
}

const CACHE_SYSTEMS = new Set(['redis', 'memcached', 'valkey', 'hazelcast', 'aerospike']);
const TIMEOUT_TEXT = /timed? ?out|timeout|deadline exceeded|ETIMEDOUT|aborted/i;

const text = (v: AttributeValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);

function fineBucketOf(startNs: bigint): number {
  const ms = Number(startNs / 1_000_000n);
  return ms - (ms % FINE_BUCKET_MS);
}

function durationUsOf(span: RollupSpan): number {
  return Number((span.endTimeUnixNano - span.startTimeUnixNano) / 1_000n);
}

/** A failed call that ran out of time rather than being refused (status text, exception or error.type). */
export function isTimeoutSpan(span: RollupSpan): boolean {
  if (span.statusCode !== STATUS_ERROR) return false;
  if (span.statusMessage && TIMEOUT_TEXT.test(span.statusMessage)) return true;
  const errorType = text(span.attributes['error.type']);
  if (errorType && TIMEOUT_TEXT.test(errorType)) return true;
  return span.events.some(
    (e) => e.name === 'exception' && [e.attributes['exception.type'], e.attributes['exception.message']].some((v) => typeof v === 'string' && TIMEOUT_TEXT.test(v)),
  );
}

/** The leaf a CLIENT span points at when no instrumented service answers it. */
export function peerOf(span: Pick<RollupSpan, 'attributes'>): { peer: string; kind: NodeKind } {
  const a = span.attributes;
  const dbSystem = text(a['db.system.name']) ?? text(a['db.system']);
  // peer.service is by definition another service's service.name; the map shows it as external
  // until that service reports spans of its own.
  const kind: NodeKind = dbSystem
    ? CACHE_SYSTEMS.has(dbSystem) ? 'cache' : 'database'
    : text(a['messaging.system']) ? 'queue' : text(a['peer.service']) ? 'service' : 'external';
  const namespace = text(a['db.namespace']) ?? text(a['db.name']);
  const peer =
    text(a['peer.service']) ??
    text(a['server.address']) ??
    text(a['net.peer.name']) ??
    (dbSystem ? (namespace ? `${dbSystem}/${namespace}` : dbSystem) : null) ??
    text(a['messaging.destination.name']) ??
    'unknown';
  return { peer, kind };
}

/**
 * Far beyond any real retry policy, and well inside edge_candidates.resend (integer): only
 * "resent or not" counts in the rollups, so a sender's absurd value must not fail the batch.
 */
export const MAX_RESEND_COUNT = 1_000_000;
/** A plain decimal number, as an int64 beyond 2^53 or a sender's string spells it ("3", "1e12"); not hex, not "Infinity". */
const DECIMAL = /^\+?\d+(?:\.\d*)?(?:e[+-]?\d+)?$/i;

/** http.request.resend_count as a count: a whole number from 0 to MAX_RESEND_COUNT, 0 for anything unreadable. */
export function resendOf(span: Pick<RollupSpan, 'attributes'>): number {
  const v = span.attributes['http.request.resend_count'];
  const n = typeof v === 'number' ? v : typeof v === 'string' && DECIMAL.test(v.trim()) ? Number(v.trim()) : 0;
  if (!Number.isFinite(n) || n < 1) return 0;
  return Math.min(Math.floor(n), MAX_RESEND_COUNT);
}

function add<T extends BucketKey>(map: Map<string, T>, key: string, create: () => T): T {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = create()));
  return entry;
}

export function newEdgeBucket(bucket: number, source: string, target: string, targetKind: NodeKind): EdgeBucket {
  return { bucket, source, target, targetKind, requests: 0, errors: 0, timeouts: 0, retries: 0, hist: emptyHistogram(), lagHist: null };
}

/** Adds one call (as the caller saw it) to an edge bucket. */
export function countCall(edge: EdgeBucket, call: { durationUs: number; isError: boolean; isTimeout: boolean; resend: number }): void {
  edge.requests++;
  if (call.isError) edge.errors++;
  if (call.isTimeout) edge.timeouts++;
  if (call.resend > 0) edge.retries++;
  edge.hist[bucketOf(call.durationUs)]!++;
}

export function edgeKey(bucket: number, source: string, target: string): string {
  return `${bucket}\u0000${source}\u0000${target}`;
}

/** Everything a set of newly stored spans adds to the rollups, aggregated per bucket. */
export function rollupInputsOf(spans: readonly RollupSpan[]): RollupInputs {
  const services = new Map<string, ServiceBucket>();
  const edges = new Map<string, EdgeBucket>();
  const candidates: EdgeCandidate[] = [];
  for (const span of spans) {
    const service = span.resource.serviceName;
    const bucket = fineBucketOf(span.startTimeUnixNano);
    const durationUs = durationUsOf(span);
    const isError = span.statusCode === STATUS_ERROR;
    if (span.kind === KIND_SERVER || span.kind === KIND_CONSUMER) {
      const s = add(services, `${bucket}\u0000${service}`, () => ({ bucket, service, requests: 0, errors: 0, hist: emptyHistogram(), instances: new Set<string>() }));
      s.requests++;
      const instance = text(span.resource.attributes?.['service.instance.id']) ?? text(span.resource.attributes?.['host.name']);
      if (instance) s.instances.add(instance);
      if (isError) s.errors++;
      s.hist[bucketOf(durationUs)]!++;
    }
    const peer = span.kind === KIND_CLIENT ? peerOf(span) : null;
    // The edge is known at once when nobody instrumented answers (a database, a cache) or when the
    // caller names its callee (peer.service: what the caller's instrumentation calls it).
    if (peer && (peer.kind === 'database' || peer.kind === 'cache' || text(span.attributes['peer.service']) !== null)) {
      const edge = add(edges, edgeKey(bucket, service, peer.peer), () => newEdgeBucket(bucket, service, peer.peer, peer.kind));
      countCall(edge, { durationUs, isError, isTimeout: isTimeoutSpan(span), resend: resendOf(span) });
    } else if (span.kind === KIND_CLIENT || (span.kind === KIND_SERVER && span.parentSpanId !== null)) {
      const isCaller = span.kind === KIND_CLIENT;
      candidates.push({
        role: isCaller ? 1 : 2,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: isCaller ? null : span.parentSpanId,
        service,
        bucket,
        startUs: Number(span.startTimeUnixNano / 1_000n),
        durationUs,
        isError,
        isTimeout: isTimeoutSpan(span),
        resend: resendOf(span),
        peer: peer?.peer ?? null,
        peerKind: peer?.kind ?? null,
      });
    } else if (span.kind === KIND_PRODUCER || span.kind === KIND_CONSUMER) {
      // A queue sits between producers and consumers: each side is an edge to or from its node.
      const queue = text(span.attributes['messaging.destination.name']) ?? text(span.attributes['messaging.system']) ?? 'queue';
      const isProducer = span.kind === KIND_PRODUCER;
      const [source, target, kind]: [string, string, NodeKind] = isProducer ? [service, queue, 'queue'] : [queue, service, 'service'];
      const edge = add(edges, edgeKey(bucket, source, target), () => newEdgeBucket(bucket, source, target, kind));
      countCall(edge, { durationUs, isError, isTimeout: isTimeoutSpan(span), resend: 0 });
      const lagMs = span.attributes['messaging.message.publish_lag_ms'];
      if (!isProducer && typeof lagMs === 'number' && lagMs >= 0) {
        edge.lagHist ??= emptyHistogram();
        edge.lagHist[bucketOf(lagMs * 1000)]!++;
      }
    }
  }
  // Halves that arrived together (a Collector forwarding both services' spans, or concurrent
  // exports committed as one batch) are paired here.
  const calleeIndex = new Map<string, number>();
  candidates.forEach((c, i) => {
    if (c.role === 2 && c.parentSpanId) calleeIndex.set(c.traceId + c.parentSpanId, i);
  });
  const taken = new Uint8Array(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const caller = candidates[i]!;
    if (caller.role !== 1) continue;
    const calleeAt = calleeIndex.get(caller.traceId + caller.spanId);
    if (calleeAt === undefined || taken[calleeAt]) continue;
    taken[calleeAt] = 1;
    taken[i] = 1;
    const callee = candidates[calleeAt]!;
    const edge = add(edges, edgeKey(caller.bucket, caller.service, callee.service), () => newEdgeBucket(caller.bucket, caller.service, callee.service, 'service'));
    countCall(edge, caller);
  }
  // Callers still alone wait for the worker, which looks for their callee among the stored spans
  // (so callees themselves never need storing twice).
  const waiting = candidates.filter((c, i) => !taken[i] && c.role === 1);
  return { services: [...services.values()], edges: [...edges.values()], candidates: waiting };
}

/**
 * Edge minutes from paired halves and from callers whose callee never came (leaf edges). The
 * live worker and the rebuild both go through here, so they count alike.
 */
export function edgesFromPairs(
  pairs: Iterable<{ caller: Omit<EdgeCandidate, 'role' | 'parentSpanId'>; calleeService: string | null }>,
): EdgeBucket[] {
  const edges = new Map<string, EdgeBucket>();
  for (const { caller, calleeService } of pairs) {
    const target = calleeService ?? caller.peer ?? 'unknown';
    const kind: NodeKind = calleeService ? 'service' : (caller.peerKind ?? 'external');
    const edge = add(edges, edgeKey(caller.bucket, caller.service, target), () => newEdgeBucket(caller.bucket, caller.service, target, kind));
    countCall(edge, caller);
  }
  return [...edges.values()];
}

/** Adds one service bucket's counts into another (same service; any bucket of time). */
function addServiceBucket(into: ServiceBucket, row: ServiceBucket): void {
  into.requests += row.requests;
  into.errors += row.errors;
  addInto(into.hist, row.hist);
  for (const i of row.instances) into.instances.add(i);
}

/** Adds one edge bucket's counts into another (same edge; any bucket of time). */
function addEdgeBucket(into: EdgeBucket, row: EdgeBucket): void {
  into.requests += row.requests;
  into.errors += row.errors;
  into.timeouts += row.timeouts;
  into.retries += row.retries;
  addInto(into.hist, row.hist);
  if (row.lagHist) into.lagHist = addInto(into.lagHist ?? emptyHistogram(), row.lagHist);
  // Once any call is seen answered by an instrumented service, the edge is a service edge.
  if (row.targetKind === 'service') into.targetKind = 'service';
}

/**
 * Accumulates rows into `into`, keyed by `bucketOfRow(row.bucket)` and entity, without touching the rows
 * passed in: the same merge serves hourly rollups and rebuilds that read spans page by page.
 */
export function mergeServiceBuckets(into: Map<string, ServiceBucket>, rows: readonly ServiceBucket[], bucketOfRow: (bucket: number) => number = (b) => b): Map<string, ServiceBucket> {
  for (const row of rows) {
    const bucket = bucketOfRow(row.bucket);
    const key = `${bucket}\u0000${row.service}`;
    const existing = into.get(key);
    if (existing) addServiceBucket(existing, row);
    else into.set(key, { ...row, bucket, hist: [...row.hist], instances: new Set(row.instances) });
  }
  return into;
}

export function mergeEdgeBuckets(into: Map<string, EdgeBucket>, rows: readonly EdgeBucket[], bucketOfRow: (bucket: number) => number = (b) => b): Map<string, EdgeBucket> {
  for (const row of rows) {
    const bucket = bucketOfRow(row.bucket);
    const key = edgeKey(bucket, row.source, row.target);
    const existing = into.get(key);
    if (existing) addEdgeBucket(existing, row);
    else into.set(key, { ...row, bucket, hist: [...row.hist], lagHist: row.lagHist ? [...row.lagHist] : null });
  }
  return into;
}

export type Grain = 'fine' | 'minute' | 'hour';
const GRAIN_MS: Record<Grain, number> = { fine: FINE_BUCKET_MS, minute: MINUTE_MS, hour: HOUR_MS };

/** The same rows summed per coarser bucket (minute or hour), for the coarser rollups. */
export function serviceBucketsOf(rows: readonly ServiceBucket[], grain: Grain): ServiceBucket[] {
  const ms = GRAIN_MS[grain];
  return [...mergeServiceBuckets(new Map(), rows, (b) => b - (b % ms)).values()];
}

export function edgeBucketsOf(rows: readonly EdgeBucket[], grain: Grain): EdgeBucket[] {
  const ms = GRAIN_MS[grain];
  return [...mergeEdgeBuckets(new Map(), rows, (b) => b - (b % ms)).values()];
}
