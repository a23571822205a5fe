'use client';

import '@xyflow/react/dist/style.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Handle, MarkerType, Position, ReactFlow, type Edge, type FitViewOptions, type Node, type NodeProps, type NodeTypes } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { computeLayout } from '@/components/graph/elk-layout';
import { NODE_HEIGHT, NODE_WIDTH, SEVERITY_COLORS, edgeId, layoutKey } from '@/components/graph/graph-model';
import { ErrorMessage } from '@/components/ui/feedback';
import type { IncidentDetailDto } from '@/lib/schemas/incidents';
import { useIncidentGraph } from './incident-api';
import { abbreviateNames, buildIncidentMap, type IncidentMapModel, type IncidentWindow, type MapRole } from './incident-model';

type MiniNode = Node<{ name: string; role: MapRole }, 'incidentNode'>;

const FIT_VIEW: FitViewOptions = { padding: 0.15, maxZoom: 1 };
const GREY = '#5b6475';
/** Hex rather than CSS variables: React Flow builds marker ids from these values. */
const ROOT_EDGE = { stroke: SEVERITY_COLORS.bad, strokeWidth: 4 };
const OTHER_EDGE = { stroke: GREY, strokeWidth: 1.5 };
const ROLE_LABELS: Record<MapRole, string> = { root: 'root cause', symptom: 'symptom', other: 'alerted' };

/** A small, still picture of the failure: root cause in red, symptoms in amber, other alerted parts in grey, and the calls among them. */
export function IncidentMap({ incident, period }: { incident: IncidentDetailDto; period: IncidentWindow }) {
  const graph = useIncidentGraph(incident.id, period);
  const edges = graph.data?.edges;
  // Without the graph the parts are still drawn, unconnected: the root cause is never missing.
  const model = useMemo(() => (graph.isPending ? null : buildIncidentMap(incident, edges ?? [])), [graph.isPending, incident, edges]);
  return (
    <section className="card" aria-labelledby="incident-map-title">
      <h2 id="incident-map-title">Where it happened</h2>
      {graph.isPending && <p className="loading">Loading the dependency map…</p>}
      <ErrorMessage>{graph.error ? `Could not load the calls between services: ${graph.error.message}` : null}</ErrorMessage>
      {model && (model.nodes.length === 0 ? <p className="muted">No services to show yet.</p> : <MiniMapCanvas model={model} />)}
      <ul className="map-legend incident-map-legend" aria-label="Legend">
        <li>
          <span className="incident-map-swatch role-root" aria-hidden="true" /> root cause
        </li>
        <li>
          <span className="incident-map-swatch role-symptom" aria-hidden="true" /> symptom
        </li>
        <li>
          <span className="incident-map-swatch role-other" aria-hidden="true" /> alerted, not ranked
        </li>
      </ul>
    </section>
  );
}

function describeMap(model: IncidentMapModel): string {
  const of = (role: MapRole) => model.nodes.filter((n) => n.role === role).map((n) => n.id);
  const parts = [];
  const root = of('root');
  const rootEdge = model.edges.find((e) => e.isRoot);
  if (root.length > 0) parts.push(`root cause ${root.join(', ')}`);
  if (rootEdge) parts.push(`root cause the call ${rootEdge.source} → ${rootEdge.target}`);
  if (of('symptom').length > 0) parts.push(`symptoms ${abbreviateNames(of('symptom'), 6)}`);
  if (of('other').length > 0) parts.push(`also alerted ${abbreviateNames(of('other'), 6)}`);
  const calls = model.edges.map((e) => `${e.source} → ${e.target}`);
  return `Dependency map of the incident: ${parts.join('; ')}. Calls: ${calls.length > 0 ? calls.join(', ') : 'none recorded'}.`;
}

function MiniMapCanvas({ model }: { model: IncidentMapModel }) {
  const key = useMemo(() => layoutKey({ nodes: model.nodes, edges: model.edges }), [model]);
  // Same cache as the dependency map's layouts: the same topology is laid out once.
  const layout = useQuery({
    queryKey: ['graph-layout', key],
    queryFn: () => computeLayout({ nodes: model.nodes, edges: model.edges }),
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const positions = layout.data;

  const nodes = useMemo(() => {
    if (!positions) return [];
    return model.nodes.flatMap((n): MiniNode[] => {
      const position = positions.get(n.id);
      return position ? [{ id: n.id, type: 'incidentNode', position, data: { name: n.id, role: n.role }, width: NODE_WIDTH, height: NODE_HEIGHT }] : [];
    });
  }, [model.nodes, positions]);
  const edges = useMemo(
    () =>
      model.edges.map(
        (e): Edge => ({
          id: edgeId(e.source, e.target),
          source: e.source,
          target: e.target,
          style: e.isRoot ? ROOT_EDGE : OTHER_EDGE,
          markerEnd: { type: MarkerType.ArrowClosed, color: e.isRoot ? SEVERITY_COLORS.bad : GREY, width: 16, height: 16, markerUnits: 'userSpaceOnUse' },
        }),
      ),
    [model.edges],
  );

  return (
    <div className="incident-map" role="img" aria-label={describeMap(model)} data-testid="incident-map">
      {layout.isPending && <p className="loading map-canvas-note">Laying out…</p>}
      {layout.error && <ErrorMessage>{`Could not lay out the map: ${layout.error.message}`}</ErrorMessage>}
      {nodes.length > 0 && (
        // Remounted per topology so each new shape is fitted into view; it is a picture, so nothing in it takes focus or moves.
        <ReactFlow<MiniNode, Edge>
          key={key}
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          fitView
          fitViewOptions={FIT_VIEW}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          panOnDrag={false}
          zoomOnScroll={false}
          zoomOnPinch={false}
          zoomOnDoubleClick={false}
          preventScrolling={false}
          minZoom={0.05}
          colorMode="dark"
        />
      )}
    </div>
  );
}

const IncidentNodeView = memo(function IncidentNodeView({ data }: NodeProps<MiniNode>) {
  return (
    <div className={`incident-map-node role-${data.role}`} title={`${data.name} — ${ROLE_LABELS[data.role]}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} className="map-handle" />
      <span className="incident-map-name">{data.name}</span>
      {/* The role in words, so colour is never the only cue. */}
      <span className="incident-map-role">{ROLE_LABELS[data.role]}</span>
      <Handle type="source" position={Position.Right} isConnectable={false} className="map-handle" />
    </div>
  );
});

// A module constant: React Flow re-creates every node when this object changes identity.
const NODE_TYPES: NodeTypes = { incidentNode: IncidentNodeView };
