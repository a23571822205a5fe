// Pure preparation of GET /api/graph and GET /api/services/:service/metrics for the dependency map
// and the service page: URL state, neighbourhood filter, styling, tooltips, layout input and RED
// series. The components only draw what these functions return.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { TIME_RANGES, type TimeRange } from '@/components/services/service-model';
import type { BreakerState } from '@/lib/schemas/breakers';
import type { GraphEdge, GraphNode, HealthState, NODE_KINDS, ServiceMetrics } from '@/lib/schemas/graph';

export type NodeKind = (typeof NODE_KINDS)[number];
type Topology = { nodes: readonly Pick<GraphNode, 'id'>[]; edges: readonly Pick<GraphEdge, 'source' | 'target'>[] };

// ——— URL state: ?range=15m&live=1&focus=checkout&hops=1, or ?from=…&to=… ———

export const MAP_HOPS = [1, 2, 3] as const;
export type Hops = (typeof MAP_HOPS)[number];
/** The graph API's own default window. */
export const DEFAULT_MAP_RANGE: TimeRange = '15m';
export const LIVE_REFRESH_MS = 5_000;

export type MapWindow = { kind: 'relative'; range: TimeRange } | { kind: 'custom'; from: string; to: string };

export interface MapQuery {
  window: MapWindow;
  /** Only relative windows move, so a custom window is never live. */
  isLive: boolean;
  /** Service whose neighbourhood is shown; empty for the whole map. */
  focus: string;
  hops: Hops;
}

const isTimeRange = (value: string): value is TimeRange => Object.hasOwn(TIME_RANGES, value);
const validTime = (value: string | null): string | null => (value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null);

/** Whatever the URL holds; anything malformed falls back to the defaults rather than failing the page. */
export function parseMapQuery(params: { get(name: string): string | null }): MapQuery {
  const from = validTime(params.get('from'));
  const to = validTime(params.get('to'));
  const range = params.get('range') ?? '';
  const window: MapWindow =
    from && to && Date.parse(from) < Date.parse(to) ? { kind: 'custom', from, to } : { kind: 'relative', range: isTimeRange(range) ? range : DEFAULT_MAP_RANGE };
  const hops = Number(params.get('hops'));
  return {
    window,
    isLive: window.kind === 'relative' && params.get('live') === '1',
    focus: params.get('focus')?.trim() ?? '',
    hops: (MAP_HOPS as readonly number[]).includes(hops) ? (hops as Hops) : 1,
  };
}

/** Canonical query string: equal states give equal URLs (and equal cache keys). */
export function mapQueryString(q: MapQuery): string {
  const params = new URLSearchParams();
  if (q.window.kind === 'custom') {
    params.set('from', q.window.from);
    params.set('to', q.window.to);
  } else {
    params.set('range', q.window.range);
    if (q.isLive) params.set('live', '1');
  }
  if (q.focus) {
    params.set('focus', q.focus);
    params.set('hops', String(q.hops));
  }
  return params.toString();
}

/** `from`/`to` for GET /api/graph; a relative window starts `range` before now and ends at the server's now. */
export function graphRequestRange(window: MapWindow, now: number): { from: string; to?: string } {
  return window.kind === 'custom' ? { from: window.from, to: window.to } : { from: new Date(now - TIME_RANGES[window.range]).toISOString() };
}

/** An ISO time as a datetime-local value in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (read as local time, which is what the user meant) as ISO; '' when invalid. */
export function fromLocalInput(value: string): string {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
}

// ——— Neighbourhood ———

/**
 * The focused node, what calls it (up to `hops` callers away) and what it calls (up to `hops`
 * callees away), with every edge among them. Upstream and downstream are walked separately so
 * siblings (other callees of a caller) stay out: they are not on any path through the focus.
 * Null when the focus is not on the map.
 */
export function neighbourhood<N extends Pick<GraphNode, 'id'>, E extends Pick<GraphEdge, 'source' | 'target'>>(
  graph: { nodes: readonly N[]; edges: readonly E[] },
  focus: string,
  hops: number,
): { nodes: N[]; edges: E[] } | null {
  if (!graph.nodes.some((n) => n.id === focus)) return null;
  const callees = new Map<string, string[]>();
  const callers = new Map<string, string[]>();
  const link = (map: Map<string, string[]>, from: string, to: string) => {
    const list = map.get(from);
    if (list) list.push(to);
    else map.set(from, [to]);
  };
  for (const e of graph.edges) {
    link(callees, e.source, e.target);
    link(callers, e.target, e.source);
  }
  const kept = new Set([focus]);
  for (const next of [callees, callers]) {
    let frontier = [focus];
    const seen = new Set(frontier);
    for (let hop = 0; hop < hops && frontier.length > 0; hop++) {
      const reached: string[] = [];
      for (const id of frontier) {
        for (const peer of next.get(id) ?? []) {
          if (seen.has(peer)) continue;
          seen.add(peer);
          kept.add(peer);
          reached.push(peer);
        }
      }
      frontier = reached;
    }
  }
  return { nodes: graph.nodes.filter((n) => kept.has(n.id)), edges: graph.edges.filter((e) => kept.has(e.source) && kept.has(e.target)) };
}

// ——— Styling ———

export type Severity = 'ok' | 'warn' | 'bad';
/** Mirrors --ok/--warn/--bad of globals.css: SVG marker ids are built from the colour text, so it must be a plain value. */
export const SEVERITY_COLORS: Record<Severity, string> = { ok: '#3ccf91', warn: '#f2b84b', bad: '#ff6b6b' };
/** An error rate this many times the SLO is bad, as in the health classification. */
export const BAD_ERROR_FACTOR = 4;

export function errorSeverity(errorRate: number, sloErrorRate: number): Severity {
  if (errorRate < sloErrorRate) return 'ok';
  return errorRate < sloErrorRate * BAD_ERROR_FACTOR ? 'warn' : 'bad';
}

/**
 * Stroke width in px on a log scale: rates span orders of magnitude across a fleet, and a linear
 * width would draw every edge but the busiest as a hairline. Absolute rather than relative to the
 * busiest edge, so widths do not jump when that edge changes.
 */
export const EDGE_WIDTH = { min: 1.5, max: 8, rpsAtMax: 1000 } as const;

export function edgeWidth(rps: number): number {
  if (!(rps > 0)) return EDGE_WIDTH.min;
  const share = Math.log10(1 + rps) / Math.log10(1 + EDGE_WIDTH.rpsAtMax);
  return Number((EDGE_WIDTH.min + (EDGE_WIDTH.max - EDGE_WIDTH.min) * Math.min(1, share)).toFixed(2));
}

export const isOpenBreaker = (state: BreakerState | undefined) => state === 'open' || state === 'forced_open';

export interface EdgeLook {
  width: number;
  severity: Severity;
  color: string;
  /** A caller's breaker is open: drawn broken and dashed, in red, whatever the error rate. */
  isBroken: boolean;
  label: string;
}

export function edgeLook(edge: GraphEdge, slo: { errorRate: number }): EdgeLook {
  const isBroken = isOpenBreaker(edge.breaker?.state);
  const severity = isBroken ? 'bad' : errorSeverity(edge.errorRate, slo.errorRate);
  return { width: edgeWidth(edge.rps), severity, color: SEVERITY_COLORS[severity], isBroken, label: edgeLabel(edge) };
}

/**
 * "12 rps · 0.5% err · p95 40 ms". Queue edges show the publish→process lag instead of the latency
 * (their latency is the consumer's poll), and an open breaker says only that: a label has to fit
 * between two layers, and the tooltip and details panel carry the rest.
 */
export function edgeLabel(edge: GraphEdge): string {
  if (isOpenBreaker(edge.breaker?.state)) return 'breaker open';
  const latency = edge.lagP95 !== undefined ? `lag p95 ${formatMs(edge.lagP95)}` : `p95 ${formatMs(edge.p95)}`;
  return `${formatRps(edge.rps)} rps · ${formatPercent(edge.errorRate)} err · ${latency}`;
}

export const HEALTH_META: Record<HealthState, { label: string; color: string }> = {
  ok: { label: 'healthy', color: 'var(--ok)' },
  degraded: { label: 'degraded', color: 'var(--warn)' },
  failing: { label: 'failing', color: 'var(--bad)' },
  unknown: { label: 'no data', color: 'var(--muted)' },
};

export const KIND_LABELS: Record<NodeKind, string> = {
  service: 'service',
  database: 'database',
  cache: 'cache',
  queue: 'queue',
  external: 'external',
};

// ——— Formatting ———

/** "0", "0.25", "3.4", "120", "1.2k" requests per second. */
export function formatRps(rps: number): string {
  if (!(rps > 0)) return '0';
  if (rps < 0.01) return '<0.01';
  if (rps < 1) return String(Number(rps.toFixed(2)));
  if (rps < 100) return String(Number(rps.toFixed(1)));
  if (rps < 10_000) return String(Math.round(rps));
  return `${Number((rps / 1000).toFixed(1))}k`;
}

/** A rate as a percentage that keeps small error rates visible ("0.04%") without false precision on large ones. */
export function formatPercent(rate: number): string {
  if (!(rate > 0)) return '0%';
  const percent = rate * 100;
  if (percent < 0.01) return '<0.01%';
  if (percent < 1) return `${Number(percent.toFixed(2))}%`;
  if (percent < 10) return `${Number(percent.toFixed(1))}%`;
  return `${Math.round(percent)}%`;
}

/** Latency in ms, s or min; a dash when there were no requests to measure. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}

// ——— Text alternatives: hover tooltips and accessible names say everything the drawing does ———

export function nodeSummary(node: GraphNode): string {
  return `${node.id}, ${KIND_LABELS[node.kind]}, ${HEALTH_META[node.health].label}: ${formatRps(node.rps)} requests per second, ${formatPercent(node.errorRate)} errors, p99 ${formatMs(node.p99)}`;
}

export function nodeTooltip(node: GraphNode): string {
  const lines = [
    `${node.id} (${KIND_LABELS[node.kind]}) — ${HEALTH_META[node.health].label}`,
    ...node.reasons.map((r) => `• ${r}`),
    `${formatRps(node.rps)} req/s · ${node.requests} requests · ${formatPercent(node.errorRate)} errors`,
    `p50 ${formatMs(node.p50)} · p95 ${formatMs(node.p95)} · p99 ${formatMs(node.p99)}`,
  ];
  if (node.probe) lines.push(`Probe ${node.probe.status} at ${new Date(node.probe.at).toLocaleTimeString()}`);
  if (node.instances > 0) lines.push(node.instances === 1 ? '1 instance' : `${node.instances} instances`);
  return lines.join('\n');
}

export function edgeSummary(edge: GraphEdge): string {
  const breaker = isOpenBreaker(edge.breaker?.state) ? 'breaker open, ' : '';
  const lag = edge.lagP95 !== undefined ? `, queue lag p95 ${formatMs(edge.lagP95)}` : '';
  return `${edge.source} calls ${edge.target}: ${breaker}${formatRps(edge.rps)} requests per second, ${formatPercent(edge.errorRate)} errors, p95 ${formatMs(edge.p95)}${lag}`;
}

export function edgeTooltip(edge: GraphEdge): string {
  const lines = [
    `${edge.source} → ${edge.target}`,
    `${formatRps(edge.rps)} req/s · ${edge.requests} requests · ${formatPercent(edge.errorRate)} errors`,
    `p50 ${formatMs(edge.p50)} · p95 ${formatMs(edge.p95)} · p99 ${formatMs(edge.p99)}`,
    `retries ${formatPercent(edge.retryRate)} · timeouts ${formatPercent(edge.timeoutRate)}`,
  ];
  if (edge.lagP95 !== undefined) lines.push(`queue lag p95 ${formatMs(edge.lagP95)}`);
  if (edge.breaker) {
    const b = edge.breaker;
    lines.push(`breaker ${b.state.replace('_', ' ')} since ${new Date(b.since).toLocaleTimeString()} (${b.openInstances} of ${b.instances} open)`);
  }
  return lines.join('\n');
}

// ——— Layout ———

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 56;

/** Edge ids that survive any service name and are safe in DOM ids and test ids. */
export function edgeId(source: string, target: string): string {
  return `${encodeURIComponent(source)}>${encodeURIComponent(target)}`;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Identifies a topology: its node ids and edge pairs, in any order. A live refresh with the same
 * key reuses the previous positions, so metrics change without the map jumping.
 */
export function layoutKey(graph: Topology): string {
  const ids = graph.nodes.map((n) => n.id).sort(byText);
  const pairs = graph.edges.map((e) => edgeId(e.source, e.target)).sort(byText);
  return JSON.stringify([ids, pairs]);
}

/**
 * Tuned so 200 nodes stay readable: call depth runs left to right, layers are far enough apart
 * for an edge label ("12 rps · 0.5% err · p95 40 ms" is about 140 px) to sit between them, and
 * unconnected parts of the fleet are packed side by side rather than in one tall column. Edge
 * routes are not used (React Flow draws its own curves), so the cheapest routing will do.
 */
export const ELK_LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.spacing.nodeNodeBetweenLayers': '170',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.componentComponent': '60',
  'elk.separateConnectedComponents': 'true',
  'elk.aspectRatio': '1.8',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  // Input order is sorted, so ties are broken the same way on every layout of the same topology.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  // Layout runs on the main thread; a lighter crossing search halves its time at 200 nodes (~0.2 s).
  'elk.layered.thoroughness': '4',
};

export function buildElkGraph(graph: Topology): ElkNode {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const children = [...ids].sort(byText).map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT }));
  const edges: ElkExtendedEdge[] = [];
  const seen = new Set<string>();
  for (const e of graph.edges) {
    const id = edgeId(e.source, e.target);
    // Self-calls add nothing to depth and edges to missing nodes would make ELK reject the graph.
    if (e.source === e.target || !ids.has(e.source) || !ids.has(e.target) || seen.has(id)) continue;
    seen.add(id);
    edges.push({ id, sources: [e.source], targets: [e.target] });
  }
  edges.sort((a, b) => byText(a.id, b.id));
  return { id: 'root', layoutOptions: ELK_LAYOUT_OPTIONS, children, edges };
}

export type Positions = ReadonlyMap<string, { x: number; y: number }>;

export function positionsFromElk(result: ElkNode): Positions {
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}

// ——— Service page: RED over the range ———

export interface RedPoint {
  /** Start of the minute, epoch ms. */
  t: number;
  requests: number;
  rps: number;
  /** Percent; null in minutes without requests, so the line breaks instead of claiming 0%. */
  errorPct: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RedChart {
  points: RedPoint[];
  from: number;
  to: number;
  requests: number;
  /** Mean over the whole range. */
  rps: number;
  errorRate: number;
  peakP99: number | null;
}

const MINUTE_MS = 60_000;

/**
 * One point per minute of the range. Minutes the API left out had no requests: they are drawn as
 * zero traffic and gaps in the error and latency lines. Null when nothing was served.
 */
export function buildRedChart(metrics: Pick<ServiceMetrics, 'from' | 'to' | 'series'>): RedChart | null {
  const from = Date.parse(metrics.from);
  const to = Date.parse(metrics.to);
  const byMinute = new Map(metrics.series.map((p) => [Date.parse(p.minute), p]));
  let requests = 0;
  let errors = 0;
  let peakP99: number | null = null;
  for (const p of metrics.series) {
    requests += p.requests;
    errors += p.errorRate * p.requests;
    if (p.p99 !== null && (peakP99 === null || p.p99 > peakP99)) peakP99 = p.p99;
  }
  if (requests === 0) return null;
  const points: RedPoint[] = [];
  for (let t = from - (from % MINUTE_MS); t < to; t += MINUTE_MS) {
    const p = byMinute.get(t);
    points.push(
      p && p.requests > 0
        ? { t, requests: p.requests, rps: p.rps, errorPct: Number((p.errorRate * 100).toFixed(3)), p50: p.p50, p95: p.p95, p99: p.p99 }
        : { t, requests: 0, rps: 0, errorPct: null, p50: null, p95: null, p99: null },
    );
  }
  const seconds = Math.max(1, (to - from) / 1000);
  return { points, from, to, requests, rps: requests / seconds, errorRate: errors / requests, peakP99 };
}
