// Rebuilds rollups of a time range from the raw spans alone, through the same counting code as
// live ingest (rollupInputsOf, edgesFromPairs), pairing callers and callees in memory.
import { deleteRollupsInRange, edgeHoursOf, forEachStoredSpanPage, inRawTransaction, serviceHoursOf, upsertEdgeMinutes, upsertServiceMinutes, type StoredSpanForRollup } from '@/lib/db/rollups';
import type { AttributeValue } from '@/lib/otlp/span-row';
import { addInto } from './histogram';
import { edgeKey, edgesFromPairs, rollupInputsOf, type EdgeCandidate, type EdgeMinute, type RollupSpan, type ServiceMinute } from './span-facts';

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

function mergeEdges(into: Map<string, EdgeMinute>, edges: readonly EdgeMinute[]): void {
  for (const e of edges) {
    const key = edgeKey(e.minute, e.source, e.target);
    const existing = into.get(key);
    if (!existing) {
      into.set(key, { ...e, hist: [...e.hist], lagHist: e.lagHist ? [...e.lagHist] : null });
      continue;
    }
    existing.requests += e.requests;
    existing.errors += e.errors;
    existing.timeouts += e.timeouts;
    existing.retries += e.retries;
    addInto(existing.hist, e.hist);
    if (e.lagHist) existing.lagHist = addInto(existing.lagHist ?? new Array<number>(e.lagHist.length).fill(0), e.lagHist);
    if (e.targetKind === 'service') existing.targetKind = 'service';
  }
}

/** Recomputes [from, to) (widened to whole hours, which hourly rollups need) hour by hour; returns the minutes written. */
export async function rebuildRollups(from: Date, to: Date): Promise<{ serviceMinutes: number; edgeMinutes: number }> {
  const start = Math.floor(from.getTime() / WINDOW_MS) * WINDOW_MS;
  const end = Math.ceil(to.getTime() / WINDOW_MS) * WINDOW_MS;
  const written = { serviceMinutes: 0, edgeMinutes: 0 };
  for (let windowStart = start; windowStart < end; windowStart += WINDOW_MS) {
    const windowEnd = Math.min(end, windowStart + WINDOW_MS);
    const callers: EdgeCandidate[] = [];
    const callees = new Map<string, string>();
    const services = new Map<string, ServiceMinute>();
    const edges = new Map<string, EdgeMinute>();
    await forEachStoredSpanPage(new Date(windowStart), new Date(windowEnd + PAIR_PAD_MS), 10_000, (rows) => {
      const spans = rows.map(toRollupSpan);
      // The stored SERVER spans are where the live worker finds callees too.
      for (const s of spans) if (s.kind === 2 && s.parentSpanId) callees.set(s.traceId + s.parentSpanId, s.resource.serviceName);
      const inputs = rollupInputsOf(spans);
      // The padded tail only supplies callees: everything else counts in its own window.
      for (const s of inputs.services) {
        if (s.minute >= windowEnd) continue;
        const key = `${s.minute}\u0000${s.service}`;
        const existing = services.get(key);
        if (existing) {
          existing.requests += s.requests;
          existing.errors += s.errors;
          addInto(existing.hist, s.hist);
          for (const i of s.instances) existing.instances.add(i);
        } else services.set(key, s);
      }
      mergeEdges(edges, inputs.edges.filter((e) => e.minute < windowEnd));
      for (const c of inputs.candidates) if (c.minute < windowEnd) callers.push(c);
    });
    mergeEdges(edges, edgesFromPairs(callers.map((caller) => ({ caller, calleeService: callees.get(caller.traceId + caller.spanId) ?? null }))));
    await inRawTransaction(async (client) => {
      await deleteRollupsInRange(client, new Date(windowStart), new Date(windowEnd));
      await upsertServiceMinutes(client, [...services.values()]);
      await upsertServiceMinutes(client, serviceHoursOf([...services.values()]), 'hour');
      await upsertEdgeMinutes(client, [...edges.values()]);
      await upsertEdgeMinutes(client, edgeHoursOf([...edges.values()]), 'hour');
    });
    written.serviceMinutes += services.size;
    written.edgeMinutes += edges.size;
  }
  return written;
}
