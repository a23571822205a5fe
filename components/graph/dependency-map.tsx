'use client';

import '@xyflow/react/dist/style.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Background,
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  ReactFlowProvider,
  getBezierPath,
  useReactFlow,
  useStore,
  type Edge,
  type EdgeMarker,
  type EdgeMouseHandler,
  type EdgeProps,
  type EdgeTypes,
  type FitViewOptions,
  type Node,
  type NodeMouseHandler,
  type NodeProps,
  type NodeTypes,
  type ReactFlowState,
} from '@xyflow/react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { createContext, memo, useCallback, useContext, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ServiceRunbooks } from '@/components/runbooks/service-runbooks';
import { BreakerStateBadge } from '@/components/services/status-badges';
import { TIME_RANGE_LABELS, formatClock } from '@/components/services/service-model';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage, QueryFeedback } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { GraphResult, type GraphEdge, type GraphNode } from '@/lib/schemas/graph';
import {
  BAD_ERROR_FACTOR,
  HEALTH_META,
  KIND_LABELS,
  LIVE_REFRESH_MS,
  NODE_HEIGHT,
  NODE_WIDTH,
  SEVERITY_COLORS,
  edgeId,
  edgeLook,
  edgeSummary,
  edgeTooltip,
  formatMs,
  formatPercent,
  formatRps,
  graphRequestRange,
  layoutKey,
  neighbourhood,
  nodeSummary,
  nodeTooltip,
  parseMapQuery,
  type EdgeLook,
  type MapQuery,
  type MapWindow,
  type NodeKind,
  type Severity,
} from './graph-model';
import { EdgeMetricCells, EdgeMetricHeaders } from './edge-metrics';
import { computeLayout } from './elk-layout';
import { MapToolbar } from './map-toolbar';

type MapNode = Node<GraphNode, 'graphNode'>;
type MapEdge = Edge<{ edge: GraphEdge; look: EdgeLook }, 'metric'>;
type Topology = { nodes: GraphNode[]; edges: GraphEdge[] };
type Selection = { kind: 'edge' | 'node'; id: string } | null;

/** Edge labels below this zoom would only be overlapping smudges; hovering still shows the numbers. */
const LABEL_MIN_ZOOM = 0.6;
/** Beyond this many nodes only what is on screen is rendered, and a minimap helps find the rest. */
const LARGE_GRAPH = 60;
const BREAK_GAP = 9;
const FIT_VIEW: FitViewOptions = { padding: 0.12, maxZoom: 1.25 };
const ARIA_LABELS = {
  'node.a11yDescription.default': 'Press Enter to open the service.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter to open the service.',
  'edge.a11yDescription.default': "Press Enter to show the call's details.",
};
/** Hex rather than CSS variables: React Flow builds marker ids from these values. */
const MARKERS: Record<Severity, EdgeMarker> = {
  ok: { type: MarkerType.ArrowClosed, color: SEVERITY_COLORS.ok, width: 18, height: 18, markerUnits: 'userSpaceOnUse' },
  warn: { type: MarkerType.ArrowClosed, color: SEVERITY_COLORS.warn, width: 18, height: 18, markerUnits: 'userSpaceOnUse' },
  bad: { type: MarkerType.ArrowClosed, color: SEVERITY_COLORS.bad, width: 18, height: 18, markerUnits: 'userSpaceOnUse' },
};
const MINIMAP_COLORS: Record<GraphNode['health'], string> = { ok: SEVERITY_COLORS.ok, degraded: SEVERITY_COLORS.warn, failing: SEVERITY_COLORS.bad, unknown: '#5b6475' };

function fetchGraph(window: MapWindow, signal: AbortSignal) {
  const range = graphRequestRange(window, Date.now());
  const params = new URLSearchParams({ from: range.from });
  if (range.to) params.set('to', range.to);
  return apiFetch(`/api/graph?${params}`, GraphResult, { signal });
}

function describeWindow(query: MapQuery, data: { from: string; to: string }): string {
  return query.window.kind === 'relative'
    ? `the last ${TIME_RANGE_LABELS[query.window.range]}`
    : `${formatClock(data.from, data.to)} to ${formatClock(data.to, data.to)}`;
}

/** The dependency map: fetches the graph for the URL's window, lays it out, and lists the same data as tables. */
export function DependencyMap({ getStarted }: { getStarted?: ReactNode }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const query = useMemo(() => parseMapQuery(searchParams), [searchParams]);
  const windowKey = query.window.kind === 'custom' ? [query.window.from, query.window.to] : [query.window.range];
  const graph = useQuery({
    queryKey: ['graph', ...windowKey],
    queryFn: ({ signal }) => fetchGraph(query.window, signal),
    refetchInterval: query.isLive ? LIVE_REFRESH_MS : false,
    // A new range keeps the current map on screen until its data arrives.
    placeholderData: keepPreviousData,
  });
  const data = graph.data;

  const hood = useMemo(() => (data && query.focus ? neighbourhood(data, query.focus, query.hops) : null), [data, query.focus, query.hops]);
  const visible: Topology | undefined = hood ?? data;
  const isFocusMissing = Boolean(data && query.focus && !hood);
  // Changing what is shown refits the view; a refresh of the same filter never does.
  const filterKey = hood ? `${query.focus}\u0000${query.hops}` : '';
  const nodeIds = useMemo(() => data?.nodes.map((n) => n.id) ?? [], [data]);

  const [selection, setSelection] = useState<Selection>(null);
  const openNode = useCallback(
    (node: GraphNode) => {
      if (node.kind === 'service') router.push(`/services/${encodeURIComponent(node.id)}`);
      else setSelection({ kind: 'node', id: node.id });
    },
    [router],
  );
  const selectEdge = useCallback((id: string) => setSelection({ kind: 'edge', id }), []);
  const closePanel = useCallback(() => setSelection(null), []);

  const selectedEdge = selection?.kind === 'edge' ? visible?.edges.find((e) => edgeId(e.source, e.target) === selection.id) : undefined;
  const selectedNode = selection?.kind === 'node' ? visible?.nodes.find((n) => n.id === selection.id) : undefined;
  const kindOf = useMemo(() => new Map(data?.nodes.map((n) => [n.id, n.kind])), [data]);

  return (
    <>
      <MapToolbar query={query} nodeIds={nodeIds} isRefreshing={graph.isFetching} onRefresh={() => void graph.refetch()} />
      <QueryFeedback isPending={graph.isPending} error={graph.error} what="the dependency map" />
      {data && data.nodes.length === 0 && (
        <EmptyState title="No services have reported yet">
          <p>
            Nothing reported in {describeWindow(query, data)}. The map draws itself from trace rollups: send traces from your services with any OpenTelemetry SDK
            (OTLP/HTTP to <code>/v1/traces</code> with an ingest API key), or run <code>npm run demo</code> to start a simulated fleet that does. Services appear
            within seconds of their first spans, and calls between them once both sides of a call have arrived. If services reported earlier, widen the time
            range.
          </p>
          {getStarted}
        </EmptyState>
      )}
      {isFocusMissing && (
        <p className="alert map-notice" role="status">
          Nothing named <strong>{query.focus}</strong> is on the map in {data && describeWindow(query, data)}; showing the whole map.
        </p>
      )}
      {data && visible && visible.nodes.length > 0 && (
        <>
          <p className="muted map-status" data-testid="map-status">
            {hood ? `${query.focus} and its neighbours within ${query.hops} ${query.hops === 1 ? 'hop' : 'hops'}: ` : ''}
            {visible.nodes.length === 1 ? '1 node' : `${visible.nodes.length} nodes`}, {visible.edges.length === 1 ? '1 call path' : `${visible.edges.length} call paths`} over{' '}
            {describeWindow(query, data)}
            {graph.dataUpdatedAt > 0 && <> · updated {formatClock(graph.dataUpdatedAt, graph.dataUpdatedAt)}</>}
            {graph.isPlaceholderData && ' · loading the new range…'}
          </p>
          <div className="map-layout">
            <ReactFlowProvider>
              <MapCanvas graph={visible} slo={data.slo} filterKey={filterKey} selectedEdgeId={selectedEdge ? selection?.id : undefined} onOpenNode={openNode} onSelectEdge={selectEdge} />
            </ReactFlowProvider>
            {selectedEdge && <EdgeDetails edge={selectedEdge} slo={data.slo} kindOf={kindOf} onClose={closePanel} />}
            {selectedNode && <NodeDetails node={selectedNode} onClose={closePanel} />}
          </div>
          <MapLegend sloErrorRate={data.slo.errorRate} />
          <MapTables graph={visible} onSelectEdge={selectEdge} />
        </>
      )}
    </>
  );
}

// ——— Canvas ———

/** Edges draw inside React Flow, which cannot pass callbacks to them; the context can. */
const SelectEdgeContext = createContext<(id: string) => void>(() => undefined);
const isZoomedIn = (s: ReactFlowState) => s.transform[2] >= LABEL_MIN_ZOOM;

function MapCanvas({
  graph,
  slo,
  filterKey,
  selectedEdgeId,
  onOpenNode,
  onSelectEdge,
}: {
  graph: Topology;
  slo: GraphResult['slo'];
  filterKey: string;
  selectedEdgeId: string | undefined;
  onOpenNode: (node: GraphNode) => void;
  onSelectEdge: (id: string) => void;
}) {
  const key = useMemo(() => layoutKey(graph), [graph]);
  // Layouts are cached per topology: a live refresh with the same services and calls reuses the
  // positions (no jump), and switching back to an earlier filter is instant.
  const layout = useQuery({
    queryKey: ['graph-layout', key],
    queryFn: () => computeLayout(graph),
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    retry: false,
    // While a changed topology is laid out, the previous positions stay on screen.
    placeholderData: keepPreviousData,
  });
  const positions = layout.data;
  const isLayoutCurrent = layout.isSuccess && !layout.isPlaceholderData;

  const nodes = useMemo(() => {
    const out: MapNode[] = [];
    if (!positions) return out;
    for (const n of graph.nodes) {
      const position = positions.get(n.id);
      // New nodes wait for the new layout rather than piling up at the origin.
      if (position) out.push({ id: n.id, type: 'graphNode', position, data: n, width: NODE_WIDTH, height: NODE_HEIGHT, ariaLabel: nodeSummary(n) });
    }
    return out;
  }, [graph.nodes, positions]);

  const edges = useMemo(() => {
    const placed = new Set(nodes.map((n) => n.id));
    const out: MapEdge[] = [];
    for (const e of graph.edges) {
      if (!placed.has(e.source) || !placed.has(e.target)) continue;
      const id = edgeId(e.source, e.target);
      const look = edgeLook(e, slo);
      out.push({ id, source: e.source, target: e.target, type: 'metric', data: { edge: e, look }, markerEnd: MARKERS[look.severity], ariaLabel: edgeSummary(e), selected: id === selectedEdgeId });
    }
    return out;
  }, [graph.edges, nodes, slo, selectedEdgeId]);

  const { fitView } = useReactFlow();
  const fittedFilter = useRef<string | null>(null);
  useEffect(() => {
    // Only the first layout and a new filter fit the view; live refreshes keep the user's pan and zoom.
    if (!isLayoutCurrent || fittedFilter.current === filterKey) return;
    fittedFilter.current = filterKey;
    void fitView(FIT_VIEW);
  }, [isLayoutCurrent, filterKey, fitView]);

  const onNodeClick = useCallback<NodeMouseHandler<MapNode>>((_, node) => onOpenNode(node.data), [onOpenNode]);
  const onEdgeClick = useCallback<EdgeMouseHandler<MapEdge>>((_, edge) => onSelectEdge(edge.id), [onSelectEdge]);

  const nodeById = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph.nodes]);
  // React Flow selects on Enter; here Enter does what a click does.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Enter') return;
    const target = event.target as Element;
    const nodeId = target.closest('.react-flow__node')?.getAttribute('data-id');
    const node = nodeId ? nodeById.get(nodeId) : undefined;
    if (node) return onOpenNode(node);
    const edgeIdAttr = target.closest('.react-flow__edge')?.getAttribute('data-id');
    if (edgeIdAttr) onSelectEdge(edgeIdAttr);
  }

  const isLarge = graph.nodes.length > LARGE_GRAPH;
  return (
    <div className="map-canvas" onKeyDown={onKeyDown} data-testid="dependency-map">
      {layout.isPending && <p className="loading map-canvas-note">Laying out {graph.nodes.length === 1 ? '1 node' : `${graph.nodes.length} nodes`}…</p>}
      {layout.error && <ErrorMessage>{`Could not lay out the map: ${layout.error.message}. The tables below list the same data.`}</ErrorMessage>}
      <SelectEdgeContext.Provider value={onSelectEdge}>
        <ReactFlow<MapNode, MapEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodeClick={onNodeClick}
          onEdgeClick={onEdgeClick}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          nodesFocusable
          edgesFocusable
          onlyRenderVisibleElements={isLarge}
          minZoom={0.05}
          maxZoom={2}
          colorMode="dark"
          ariaLabelConfig={ARIA_LABELS}
          role="region"
          aria-label="Dependency map drawing"
        >
          <Background gap={24} />
          <Controls showInteractive={false} fitViewOptions={FIT_VIEW} />
          {isLarge && <MiniMap<MapNode> pannable zoomable nodeColor={(n) => MINIMAP_COLORS[n.data.health]} maskColor="rgba(15, 18, 24, 0.6)" />}
        </ReactFlow>
      </SelectEdgeContext.Provider>
    </div>
  );
}

function KindIcon({ kind }: { kind: NodeKind }) {
  const common = { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': true, className: 'map-kind-icon', fill: 'none', stroke: 'currentColor', strokeWidth: 1.4 } as const;
  switch (kind) {
    case 'service':
      return (
        <svg {...common}>
          <polygon points="7,1 12.5,4 12.5,10 7,13 1.5,10 1.5,4" />
        </svg>
      );
    case 'database':
      return (
        <svg {...common}>
          <ellipse cx="7" cy="3.5" rx="5" ry="2" />
          <path d="M2 3.5v7c0 1.1 2.2 2 5 2s5-.9 5-2v-7" />
        </svg>
      );
    case 'cache':
      return (
        <svg {...common}>
          <polygon points="8,1 2.5,8 6.5,8 5.5,13 11.5,6 7.5,6" />
        </svg>
      );
    case 'queue':
      return (
        <svg {...common}>
          <rect x="1.5" y="2" width="11" height="2.5" />
          <rect x="1.5" y="5.75" width="11" height="2.5" />
          <rect x="1.5" y="9.5" width="11" height="2.5" />
        </svg>
      );
    case 'external':
      return (
        <svg {...common}>
          <circle cx="7" cy="7" r="5.5" />
          <path d="M1.5 7h11M7 1.5c-2 2.8-2 8.2 0 11M7 1.5c2 2.8 2 8.2 0 11" />
        </svg>
      );
  }
}

const GraphNodeView = memo(function GraphNodeView({ data: node }: NodeProps<MapNode>) {
  return (
    <div className={`map-node health-${node.health} kind-${node.kind}`} title={nodeTooltip(node)}>
      <Handle type="target" position={Position.Left} isConnectable={false} className="map-handle" />
      <div className="map-node-title">
        <KindIcon kind={node.kind} />
        <span className="map-node-name">{node.id}</span>
      </div>
      <div className="map-node-metrics">
        {formatRps(node.rps)}/s · {formatPercent(node.errorRate)} err · p99 {formatMs(node.p99)}
      </div>
      <div className="map-node-foot">
        {/* The health in words, so colour is never the only cue. */}
        <span className="map-node-health">{HEALTH_META[node.health].label}</span>
        {node.kind !== 'service' && <span>{KIND_LABELS[node.kind]}</span>}
        {node.probe && <span className={`map-node-probe status-${node.probe.status}`}>probe {node.probe.status}</span>}
        {node.instances > 0 && <span>{node.instances} inst</span>}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} className="map-handle" />
    </div>
  );
});

const MetricEdge = memo(function MetricEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, selected }: EdgeProps<MapEdge>) {
  const selectEdge = useContext(SelectEdgeContext);
  const isLabelled = useStore(isZoomedIn);
  if (!data) return null;
  const { edge, look } = data;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const style = { stroke: look.color, strokeWidth: selected ? look.width + 2 : look.width, strokeDasharray: look.isBroken ? '7 5' : undefined };
  const interactionWidth = Math.max(16, look.width + 10);
  const tooltip = edgeTooltip(edge);
  return (
    <>
      <title>{tooltip}</title>
      {look.isBroken ? (
        // An open breaker cuts the call: two halves with a gap where the label sits.
        <>
          <BaseEdge
            path={getBezierPath({ sourceX, sourceY, sourcePosition, targetX: labelX - BREAK_GAP, targetY: labelY, targetPosition: Position.Left })[0]}
            style={style}
            interactionWidth={interactionWidth}
          />
          <BaseEdge
            path={getBezierPath({ sourceX: labelX + BREAK_GAP, sourceY: labelY, sourcePosition: Position.Right, targetX, targetY, targetPosition })[0]}
            markerEnd={markerEnd}
            style={style}
            interactionWidth={interactionWidth}
          />
        </>
      ) : (
        <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />
      )}
      {isLabelled && (
        <EdgeLabelRenderer>
          {/* Mouse only (the edge itself is the keyboard stop) and hidden from screen readers, which get the edge's own label. */}
          <button
            type="button"
            tabIndex={-1}
            aria-hidden="true"
            className={`map-edge-label nodrag nopan severity-${look.severity}${look.isBroken ? ' is-broken' : ''}${selected ? ' is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={tooltip}
            onClick={() => selectEdge(id)}
          >
            {look.label}
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

// Module constants: React Flow re-creates every node and edge when these objects change identity.
const NODE_TYPES: NodeTypes = { graphNode: GraphNodeView };
const EDGE_TYPES: EdgeTypes = { metric: MetricEdge };

// ——— Details panel ———

function PanelHeading({ id, title, onClose }: { id: string; title: string; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on what they just opened.
  useEffect(() => heading.current?.focus(), [id]);
  return (
    <header className="map-panel-head">
      <h2 ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <button type="button" onClick={onClose} aria-label="Close details">
        ×
      </button>
    </header>
  );
}

function ServiceLink({ id, kind }: { id: string; kind: NodeKind | undefined }) {
  return kind === 'service' ? <Link href={`/services/${encodeURIComponent(id)}`}>{id}</Link> : <strong>{id}</strong>;
}

function EdgeDetails({ edge, slo, kindOf, onClose }: { edge: GraphEdge; slo: GraphResult['slo']; kindOf: ReadonlyMap<string, NodeKind>; onClose: () => void }) {
  const look = edgeLook(edge, slo);
  const id = edgeId(edge.source, edge.target);
  const facts: [string, ReactNode][] = [
    ['Requests', edge.requests.toLocaleString()],
    ['Rate', `${formatRps(edge.rps)} req/s`],
    ['Error rate', <span key="err" className={`map-severity-${look.severity}`}>{formatPercent(edge.errorRate)}</span>],
    ['p50', formatMs(edge.p50)],
    ['p95', formatMs(edge.p95)],
    ['p99', formatMs(edge.p99)],
    ['Retries', formatPercent(edge.retryRate)],
    ['Timeouts', formatPercent(edge.timeoutRate)],
  ];
  if (edge.lagP95 !== undefined) facts.push(['Queue lag p95', formatMs(edge.lagP95)]);
  return (
    <aside className="card map-panel" aria-label={`Call ${edge.source} → ${edge.target}`} data-testid="map-edge-details">
      <PanelHeading id={id} title={`${edge.source} → ${edge.target}`} onClose={onClose} />
      <p className="muted">
        <ServiceLink id={edge.source} kind={kindOf.get(edge.source)} /> calls <ServiceLink id={edge.target} kind={kindOf.get(edge.target)} />
      </p>
      <dl className="map-facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {edge.breaker && (
        <>
          <h3>Circuit breaker</h3>
          <p>
            <BreakerStateBadge state={edge.breaker.state} /> since {formatClock(edge.breaker.since, edge.breaker.since)} ·{' '}
            {edge.breaker.openInstances} of {edge.breaker.instances} open
          </p>
        </>
      )}
      <p>
        <Link href={`/traces?${new URLSearchParams({ service: edge.source, status: 'error' })}`}>Error traces from {edge.source}</Link>
      </p>
    </aside>
  );
}

function NodeDetails({ node, onClose }: { node: GraphNode; onClose: () => void }) {
  return (
    <aside className="card map-panel" aria-label={`${KIND_LABELS[node.kind]} ${node.id}`}>
      <PanelHeading id={node.id} title={node.id} onClose={onClose} />
      <p>
        <span className={`badge map-health-${node.health}`}>{HEALTH_META[node.health].label}</span> {KIND_LABELS[node.kind]}, not instrumented: these are the
        numbers its callers saw.
      </p>
      {node.reasons.length > 0 && (
        <ul className="map-reasons">
          {node.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <dl className="map-facts">
        <div>
          <dt>Requests</dt>
          <dd>{node.requests.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{formatRps(node.rps)} req/s</dd>
        </div>
        <div>
          <dt>Error rate</dt>
          <dd>{formatPercent(node.errorRate)}</dd>
        </div>
        <div>
          <dt>p50 / p95 / p99</dt>
          <dd>
            {formatMs(node.p50)} / {formatMs(node.p95)} / {formatMs(node.p99)}
          </dd>
        </div>
      </dl>
      <ServiceRunbooks service={node.id} />
    </aside>
  );
}

// ——— Legend and text alternative ———

function MapLegend({ sloErrorRate }: { sloErrorRate: number }) {
  return (
    <ul className="map-legend" aria-label="Legend">
      <li>
        <span className="map-legend-line severity-ok" aria-hidden="true" /> errors below {formatPercent(sloErrorRate)} (SLO)
      </li>
      <li>
        <span className="map-legend-line severity-warn" aria-hidden="true" /> below {formatPercent(sloErrorRate * BAD_ERROR_FACTOR)}
      </li>
      <li>
        <span className="map-legend-line severity-bad" aria-hidden="true" /> {formatPercent(sloErrorRate * BAD_ERROR_FACTOR)} or more
      </li>
      <li>
        <span className="map-legend-line is-broken" aria-hidden="true" /> breaker open
      </li>
      <li>thicker line = more requests per second</li>
      <li>click a service to open it, a call for its details</li>
    </ul>
  );
}

/** Everything the drawing shows, as tables: for screen readers, for 200-service fleets, and for tests. */
function MapTables({ graph, onSelectEdge }: { graph: Topology; onSelectEdge: (id: string) => void }) {
  return (
    <details className="card map-tables">
      <summary>Nodes and calls as tables</summary>
      <div className="table-scroll">
        <table>
          <caption>Nodes</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Health</th>
              <th scope="col">Req/s</th>
              <th scope="col">Errors</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">p99</th>
              <th scope="col">Probe</th>
              <th scope="col">Instances</th>
            </tr>
          </thead>
          <tbody>
            {graph.nodes.map((n) => (
              <tr key={n.id} data-testid={`map-node-row-${n.id}`}>
                <th scope="row" className="service-name">
                  <ServiceLink id={n.id} kind={n.kind} />
                </th>
                <td>{KIND_LABELS[n.kind]}</td>
                <td>
                  <span className={`badge map-health-${n.health}`}>{HEALTH_META[n.health].label}</span>
                  {n.reasons.length > 0 && <span className="muted"> {n.reasons.join('; ')}</span>}
                </td>
                <td>{formatRps(n.rps)}</td>
                <td>{formatPercent(n.errorRate)}</td>
                <td>{formatMs(n.p50)}</td>
                <td>{formatMs(n.p95)}</td>
                <td>{formatMs(n.p99)}</td>
                <td>{n.probe ? n.probe.status : <span className="muted">—</span>}</td>
                <td>{n.instances || <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table>
          <caption>Calls</caption>
          <thead>
            <tr>
              <th scope="col">Caller → callee</th>
              <EdgeMetricHeaders />
              <th scope="col">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {graph.edges.map((e) => {
              const id = edgeId(e.source, e.target);
              return (
                <tr key={id}>
                  <th scope="row" className="service-name">
                    {e.source} → {e.target}
                  </th>
                  <EdgeMetricCells edge={e} />
                  <td>
                    <button type="button" onClick={() => onSelectEdge(id)}>
                      Details<span className="sr-only"> of {e.source} → {e.target}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}
