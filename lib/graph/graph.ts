// GET /api/graph: the dependency map for a time range, from rollups alone (no raw spans), with
// breaker state and probe health laid over it.
import { getBreakers } from '@/lib/breakers/queries';
import { env } from '@/lib/config/env';
import { aggregateEdges, aggregateServices, type EdgeAggregate } from '@/lib/db/graph';
import { latestServiceProbes } from '@/lib/db/probe-results';
import { quantileMs } from '@/lib/rollup/histogram';
import type { NodeKind } from '@/lib/rollup/span-facts';
import { resolveRange } from '@/lib/schemas/common';
import type { BreakerEdge } from '@/lib/schemas/breakers';
import type { GraphEdge, GraphNode, GraphResult } from '@/lib/schemas/graph';
import { isOpen } from '@/lib/breakers/state';
import { classifyHealth } from './health';

const DEFAULT_RANGE_MS = 15 * 60_000;

export const round = (n: number | null, digits = 1) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);
export const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export function latency(hist: readonly number[]) {
  return { p50: round(quantileMs(hist, 0.5)), p95: round(quantileMs(hist, 0.95)), p99: round(quantileMs(hist, 0.99)) };
}

/** An edge's range aggregate as the map and the service page show it. */
export function toGraphEdge(e: EdgeAggregate, seconds: number, breaker?: BreakerEdge): GraphEdge {
  const lagP95 = e.lagHist ? round(quantileMs(e.lagHist, 0.95)) : null;
  return {
    source: e.source,
    target: e.target,
    requests: e.requests,
    rps: round(e.requests / seconds, 2)!,
    errorRate: ratio(e.errors, e.requests),
    ...latency(e.hist),
    retryRate: ratio(e.retries, e.requests),
    timeoutRate: ratio(e.timeouts, e.requests),
    ...(lagP95 !== null ? { lagP95 } : {}),
    ...(breaker ? { breaker: { state: breaker.state, since: breaker.since, openInstances: breaker.openInstances, instances: breaker.instances } } : {}),
  };
}

export async function getGraph(q: { from?: string; to?: string }): Promise<GraphResult> {
  const range = resolveRange(q, DEFAULT_RANGE_MS);
  const seconds = Math.max(1, (range.to.getTime() - range.from.getTime()) / 1000);
  const config = env();
  const slo = { latencyP99Ms: config.SLO_LATENCY_P99_MS, errorRate: config.SLO_ERROR_RATE };
  const [services, edges, probes, breakers] = await Promise.all([
    aggregateServices(range.from, range.to),
    aggregateEdges(range.from, range.to),
    latestServiceProbes(range.from, range.to),
    getBreakers({ from: range.from.toISOString(), to: range.to.toISOString() }),
  ]);

  // Services are what reported requests; anything only called (or only probed) is a leaf.
  const serviceNames = new Set(services.map((s) => s.service));
  const breakerByEdge = new Map(breakers.edges.map((b) => [`${b.service}\u0000${b.dependency}`, b]));
  const openAgainst = new Map<string, number>();
  for (const b of breakers.edges) if (isOpen(b.state)) openAgainst.set(b.dependency, (openAgainst.get(b.dependency) ?? 0) + 1);
  const probeOf = new Map(probes.map((p) => [p.service, p]));

  // Leaves are nodes too: what callers saw when calling them is all there is to know.
  const leaves = new Map<string, { kind: NodeKind; incoming: EdgeAggregate[] }>();
  for (const e of edges) {
    // A call that never reached a known service (a partition) still points at that service.
    if (serviceNames.has(e.target)) continue;
    const leaf = leaves.get(e.target) ?? { kind: e.targetKind === 'service' ? 'external' : e.targetKind, incoming: [] };
    leaf.incoming.push(e);
    leaves.set(e.target, leaf);
  }
  for (const e of edges) if (!serviceNames.has(e.source) && !leaves.has(e.source)) leaves.set(e.source, { kind: 'queue', incoming: [] });
  // Probed but neither serving nor called in the range (idle, or down since before it).
  for (const p of probes) if (!serviceNames.has(p.service) && !leaves.has(p.service)) serviceNames.add(p.service);

  const nodes: GraphNode[] = [];
  for (const name of serviceNames) {
    const s = services.find((x) => x.service === name);
    const requests = s?.requests ?? 0;
    const errorRate = ratio(s?.errors ?? 0, requests);
    const lat = s ? latency(s.hist) : { p50: null, p95: null, p99: null };
    const probe = probeOf.get(name);
    const { health, reasons } = classifyHealth({ requests, errorRate, p99: lat.p99, probe: probe?.status ?? null, openBreakersAgainst: openAgainst.get(name) ?? 0 }, slo);
    nodes.push({
      id: name,
      kind: 'service',
      requests,
      rps: round(requests / seconds, 2)!,
      errorRate,
      ...lat,
      health,
      reasons,
      ...(probe ? { probe: { status: probe.status, at: probe.at.toISOString() } } : {}),
      instances: s?.instances ?? 0,
    });
  }
  for (const [name, leaf] of leaves) {
    const requests = leaf.incoming.reduce((n, e) => n + e.requests, 0);
    const errors = leaf.incoming.reduce((n, e) => n + e.errors, 0);
    const hist = leaf.incoming.reduce<number[]>((acc, e) => acc.map((v, i) => v + (e.hist[i] ?? 0)), new Array<number>(leaf.incoming[0]?.hist.length ?? 0).fill(0));
    const lat = latency(hist);
    const probe = probeOf.get(name);
    const { health, reasons } = classifyHealth(
      { requests, errorRate: ratio(errors, requests), p99: lat.p99, probe: probe?.status ?? null, openBreakersAgainst: openAgainst.get(name) ?? 0 },
      slo,
    );
    nodes.push({
      id: name,
      kind: leaf.kind,
      requests,
      rps: round(requests / seconds, 2)!,
      errorRate: ratio(errors, requests),
      ...lat,
      health,
      reasons,
      ...(probe ? { probe: { status: probe.status, at: probe.at.toISOString() } } : {}),
      instances: 0,
    });
  }

  const graphEdges = edges.map((e) => toGraphEdge(e, seconds, breakerByEdge.get(`${e.source}\u0000${e.target}`)));
  // Breakers on edges with no traffic in the range (everything failed fast) still belong on the map.
  for (const b of breakers.edges) {
    if (graphEdges.some((e) => e.source === b.service && e.target === b.dependency)) continue;
    if (!nodes.some((n) => n.id === b.dependency) || !nodes.some((n) => n.id === b.service)) continue;
    graphEdges.push({
      source: b.service,
      target: b.dependency,
      requests: 0,
      rps: 0,
      errorRate: 0,
      p50: null,
      p95: null,
      p99: null,
      retryRate: 0,
      timeoutRate: 0,
      breaker: { state: b.state, since: b.since, openInstances: b.openInstances, instances: b.instances },
    });
  }
  nodes.sort((a, b) => a.id.localeCompare(b.id));
  graphEdges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  return { from: range.from.toISOString(), to: range.to.toISOString(), slo, nodes, edges: graphEdges };
}
