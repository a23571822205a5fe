// GET /api/services/:service/metrics: the service page's RED series and its edge tables.
import { getBreakers } from '@/lib/breakers/queries';
import { aggregateEdges, serviceSeries } from '@/lib/db/graph';
import { resolveRange } from '@/lib/schemas/common';
import type { ServiceMetrics } from '@/lib/schemas/graph';
import { latency, ratio, round, toGraphEdge } from './graph';

const DEFAULT_RANGE_MS = 3_600_000;

export async function getServiceMetrics(service: string, q: { from?: string; to?: string }): Promise<ServiceMetrics> {
  const range = resolveRange(q, DEFAULT_RANGE_MS);
  const seconds = Math.max(1, (range.to.getTime() - range.from.getTime()) / 1000);
  const [minutes, edges, breakers] = await Promise.all([
    serviceSeries(service, range.from, range.to),
    aggregateEdges(range.from, range.to, service),
    getBreakers({ service, from: range.from.toISOString(), to: range.to.toISOString() }),
  ]);
  const breakerOf = new Map(breakers.edges.map((b) => [b.dependency, b]));
  return {
    service,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    series: minutes.map((m) => ({
      minute: m.minute.toISOString(),
      requests: m.requests,
      rps: round(m.requests / 60, 2)!,
      errorRate: ratio(m.errors, m.requests),
      ...latency(m.hist),
    })),
    upstream: edges.filter((e) => e.target === service).map((e) => toGraphEdge(e, seconds)),
    downstream: edges.filter((e) => e.source === service).map((e) => toGraphEdge(e, seconds, breakerOf.get(e.target))),
  };
}
