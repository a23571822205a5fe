// Rebuilds rollups of a time range from the raw spans alone, through the same counting code as
// live ingest (rollupInputsOf, edgesFromPairs), pairing callers and callees in memory.
import { deleteRollupsInRange, forEachStoredSpanPage, inRawTransaction, writeEdges, writeServices, type StoredSpanForRollup } from '@/lib/db/rollups';
import type { AttributeValue } from '@/lib/otlp/span-row';
import {
  edgesFromPairs,
  mergeEdgeBuckets,
  mergeServiceBuckets,
  rollupInputsOf,
  type EdgeCandidate,
  type EdgeBucket,
  type RollupSpan,
  type ServiceBucket,
} from './span-facts';

const MINUTE_MS = 60_000;
const WINDOW_MS = 3_600_000;
/** How far a callee may start after its caller's minute and still be found. */
const PAIR_PAD_MS = 5 * MINUTE_MS;

function toRollupSpan(row: StoredSpanForRollup): RollupSpan {
  const start = BigInt(row.startNs);
  return {
    traceId: row.traceId,
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    kind: row.kind,
    statusCode: row.statusCode,
    statusMessage: row.statusMessage,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(row.durationNs),
    attributes: (row.attributes ?? {}) as Record<string, AttributeValue>,
    resource: { serviceName: row.service, attributes: (row.resourceAttributes ?? {}) as Record<string, AttributeValue> },
    events: (row.events ?? []).map((e) => ({ name: e.name, attributes: (e.attributes ?? {}) as Record<string, AttributeValue> })),
  };
}

/** Recomputes [from, to) (widened to whole hours, which hourly rollups need) hour by hour; returns the 10 s rows counted. */
export async function rebuildRollups(from: Date, to: Date): Promise<{ serviceBuckets: number; edgeBuckets: number }> {
  const start = Math.floor(from.getTime() / WINDOW_MS) * WINDOW_MS;
  const end = Math.ceil(to.getTime() / WINDOW_MS) * WINDOW_MS;
  const written = { serviceBuckets: 0, edgeBuckets: 0 };
  for (let windowStart = start; windowStart < end; windowStart += WINDOW_MS) {
    const windowEnd = Math.min(end, windowStart + WINDOW_MS);
    const callers: EdgeCandidate[] = [];
    const callees = new Map<string, string>();
    const services = new Map<string, ServiceBucket>();
    const edges = new Map<string, EdgeBucket>();
    await forEachStoredSpanPage(new Date(windowStart), new Date(windowEnd + PAIR_PAD_MS), 10_000, (rows) => {
      const spans = rows.map(toRollupSpan);
      // The stored SERVER spans are where the live worker finds callees too.
      for (const s of spans) if (s.kind === 2 && s.parentSpanId) callees.set(s.traceId + s.parentSpanId, s.resource.serviceName);
      const inputs = rollupInputsOf(spans);
      // The padded tail only supplies callees: everything else counts in its own window.
      mergeServiceBuckets(services, inputs.services.filter((s) => s.bucket < windowEnd));
      mergeEdgeBuckets(edges, inputs.edges.filter((e) => e.bucket < windowEnd));
      for (const c of inputs.candidates) if (c.bucket < windowEnd) callers.push(c);
    });
    mergeEdgeBuckets(edges, edgesFromPairs(callers.map((caller) => ({ caller, calleeService: callees.get(caller.traceId + caller.spanId) ?? null }))));
    await inRawTransaction(async (client) => {
      await deleteRollupsInRange(client, new Date(windowStart), new Date(windowEnd));
      await writeServices(client, [...services.values()]);
      await writeEdges(client, [...edges.values()]);
    });
    written.serviceBuckets += services.size;
    written.edgeBuckets += edges.size;
  }
  return written;
}
