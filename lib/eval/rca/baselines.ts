// The two methods Faultline's root-cause ranking is compared with, over the same dependency map
// it sees (GET /api/graph during the fault and the quarter hour before):
// - "highest error rate": services ranked by their error rate during the fault;
// - a MicroRank-style personalized PageRank (Yu et al., WWW 2021): anomalous nodes seed the
//   walk in proportion to how anomalous they are, which follows calls downstream, so the node
//   the anomalous part of the graph converges on ranks first.
import type { GraphResult } from '@/lib/schemas/graph';

export function highestErrorRate(now: GraphResult): string[] {
  return now.nodes
    .filter((n) => n.kind === 'service' && n.requests > 0)
    .sort((a, b) => b.errorRate - a.errorRate || a.id.localeCompare(b.id))
    .map((n) => n.id);
}

const DAMPING = 0.85;
const ITERATIONS = 100;

/** How much worse a node is now than before: error-rate increase plus relative p95 increase. */
function anomalyOf(now: { errorRate: number; p95: number | null; requests: number }, before: { errorRate: number; p95: number | null } | undefined): number {
  if (now.requests === 0) return 0;
  const errors = Math.max(0, now.errorRate - (before?.errorRate ?? 0));
  const latency = now.p95 !== null && before?.p95 ? Math.max(0, now.p95 / before.p95 - 1) : 0;
  return (errors >= 0.02 ? errors * 10 : 0) + (latency >= 0.5 ? latency : 0);
}

export function personalizedPageRank(now: GraphResult, before: GraphResult): string[] {
  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const anomaly = new Map<string, number>();
  for (const n of now.nodes) {
    const a = anomalyOf(n, beforeNodes.get(n.id));
    if (a > 0) anomaly.set(n.id, a);
  }
  // Callers' view of edges counts too: a leaf nobody instruments is only seen through its callers.
  const beforeEdges = new Map(before.edges.map((e) => [`${e.source}\u0000${e.target}`, e]));
  for (const e of now.edges) {
    const a = anomalyOf(e, beforeEdges.get(`${e.source}\u0000${e.target}`));
    if (a > 0) anomaly.set(e.target, Math.max(anomaly.get(e.target) ?? 0, a / 2));
  }
  if (anomaly.size === 0) return [];
  // The anomalous subgraph: anomalous nodes and the calls between them.
  const nodes = [...anomaly.keys()].sort();
  const index = new Map(nodes.map((n, i) => [n, i]));
  const out: number[][] = nodes.map(() => []);
  for (const e of now.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s !== undefined && t !== undefined && s !== t) out[s]!.push(t);
  }
  const total = [...anomaly.values()].reduce((x, y) => x + y, 0);
  const personal = nodes.map((n) => anomaly.get(n)! / total);
  let rank = [...personal];
  for (let iter = 0; iter < ITERATIONS; iter++) {
    const next = personal.map((p) => (1 - DAMPING) * p);
    rank.forEach((r, i) => {
      const targets = out[i]!;
      // A node with no anomalous callee keeps its mass: the walk stops where the trouble ends.
      if (targets.length === 0) next[i]! += DAMPING * r;
      else for (const t of targets) next[t]! += (DAMPING * r) / targets.length;
    });
    rank = next;
  }
  return nodes.map((n, i) => ({ n, r: rank[i]! })).sort((a, b) => b.r - a.r || a.n.localeCompare(b.n)).map((x) => x.n);
}
