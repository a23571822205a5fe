// Pure preparation of incident data for the Incidents pages: the filters the URL carries, the
// list's order and wording, the failure timeline's lanes and markers, the error-rate strip, the
// small dependency map and what a responder's action turned out to do. Components only draw.
import { describeOutcome, formatShortTime, shortcutFor } from '@/components/alerts/alert-model';
import { formatElapsed } from '@/components/services/service-model';
import { severityRank } from '@/lib/schemas/alerts';
import type { GraphEdge } from '@/lib/schemas/graph';
import type { CandidateRef, IncidentActionOutcome, IncidentDetailDto, IncidentDto, IncidentStatus, RootCause, Symptom, TimelineEntry, TimelineType } from '@/lib/schemas/incidents';

const MINUTE_MS = 60_000;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

// ——— Filters in the URL: ?status=active&range=6h ———

export const STATUS_FILTERS = ['all', 'active', 'open', 'acknowledged', 'resolved'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  all: 'All',
  active: 'Open or acknowledged',
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};
const STATUSES_OF: Record<StatusFilter, readonly IncidentStatus[] | null> = {
  all: null,
  active: ['open', 'acknowledged'],
  open: ['open'],
  acknowledged: ['acknowledged'],
  resolved: ['resolved'],
};

export const INCIDENT_RANGES = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000 } as const;
export type IncidentRange = keyof typeof INCIDENT_RANGES;
export const INCIDENT_RANGE_LABELS: Record<IncidentRange, string> = { '1h': 'Last hour', '6h': 'Last 6 hours', '24h': 'Last 24 hours', '7d': 'Last 7 days' };

export interface IncidentFilters {
  status: StatusFilter;
  range: IncidentRange;
}

export const DEFAULT_INCIDENT_FILTERS: IncidentFilters = { status: 'all', range: '24h' };
export const INCIDENT_LIST_LIMIT = 200;

const oneOf = <T extends string>(values: readonly T[], value: string | null): value is T => value !== null && (values as readonly string[]).includes(value);

/** The page's `?status=&range=`; anything unknown falls back to its default rather than failing the page. */
export function parseIncidentFilters(params: { get(name: string): string | null }): IncidentFilters {
  const status = params.get('status');
  const range = params.get('range');
  return {
    status: oneOf(STATUS_FILTERS, status) ? status : DEFAULT_INCIDENT_FILTERS.status,
    range: oneOf(Object.keys(INCIDENT_RANGES) as IncidentRange[], range) ? range : DEFAULT_INCIDENT_FILTERS.range,
  };
}

/** The page's query string, defaults left out so the plain /incidents link and an untouched filter agree. */
export function incidentFiltersQueryString(filters: IncidentFilters): string {
  const params = new URLSearchParams();
  if (filters.status !== DEFAULT_INCIDENT_FILTERS.status) params.set('status', filters.status);
  if (filters.range !== DEFAULT_INCIDENT_FILTERS.range) params.set('range', filters.range);
  return params.toString();
}

export function hasNarrowingIncidentFilters(filters: IncidentFilters): boolean {
  return incidentFiltersQueryString(filters) !== '';
}

/** GET /api/incidents for the filters; `from` slides with `now`, `to` is left to the server's clock. */
export function incidentsApiPath(filters: IncidentFilters, now: number): string {
  const params = new URLSearchParams({ from: new Date(now - INCIDENT_RANGES[filters.range]).toISOString() });
  const statuses = STATUSES_OF[filters.status];
  if (statuses) params.set('status', statuses.join(','));
  params.set('limit', String(INCIDENT_LIST_LIMIT));
  return `/api/incidents?${params}`;
}

// ——— The list ———

const STATUS_RANK: Record<IncidentStatus, number> = { open: 0, acknowledged: 1, resolved: 2 };

/** Open first, then acknowledged, then resolved; within each the most severe, then the youngest. */
export function sortIncidents<T extends Pick<IncidentDto, 'id' | 'status' | 'severity' | 'openedAt'>>(incidents: readonly T[]): T[] {
  return [...incidents].sort(
    (a, b) =>
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      severityRank(a.severity) - severityRank(b.severity) ||
      Date.parse(b.openedAt) - Date.parse(a.openedAt) ||
      a.id.localeCompare(b.id),
  );
}

/** "ledger", "postgres (dependency of ledger)", "gateway → ledger": the words lib/correlate uses too. */
export function describeRef(ref: CandidateRef): string {
  switch (ref.kind) {
    case 'service':
      return ref.service ?? 'unknown service';
    case 'dependency':
      return `${ref.target ?? 'unknown'} (dependency of ${ref.service ?? 'unknown'})`;
    case 'edge':
      return `${ref.source ?? 'unknown'} → ${ref.target ?? 'unknown'}`;
  }
}

export const CANDIDATE_KIND_LABELS: Record<CandidateRef['kind'], string> = {
  service: 'Service',
  dependency: 'Dependency',
  edge: 'Call between services',
};

/** A fresh incident carries a placeholder until the correlator has weighed the evidence (a few seconds). */
export function isAnalysisPending(incident: Pick<IncidentDto, 'rootCause' | 'candidates'>): boolean {
  return incident.candidates.length === 0 && incident.rootCause.confidence === 0 && incident.rootCause.evidence.includes('analysis pending');
}

/** "72%"; confidence is how far the best candidate stands above the rest. */
export function formatConfidence(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}

/** "a, b, c +2 more": enough names to recognise, without letting one row grow tall. */
export function abbreviateNames(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} +${names.length - max} more`;
}

export interface BlastRadius {
  services: string[];
  alerts: number;
  /** "2 services · 5 alerts" */
  summary: string;
  /** "frontend, gateway" (abbreviated) */
  names: string;
}

/** What the failure reached: the services it shows up in as symptoms, and how many alerts it raised. */
export function blastRadius(incident: Pick<IncidentDto, 'symptoms' | 'alertIds'>): BlastRadius {
  const services = [...new Set(incident.symptoms.map((s) => s.service))];
  return {
    services,
    alerts: incident.alertIds.length,
    summary: `${plural(services.length, 'service', 'services')} · ${plural(incident.alertIds.length, 'alert', 'alerts')}`,
    names: abbreviateNames(services),
  };
}

/** How long the incident lasted, or has lasted so far. */
export function incidentDuration(incident: Pick<IncidentDto, 'openedAt' | 'resolvedAt'>, now: number): { ms: number; text: string; isOngoing: boolean } {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  const ms = Math.max(0, end - Date.parse(incident.openedAt));
  return { ms, text: formatElapsed(ms), isOngoing: !incident.resolvedAt };
}

// ——— The incident's window: timeline, metrics, map and trace links all look at the same span ———

/** As lib/correlate pads the timeline: what led up to the first alert and what followed the last. */
export const WINDOW_PAD_MS = 5 * MINUTE_MS;

export interface IncidentWindow {
  from: number;
  to: number;
  /** Still open: the window ends now and moves on with every refresh. */
  isOpen: boolean;
}

export function incidentWindow(incident: Pick<IncidentDto, 'openedAt' | 'resolvedAt'>, now: number): IncidentWindow {
  const from = Date.parse(incident.openedAt) - WINDOW_PAD_MS;
  if (incident.resolvedAt) return { from, to: Math.min(now, Date.parse(incident.resolvedAt) + WINDOW_PAD_MS), isOpen: false };
  return { from, to: Math.max(now, from + MINUTE_MS), isOpen: true };
}

/** `from`/`to` for the read APIs; an open window leaves `to` to the server's clock. */
export function windowQuery(window: IncidentWindow): Record<string, string> {
  const from = new Date(window.from).toISOString();
  return window.isOpen ? { from } : { from, to: new Date(window.to).toISOString() };
}

/** The service whose failing traces show the root cause: the service, the one depending on it, or the calling side of an edge. */
export function traceServiceOf(ref: CandidateRef): string | null {
  return (ref.kind === 'edge' ? ref.source : ref.service) ?? null;
}

/** The Traces page searching the root cause's error traces in the incident's window. */
export function failingTracesHref(ref: CandidateRef, window: IncidentWindow): string | null {
  const service = traceServiceOf(ref);
  if (!service) return null;
  return `/traces?${new URLSearchParams({ service, status: 'error', ...windowQuery(window) })}`;
}

// ——— Symptoms ———

export interface SymptomGroup {
  /** What the symptoms' trouble follows; null for those that name nothing. */
  follows: string | null;
  label: string;
  symptoms: Symptom[];
}

/** Symptoms grouped by what their trouble follows, largest group first; those that name nothing stay together at the end. */
export function groupSymptoms(symptoms: readonly Symptom[]): SymptomGroup[] {
  const groups = new Map<string | null, Symptom[]>();
  for (const s of symptoms) {
    const follows = s.follows ?? null;
    groups.set(follows, [...(groups.get(follows) ?? []), s]);
  }
  return [...groups]
    .map(([follows, list]) => ({ follows, label: follows ? `Following ${follows}` : 'Other symptoms', symptoms: list }))
    .sort((a, b) => Number(a.follows === null) - Number(b.follows === null) || b.symptoms.length - a.symptoms.length || a.label.localeCompare(b.label));
}

// ——— Failure timeline ———

export type MarkerShape = 'triangle' | 'circle' | 'square' | 'diamond' | 'cross' | 'ring' | 'star' | 'note';

export interface MarkerMeta {
  label: string;
  shape: MarkerShape;
  /** A CSS colour; SVG takes custom properties in its presentation attributes. */
  color: string;
}

/** One shape and colour per kind of entry: shape alone tells them apart for readers who cannot tell the colours apart. */
export const MARKER_META: Record<TimelineType, MarkerMeta> = {
  alert_fired: { label: 'Alert fired', shape: 'triangle', color: 'var(--bad)' },
  alert_acknowledged: { label: 'Alert acknowledged', shape: 'circle', color: 'var(--warn)' },
  alert_resolved: { label: 'Alert resolved', shape: 'square', color: 'var(--ok)' },
  breaker_transition: { label: 'Breaker changed state', shape: 'diamond', color: '#c792ea' },
  probe_failed: { label: 'Probe failed', shape: 'cross', color: 'var(--bad)' },
  probe_recovered: { label: 'Probe recovered', shape: 'ring', color: 'var(--ok)' },
  fault_injected: { label: 'Fault injected', shape: 'star', color: '#ff9de2' },
  note: { label: 'Note', shape: 'note', color: 'var(--accent)' },
};

/** Entries about the incident itself (acknowledged, resolved, notes) name no service. */
export const INCIDENT_LANE = 'incident';

export interface TimelineMarker {
  key: string;
  t: number;
  lane: string;
  /** Row of the lane, 0 at the top. */
  y: number;
  type: TimelineType;
  summary: string;
}

export interface TimelineModel {
  from: number;
  to: number;
  lanes: string[];
  markers: TimelineMarker[];
  /** Entries in time order, for the table. */
  entries: Array<TimelineEntry & { key: string; lane: string }>;
}

export function laneOf(entry: Pick<TimelineEntry, 'service'>): string {
  return entry.service ?? INCIDENT_LANE;
}

/**
 * One lane per service, the root cause's first (the eye starts where the failure did), then in the
 * order services first appear; the incident's own lane last. A service that is also called
 * "incident" shares that lane, which is harmless.
 */
export function buildLanes(entries: readonly Pick<TimelineEntry, 'at' | 'service'>[], rootService: string | null): string[] {
  const firstSeen = new Map<string, number>();
  for (const e of entries) {
    const lane = laneOf(e);
    const t = Date.parse(e.at);
    if (!firstSeen.has(lane) || t < firstSeen.get(lane)!) firstSeen.set(lane, t);
  }
  const lanes = [...firstSeen].filter(([lane]) => lane !== INCIDENT_LANE).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([lane]) => lane);
  if (rootService && lanes.includes(rootService)) {
    lanes.splice(lanes.indexOf(rootService), 1);
    lanes.unshift(rootService);
  }
  if (firstSeen.has(INCIDENT_LANE)) lanes.push(INCIDENT_LANE);
  return lanes;
}

/** The timeline as lanes and markers across the incident's window (stretched to every entry). */
export function buildTimeline(incident: Pick<IncidentDetailDto, 'timeline' | 'rootCause'>, window: Pick<IncidentWindow, 'from' | 'to'>): TimelineModel {
  const entries = incident.timeline
    .map((e, i) => ({ ...e, key: `${i}`, lane: laneOf(e) }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || Number(a.key) - Number(b.key));
  const lanes = buildLanes(entries, incident.rootCause.kind === 'service' ? (incident.rootCause.service ?? null) : traceServiceOf(incident.rootCause));
  const row = new Map(lanes.map((lane, i) => [lane, i]));
  const markers = entries.map((e) => ({ key: e.key, t: Date.parse(e.at), lane: e.lane, y: row.get(e.lane)!, type: e.type, summary: e.summary }));
  const times = markers.map((m) => m.t);
  return { from: Math.min(window.from, ...times), to: Math.max(window.to, ...times), lanes, markers, entries };
}

/** Types present, in the legend's fixed order. */
export function markerTypesIn(markers: readonly Pick<TimelineMarker, 'type'>[]): TimelineType[] {
  const present = new Set(markers.map((m) => m.type));
  return (Object.keys(MARKER_META) as TimelineType[]).filter((t) => present.has(t));
}

export function describeTimeline(model: TimelineModel, clock: (t: number) => string): string {
  if (model.markers.length === 0) return `No events recorded from ${clock(model.from)} to ${clock(model.to)}.`;
  const counts = markerTypesIn(model.markers).map((type) => `${model.markers.filter((m) => m.type === type).length} ${MARKER_META[type].label.toLowerCase()}`);
  return `${plural(model.markers.length, 'event', 'events')} across ${plural(model.lanes.length, 'lane', 'lanes')} from ${clock(model.from)} to ${clock(model.to)}: ${counts.join(', ')}. The table below lists each.`;
}

// ——— Zoom: the timeline and the error-rate strip share one x domain ———

export type Domain = readonly [number, number];
/** Narrower than this, a minute bucket of the strip would fill the whole width. */
export const MIN_ZOOM_MS = 30_000;

/** Keeps a domain inside the full one and at least MIN_ZOOM_MS wide (or the full width, if narrower). */
export function clampDomain(domain: Domain, full: Domain): Domain {
  const fullWidth = full[1] - full[0];
  const width = Math.min(fullWidth, Math.max(MIN_ZOOM_MS, Math.abs(domain[1] - domain[0])));
  const centre = (domain[0] + domain[1]) / 2;
  const from = Math.min(full[1] - width, Math.max(full[0], centre - width / 2));
  return [from, from + width];
}

/** Zoom around the domain's centre: factor < 1 zooms in, > 1 out. */
export function zoomDomain(domain: Domain, full: Domain, factor: number): Domain {
  const centre = (domain[0] + domain[1]) / 2;
  const half = ((domain[1] - domain[0]) * factor) / 2;
  return clampDomain([centre - half, centre + half], full);
}

/** Moves the domain by a share of its width (negative: earlier). */
export function panDomain(domain: Domain, full: Domain, share: number): Domain {
  const shift = (domain[1] - domain[0]) * share;
  const width = domain[1] - domain[0];
  const from = Math.min(full[1] - width, Math.max(full[0], domain[0] + shift));
  return [from, from + width];
}

/** A drag across the chart: either direction, ignored when too short to mean a zoom. */
export function selectionDomain(a: number, b: number, full: Domain): Domain | null {
  if (Math.abs(b - a) < 1000) return null;
  return clampDomain([Math.min(a, b), Math.max(a, b)], full);
}

export function isFullDomain(domain: Domain, full: Domain): boolean {
  return domain[0] <= full[0] && domain[1] >= full[1];
}

const TICK_STEPS_MS = [5_000, 10_000, 15_000, 30_000, 60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000];

/**
 * Round clock times inside the domain, at most `maxTicks` of them: both plots get the same ticks,
 * so their grid lines meet, and a zoomed axis never labels a time outside what it shows.
 */
export function timeTicks(domain: Domain, maxTicks = 8): number[] {
  const width = domain[1] - domain[0];
  if (!(width > 0)) return [domain[0]];
  const step = TICK_STEPS_MS.find((s) => width / s <= maxTicks) ?? Math.ceil(width / maxTicks / 86_400_000) * 86_400_000;
  // Local midnight-aligned minutes and hours read best; the zone offset is a whole number of minutes almost everywhere.
  const offset = new Date(domain[0]).getTimezoneOffset() * 60_000;
  const first = Math.ceil((domain[0] - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= domain[1]; t += step) ticks.push(t);
  return ticks;
}

// ——— Error-rate strip ———

export interface ServiceSeries {
  service: string;
  series: ReadonlyArray<{ minute: string; requests: number; errorRate: number }>;
}

export interface StripPoint {
  t: number;
  requests: number;
  errors: number;
  /** Percent; null in minutes without requests, so the area breaks instead of claiming 0%. */
  errorPct: number | null;
  /** Where the minute before ends: a step is drawn from one point to the next, so the last measured minute needs an end. */
  isClosing?: true;
}

/** Errors over requests per minute, summed across the involved services; one point for every minute of the window. */
export function buildErrorStrip(services: readonly ServiceSeries[], window: Pick<IncidentWindow, 'from' | 'to'>): StripPoint[] {
  const byMinute = new Map<number, { requests: number; errors: number }>();
  for (const s of services) {
    for (const p of s.series) {
      const t = Date.parse(p.minute);
      const bucket = byMinute.get(t) ?? { requests: 0, errors: 0 };
      bucket.requests += p.requests;
      // The API sends a rate; the count behind it is a whole number.
      bucket.errors += Math.round(p.errorRate * p.requests);
      byMinute.set(t, bucket);
    }
  }
  const minutes: StripPoint[] = [];
  for (let t = window.from - (window.from % MINUTE_MS); t <= window.to; t += MINUTE_MS) {
    const b = byMinute.get(t);
    minutes.push(b && b.requests > 0 ? { t, requests: b.requests, errors: b.errors, errorPct: Number(((b.errors / b.requests) * 100).toFixed(2)) } : { t, requests: 0, errors: 0, errorPct: null });
  }
  return minutes.flatMap((p, i) => {
    const next = minutes[i + 1];
    return p.errorPct !== null && (!next || next.errorPct === null) ? [p, { ...p, t: p.t + MINUTE_MS, isClosing: true as const }] : [p];
  });
}

export function describeErrorStrip(points: readonly StripPoint[], services: readonly string[], clock: (t: number) => string): string {
  const measured = points.filter((p): p is StripPoint & { errorPct: number } => p.errorPct !== null && !p.isClosing);
  const who = services.length === 0 ? 'the involved services' : abbreviateNames(services);
  if (measured.length === 0) return `No requests recorded for ${who} in this window.`;
  const peak = measured.reduce((a, b) => (b.errorPct > a.errorPct ? b : a));
  return `Error rate of ${who}, per minute: peak ${peak.errorPct}% at ${clock(peak.t)}.`;
}

// ——— Who is involved ———

/** Services and dependencies the alerts name, from the timeline's alert entries (the DTO has no alert list of its own). */
export function alertedNodes(timeline: readonly Pick<TimelineEntry, 'type' | 'service' | 'target'>[]): string[] {
  const out = new Set<string>();
  for (const e of timeline) {
    if (e.type !== 'alert_fired' && e.type !== 'alert_acknowledged' && e.type !== 'alert_resolved') continue;
    if (e.service) out.add(e.service);
    if (e.target) out.add(e.target);
  }
  return [...out];
}

/** The root cause's own nodes: its service, the dependency (and who depends on it), or both ends of the edge. */
export function rootNodes(ref: CandidateRef): string[] {
  return [ref.service, ref.source, ref.target].filter((n): n is string => Boolean(n));
}

/** Services whose request metrics make up the error-rate strip, root cause first; capped to spare the API. */
export function involvedServices(incident: Pick<IncidentDetailDto, 'rootCause' | 'symptoms' | 'timeline'>, max = 8): string[] {
  const names = new Set([...rootNodes(incident.rootCause), ...incident.symptoms.map((s) => s.service), ...alertedNodes(incident.timeline)]);
  names.delete('unknown');
  return [...names].slice(0, max);
}

// ——— Small dependency map ———

export type MapRole = 'root' | 'symptom' | 'other';

export interface IncidentMapModel {
  nodes: Array<{ id: string; role: MapRole }>;
  edges: Array<{ source: string; target: string; isRoot: boolean }>;
}

/**
 * The root cause, its symptoms and whatever alerted, with the calls among them in the window. The
 * root cause is a node (service; a dependency's target) or, for an edge, the call itself; nodes
 * the graph does not know are still drawn, so the root cause is never missing.
 */
export function buildIncidentMap(
  incident: Pick<IncidentDetailDto, 'rootCause' | 'symptoms' | 'timeline'>,
  graphEdges: readonly Pick<GraphEdge, 'source' | 'target'>[],
): IncidentMapModel {
  const root: RootCause = incident.rootCause;
  const rootNode = root.kind === 'service' ? root.service : root.kind === 'dependency' ? root.target : undefined;
  const symptoms = new Set(incident.symptoms.map((s) => s.service));
  const ids = new Set([...rootNodes(root), ...symptoms, ...alertedNodes(incident.timeline)]);
  ids.delete('unknown');
  const nodes = [...ids].sort().map((id) => ({ id, role: (id === rootNode ? 'root' : symptoms.has(id) ? 'symptom' : 'other') as MapRole }));
  const isRootEdge = (source: string, target: string) => root.kind !== 'service' && root.source === source && root.target === target;
  const edges: IncidentMapModel['edges'] = [];
  const seen = new Set<string>();
  for (const e of graphEdges) {
    const key = `${e.source}\u0000${e.target}`;
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target || seen.has(key)) continue;
    seen.add(key);
    edges.push({ source: e.source, target: e.target, isRoot: isRootEdge(e.source, e.target) });
  }
  // A dependency is called by the service that depends on it; an edge is the call itself.
  const [from, to] = root.kind === 'edge' ? [root.source, root.target] : root.kind === 'dependency' ? [root.service, root.target] : [undefined, undefined];
  if (from && to && !seen.has(`${from}\u0000${to}`)) edges.push({ source: from, target: to, isRoot: root.kind === 'edge' });
  return { nodes, edges };
}

// ——— Responding ———

export type IncidentAction = 'acknowledge' | 'resolve';

/** "Acknowledged the incident and its firing alerts." or "Already resolved by alice@example.com at 10:02." */
export function describeIncidentOutcome(outcome: Pick<IncidentActionOutcome, 'outcome' | 'by' | 'at'>, action: IncidentAction, reference: number): string {
  if (outcome.outcome === 'done') return action === 'acknowledge' ? 'Acknowledged the incident and its firing alerts.' : 'Resolved the incident and its open alerts.';
  return describeOutcome(outcome, action, reference);
}

/** What pressing a or r would do now, when the button is disabled: the same sentence the API would answer. */
export function alreadyDone(incident: Pick<IncidentDetailDto, 'status' | 'acknowledgedBy' | 'acknowledgedAt' | 'resolvedBy' | 'resolvedAt'>, reference: number): string {
  return incident.status === 'resolved'
    ? describeOutcome({ outcome: 'already_resolved', by: incident.resolvedBy ?? null, at: incident.resolvedAt ?? null }, 'resolve', reference)
    : describeOutcome({ outcome: 'already_acknowledged', by: incident.acknowledgedBy ?? null, at: incident.acknowledgedAt ?? null }, 'acknowledge', reference);
}

export type IncidentShortcut = 'acknowledge' | 'resolve' | 'notes';

/** As on an alert's page (never while typing, never with a modifier); "n" goes to the notes, and there is nothing to silence. */
export function incidentShortcutFor(event: Parameters<typeof shortcutFor>[0]): IncidentShortcut | null {
  const shortcut = shortcutFor(event);
  if (shortcut === 'note') return 'notes';
  return shortcut === 'acknowledge' || shortcut === 'resolve' ? shortcut : null;
}

/** "Last saved by alice@example.com at 10:02", or that nothing has been written yet. */
export function describeNotesUpdate(incident: Pick<IncidentDetailDto, 'notesUpdatedAt' | 'notesUpdatedBy'>, reference: number): string {
  if (!incident.notesUpdatedAt) return 'No notes saved yet.';
  return `Last saved${incident.notesUpdatedBy ? ` by ${incident.notesUpdatedBy}` : ''} at ${formatShortTime(incident.notesUpdatedAt, reference)}.`;
}
