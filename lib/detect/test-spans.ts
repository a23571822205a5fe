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
