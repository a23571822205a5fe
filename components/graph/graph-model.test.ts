import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '@/lib/schemas/graph';
import {
  EDGE_WIDTH,
  NODE_HEIGHT,
  NODE_WIDTH,
  SEVERITY_COLORS,
  buildElkGraph,
  buildRedChart,
  edgeId,
  edgeLabel,
  edgeLook,
  edgeSummary,
  edgeWidth,
  errorSeverity,
  formatMs,
  formatPercent,
  formatRps,
  graphRequestRange,
  layoutKey,
  mapQueryString,
  neighbourhood,
  parseMapQuery,
  positionsFromElk,
} from './graph-model';

const SLO = { errorRate: 0.05, latencyP99Ms: 1000 };

function node(id: string, overrides: Partial<GraphNode> = {}): GraphNode {
  return { id, kind: 'service', requests: 100, rps: 1, errorRate: 0, p50: 5, p95: 20, p99: 40, health: 'ok', reasons: [], instances: 1, ...overrides };
}

function edge(source: string, target: string, overrides: Partial<GraphEdge> = {}): GraphEdge {
  return { source, target, requests: 100, rps: 1, errorRate: 0, p50: 5, p95: 20, p99: 40, retryRate: 0, timeoutRate: 0, ...overrides };
}

// web-frontend → api-gateway → checkout → {payment, inventory → postgres}
const DEMO = {
  nodes: ['web-frontend', 'api-gateway', 'checkout', 'payment', 'inventory', 'postgresql/inventory'].map((id) => node(id)),
  edges: [
    edge('web-frontend', 'api-gateway'),
    edge('api-gateway', 'checkout'),
    edge('checkout', 'payment'),
    edge('checkout', 'inventory'),
    edge('inventory', 'postgresql/inventory'),
  ],
};

const ids = (g: { nodes: { id: string }[] } | null) => g?.nodes.map((n) => n.id).sort();

describe('map URL state', () => {
  const params = (qs: string) => new URLSearchParams(qs);

  it('reads a relative window, live mode and a focus', () => {
    expect(parseMapQuery(params('range=1h&live=1&focus=checkout&hops=2'))).toEqual({
      window: { kind: 'relative', range: '1h' },
      isLive: true,
      focus: 'checkout',
      hops: 2,
    });
  });

  it('falls back to the last 15 minutes, not live, whole map', () => {
    expect(parseMapQuery(params('range=2w&hops=9&live=yes'))).toEqual({ window: { kind: 'relative', range: '15m' }, isLive: false, focus: '', hops: 1 });
  });

  it('takes a valid from/to as a custom window that is never live', () => {
    const q = parseMapQuery(params('from=2026-01-01T10:00:00Z&to=2026-01-01T11:00:00Z&live=1&range=6h'));
    expect(q.window).toEqual({ kind: 'custom', from: '2026-01-01T10:00:00.000Z', to: '2026-01-01T11:00:00.000Z' });
    expect(q.isLive).toBe(false);
    expect(parseMapQuery(params('from=2026-01-01T11:00:00Z&to=2026-01-01T10:00:00Z')).window).toEqual({ kind: 'relative', range: '15m' });
  });

  it('writes a canonical query string that reads back the same', () => {
    const q = parseMapQuery(params('hops=3&focus=checkout&live=1&range=6h'));
    expect(mapQueryString(q)).toBe('range=6h&live=1&focus=checkout&hops=3');
    expect(parseMapQuery(params(mapQueryString(q)))).toEqual(q);
    expect(mapQueryString({ ...q, focus: '' })).toBe('range=6h&live=1');
  });

  it('asks the API for a window ending at its own now, unless the window is custom', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(graphRequestRange({ kind: 'relative', range: '1h' }, now)).toEqual({ from: '2026-01-01T11:00:00.000Z' });
    expect(graphRequestRange({ kind: 'custom', from: 'a', to: 'b' }, now)).toEqual({ from: 'a', to: 'b' });
  });
});

describe('neighbourhood', () => {
  it('keeps the direct callers and callees at one hop', () => {
    const hood = neighbourhood(DEMO, 'checkout', 1);
    expect(ids(hood)).toEqual(['api-gateway', 'checkout', 'inventory', 'payment']);
    expect(hood!.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual(['api-gateway>checkout', 'checkout>inventory', 'checkout>payment']);
  });

  it('walks further in both directions with more hops', () => {
    expect(ids(neighbourhood(DEMO, 'checkout', 2))).toEqual(ids(DEMO));
  });

  it('leaves out siblings: they are on no path through the focus', () => {
    expect(ids(neighbourhood(DEMO, 'payment', 2))).toEqual(['api-gateway', 'checkout', 'payment']);
  });

  it('stops on cycles and says when the focus is not on the map', () => {
    const cyclic = { nodes: [node('a'), node('b')], edges: [edge('a', 'b'), edge('b', 'a')] };
    expect(ids(neighbourhood(cyclic, 'a', 3))).toEqual(['a', 'b']);
    expect(neighbourhood(DEMO, 'nope', 1)).toBeNull();
  });
});

describe('edge styling', () => {
  it('colours by error rate against the SLO: below it ok, below 4× warn, else bad', () => {
    expect([0, 0.0499, 0.05, 0.1999, 0.2, 1].map((r) => errorSeverity(r, SLO.errorRate))).toEqual(['ok', 'ok', 'warn', 'warn', 'bad', 'bad']);
  });

  it('widens with the rate on a log scale between the minimum and maximum', () => {
    expect(edgeWidth(0)).toBe(EDGE_WIDTH.min);
    expect(edgeWidth(Number.NaN)).toBe(EDGE_WIDTH.min);
    expect(edgeWidth(EDGE_WIDTH.rpsAtMax)).toBe(EDGE_WIDTH.max);
    expect(edgeWidth(1e6)).toBe(EDGE_WIDTH.max);
    const widths = [0.1, 1, 10, 100].map(edgeWidth);
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
    // Log scale: 10 rps is already well past a third of the way, where a linear scale would be at 1%.
    expect(edgeWidth(10)).toBeGreaterThan(EDGE_WIDTH.min + (EDGE_WIDTH.max - EDGE_WIDTH.min) / 3);
  });

  it('draws an open breaker broken and red whatever the error rate', () => {
    const look = edgeLook(edge('checkout', 'payment', { breaker: { state: 'open', since: '2026-01-01T00:00:00Z', openInstances: 1, instances: 2 } }), SLO);
    expect(look).toMatchObject({ isBroken: true, severity: 'bad', color: SEVERITY_COLORS.bad });
    expect(look.label).toBe('breaker open');
    expect(edgeLook(edge('a', 'b', { breaker: { state: 'half_open', since: '2026-01-01T00:00:00Z', openInstances: 0, instances: 1 } }), SLO).isBroken).toBe(false);
  });

  it('labels rate, errors and p95, or the lag on queue edges', () => {
    expect(edgeLabel(edge('a', 'b', { rps: 12.34, errorRate: 0.005, p95: 40 }))).toBe('12.3 rps · 0.5% err · p95 40 ms');
    expect(edgeLabel(edge('orders', 'shipping', { rps: 5, lagP95: 1500 }))).toBe('5 rps · 0% err · lag p95 1.5 s');
  });

  it('names an edge with every number the label has, and the breaker and lag too', () => {
    const summary = edgeSummary(edge('orders', 'shipping', { rps: 5, errorRate: 0.25, lagP95: 1500, breaker: { state: 'forced_open', since: '2026-01-01T00:00:00Z', openInstances: 1, instances: 1 } }));
    expect(summary).toBe('orders calls shipping: breaker open, 5 requests per second, 25% errors, p95 20 ms, queue lag p95 1.5 s');
  });
});

describe('formatting', () => {
  it('formats rates, percentages and latencies to what matters', () => {
    expect([0, 0.004, 0.25, 3.44, 120.4, 12_345].map(formatRps)).toEqual(['0', '<0.01', '0.25', '3.4', '120', '12.3k']);
    expect([0, 0.00004, 0.0042, 0.042, 0.42].map(formatPercent)).toEqual(['0%', '<0.01%', '0.42%', '4.2%', '42%']);
    expect([null, 0.42, 42.4, 1500, 90_000].map(formatMs)).toEqual(['—', '0.4 ms', '42 ms', '1.5 s', '1.5 min']);
  });
});

describe('layoutKey', () => {
  it('ignores order and metrics, so a refresh with the same topology keeps the layout', () => {
    const refreshed = {
      nodes: [...DEMO.nodes].reverse().map((n) => ({ ...n, rps: n.rps * 3, health: 'failing' as const })),
      edges: [...DEMO.edges].reverse().map((e) => ({ ...e, errorRate: 0.5 })),
    };
    expect(layoutKey(refreshed)).toBe(layoutKey(DEMO));
  });

  it('changes with a new node or a new edge', () => {
    expect(layoutKey({ ...DEMO, nodes: [...DEMO.nodes, node('cart')] })).not.toBe(layoutKey(DEMO));
    expect(layoutKey({ ...DEMO, edges: [...DEMO.edges, edge('payment', 'inventory')] })).not.toBe(layoutKey(DEMO));
    // Direction matters: a → b and b → a are different call graphs.
    expect(layoutKey({ nodes: DEMO.nodes, edges: [edge('a', 'b')] })).not.toBe(layoutKey({ nodes: DEMO.nodes, edges: [edge('b', 'a')] }));
  });

  it('cannot be fooled by names that contain the separators', () => {
    expect(edgeId('a>b', 'c')).not.toBe(edgeId('a', 'b>c'));
  });
});

describe('buildElkGraph', () => {
  it('asks for a layered, left-to-right layout of fixed-size nodes', () => {
    const graph = buildElkGraph(DEMO);
    expect(graph.layoutOptions).toMatchObject({ 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' });
    expect(graph.children).toHaveLength(6);
    expect(graph.children!.every((c) => c.width === NODE_WIDTH && c.height === NODE_HEIGHT)).toBe(true);
    expect(graph.edges).toHaveLength(5);
  });

  it('leaves out self-calls, duplicates and edges to nodes not on the map, in a stable order', () => {
    const graph = buildElkGraph({ nodes: [node('b'), node('a')], edges: [edge('a', 'a'), edge('b', 'a'), edge('a', 'b'), edge('a', 'b'), edge('a', 'gone')] });
    expect(graph.children!.map((c) => c.id)).toEqual(['a', 'b']);
    expect(graph.edges!.map((e) => e.id)).toEqual([edgeId('a', 'b'), edgeId('b', 'a')]);
  });

  it('places nodes left to right by call depth', async () => {
    const positions = positionsFromElk(await new ELK().layout(buildElkGraph(DEMO)));
    const x = (id: string) => positions.get(id)!.x;
    expect(x('web-frontend')).toBeLessThan(x('api-gateway'));
    expect(x('api-gateway')).toBeLessThan(x('checkout'));
    expect(x('checkout')).toBeLessThan(x('payment'));
    expect(x('inventory')).toBeLessThan(x('postgresql/inventory'));
  });

  it('lays out 200 services without overlaps', async () => {
    // A fleet shaped like real ones: a few entry points fanning out over five tiers of callees.
    const nodes = Array.from({ length: 200 }, (_, i) => node(`svc-${String(i).padStart(3, '0')}`));
    const edges: GraphEdge[] = [];
    for (let i = 10; i < 200; i++) {
      const tier = Math.floor(i / 40);
      for (const k of [1, 7]) edges.push(edge(`svc-${String(Math.max(0, tier * 40 - 40 + ((i * k) % 40))).padStart(3, '0')}`, `svc-${String(i).padStart(3, '0')}`));
    }
    const positions = positionsFromElk(await new ELK().layout(buildElkGraph({ nodes, edges })));
    expect(positions.size).toBe(200);
    const boxes = [...positions.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlaps = Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT;
        expect(overlaps).toBe(false);
      }
    }
  });
});

describe('buildRedChart', () => {
  const metrics = {
    from: '2026-01-01T10:00:30Z',
    to: '2026-01-01T10:04:00Z',
    series: [
      { minute: '2026-01-01T10:01:00.000Z', requests: 60, rps: 1, errorRate: 0.1, p50: 5, p95: 20, p99: 80 },
      { minute: '2026-01-01T10:03:00.000Z', requests: 40, rps: 0.67, errorRate: 0, p50: 4, p95: 10, p99: 30 },
    ],
  };

  it('has a point for every minute and breaks the error and latency lines where nothing was served', () => {
    const chart = buildRedChart(metrics)!;
    expect(chart.points.map((p) => new Date(p.t).toISOString().slice(11, 16))).toEqual(['10:00', '10:01', '10:02', '10:03']);
    expect(chart.points.map((p) => p.rps)).toEqual([0, 1, 0, 0.67]);
    expect(chart.points.map((p) => p.errorPct)).toEqual([null, 10, null, 0]);
    expect(chart.points[2]!.p99).toBeNull();
  });

  it('sums the range for the caption', () => {
    expect(buildRedChart(metrics)).toMatchObject({ requests: 100, errorRate: 0.06, peakP99: 80, rps: 100 / 210 });
  });

  it('is null without requests', () => {
    expect(buildRedChart({ ...metrics, series: [] })).toBeNull();
  });
});
