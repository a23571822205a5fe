// Spans for detection tests: caller→callee calls written through the real ingest write path, so
// the rollups the detector reads are the live ones.
import { prepareSpans, writeSpanBatch } from '@/lib/db/spans';
import type { SpanResource, SpanRow } from '@/lib/otlp/span-row';

const resource = (serviceName: string): SpanResource => ({ serviceName, attributes: { 'service.name': serviceName }, droppedAttributesCount: 0 });
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

let ids = Math.floor(Math.random() * 1e9);

/** A CLIENT span of `caller` naming `callee` (peer.service) and the callee's SERVER span. */
export function call(caller: string, callee: string, atMs: number, failed: boolean): SpanRow[] {
  const n = ++ids;
  const base = { traceId: hex(n, 32), traceState: null, flags: 1, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0, scopeName: null, scopeVersion: null };
  const start = BigInt(atMs) * 1_000_000n;
  return [
    { ...base, spanId: hex(2 * n, 16), parentSpanId: null, name: 'POST', kind: 3, startTimeUnixNano: start, endTimeUnixNano: start + 5_000_000n, statusCode: failed ? 2 : 0, statusMessage: failed ? 'upstream 503' : null, attributes: { 'peer.service': callee }, resource: resource(caller) },
    { ...base, spanId: hex(2 * n + 1, 16), parentSpanId: hex(2 * n, 16), name: 'POST /', kind: 2, startTimeUnixNano: start + 1_000_000n, endTimeUnixNano: start + 4_000_000n, statusCode: failed ? 2 : 0, statusMessage: null, attributes: {}, resource: resource(callee) },
  ];
}

/** `count` calls spread evenly over [fromMs, toMs), every `failEvery`-th one failing (0: none). */
export function calls(caller: string, callee: string, fromMs: number, toMs: number, count: number, failEvery = 0): SpanRow[] {
  const step = (toMs - fromMs) / count;
  return Array.from({ length: count }, (_, i) => call(caller, callee, Math.floor(fromMs + i * step), failEvery > 0 && i % failEvery === 0)).flat();
}

export async function writeSpans(spans: SpanRow[]): Promise<void> {
  await writeSpanBatch([prepareSpans(spans)]);
}

/**
 * One request down a chain of services (chain[0] calls chain[1] …) as a real trace: each hop a
 * CLIENT span of the caller and a SERVER span of the callee beneath it. `failAt` makes that
 * service's own handler fail (and every caller above it); `unreachableAt` makes the call into that
 * service time out with no SERVER span at all (a partition), failing the callers above it.
 */
export function chainTrace(chain: readonly string[], atMs: number, opts: { failAt?: number; unreachableAt?: number; slowAt?: number; slowMs?: number } = {}): SpanRow[] {
  const n = ++ids;
  const base = { traceId: hex(n, 32), traceState: null, flags: 1, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0, scopeName: null, scopeVersion: null };
  // The deepest service whose SERVER span fails: the failing one, or the last one reached.
  const deepestFailing = opts.unreachableAt !== undefined ? opts.unreachableAt - 1 : opts.failAt;
  const reached = opts.unreachableAt ?? chain.length;
  const spans: SpanRow[] = [];
  let parent: string | null = null;
  for (let i = 0; i < reached; i++) {
    const serverFails = deepestFailing !== undefined && i <= deepestFailing;
    const callFails = deepestFailing !== undefined && (i < deepestFailing || opts.unreachableAt === i + 1);
    const slow = opts.slowAt !== undefined && i <= opts.slowAt ? (opts.slowMs ?? 0) : 0;
    const waited = opts.unreachableAt !== undefined && i < opts.unreachableAt ? 2000 : 0;
    const start = BigInt(atMs + i) * 1_000_000n;
    const end = (ms: number) => start + BigInt(ms) * 1_000_000n;
    const server = hex(n * 64 + 2 * i, 16);
    spans.push({ ...base, spanId: server, parentSpanId: parent, name: 'GET /', kind: 2, startTimeUnixNano: start, endTimeUnixNano: end(20 + slow + waited), statusCode: serverFails ? 2 : 0, statusMessage: serverFails && i === opts.failAt ? 'handler failed' : null, attributes: serverFails ? { 'http.response.status_code': 500 } : {}, resource: resource(chain[i]!) });
    if (i + 1 >= chain.length) break;
    const client = hex(n * 64 + 2 * i + 1, 16);
    spans.push({ ...base, spanId: client, parentSpanId: server, name: 'GET', kind: 3, startTimeUnixNano: start, endTimeUnixNano: end(18 + slow + waited), statusCode: callFails ? 2 : 0, statusMessage: opts.unreachableAt === i + 1 ? 'connect ETIMEDOUT' : null, attributes: { 'peer.service': chain[i + 1]! }, resource: resource(chain[i]!) });
    parent = client;
  }
  return spans;
}
