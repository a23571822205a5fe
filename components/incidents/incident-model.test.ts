import { describe, expect, it } from 'vitest';
import type { IncidentDetailDto, IncidentDto, TimelineEntry } from '@/lib/schemas/incidents';
import {
  INCIDENT_LANE,
  MARKER_META,
  MIN_ZOOM_MS,
  WINDOW_PAD_MS,
  abbreviateNames,
  alertedNodes,
  alreadyDone,
  blastRadius,
  buildErrorStrip,
  buildIncidentMap,
  buildLanes,
  buildTimeline,
  clampDomain,
  describeErrorStrip,
  describeIncidentOutcome,
  describeNotesUpdate,
  describeRef,
  describeTimeline,
  failingTracesHref,
  formatConfidence,
  groupSymptoms,
  hasNarrowingIncidentFilters,
  incidentDuration,
  incidentFiltersQueryString,
  incidentShortcutFor,
  incidentWindow,
  incidentsApiPath,
  involvedServices,
  isAnalysisPending,
  isFullDomain,
  markerTypesIn,
  panDomain,
  parseIncidentFilters,
  selectionDomain,
  sortIncidents,
  timeTicks,
  traceServiceOf,
  zoomDomain,
} from './incident-model';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const params = (query: string) => new URLSearchParams(query);

function incident(overrides: Partial<IncidentDetailDto> = {}): IncidentDetailDto {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    status: 'open',
    title: 'ledger: 3 alerts across 3 services',
    severity: 'critical',
    openedAt: iso(0),
    rootCause: { kind: 'service', service: 'ledger', confidence: 0.8, evidence: ['90% of failed traces end at ledger (HTTP 500)'] },
    candidates: [
      { kind: 'service', service: 'ledger', score: 4, evidence: ['90% of failed traces end at ledger (HTTP 500)'] },
      { kind: 'edge', source: 'gateway', target: 'ledger', score: 1, evidence: ['calls fail'] },
    ],
    symptoms: [
      { service: 'frontend', reason: 'errors follow its calls to gateway (100% of them fail)' },
      { service: 'gateway', reason: 'errors follow its calls to ledger (100% of them fail)' },
    ],
    alertIds: ['a1', 'a2', 'a3'],
    timeline: [],
    notes: '',
    ...overrides,
  };
}

const entry = (offsetMs: number, type: TimelineEntry['type'], service?: string, target?: string): TimelineEntry => ({
  at: iso(offsetMs),
  type,
  ...(service ? { service } : {}),
  ...(target ? { target } : {}),
  summary: `${type} on ${service ?? 'incident'}`,
});

describe('incident filters in the URL', () => {
  it('reads known values and falls back on anything else', () => {
    expect(parseIncidentFilters(params('status=active&range=6h'))).toEqual({ status: 'active', range: '6h' });
    expect(parseIncidentFilters(params('status=burning&range=1y'))).toEqual({ status: 'all', range: '24h' });
    expect(parseIncidentFilters(params(''))).toEqual({ status: 'all', range: '24h' });
  });

  it('leaves defaults out of the query string', () => {
    expect(incidentFiltersQueryString({ status: 'all', range: '24h' })).toBe('');
    expect(incidentFiltersQueryString({ status: 'resolved', range: '7d' })).toBe('status=resolved&range=7d');
    expect(hasNarrowingIncidentFilters({ status: 'all', range: '24h' })).toBe(false);
    expect(hasNarrowingIncidentFilters({ status: 'open', range: '24h' })).toBe(true);
  });

  it('asks the API for the range ending now and the statuses the filter means', () => {
    const path = new URL(incidentsApiPath({ status: 'active', range: '1h' }, T0), 'http://x');
    expect(path.pathname).toBe('/api/incidents');
    expect(path.searchParams.get('from')).toBe(iso(-3_600_000));
    expect(path.searchParams.get('to')).toBeNull();
    expect(path.searchParams.get('status')).toBe('open,acknowledged');
    expect(new URL(incidentsApiPath({ status: 'all', range: '24h' }, T0), 'http://x').searchParams.has('status')).toBe(false);
  });
});

describe('sortIncidents', () => {
  it('puts open first, then acknowledged, then resolved; the most severe and youngest first within each', () => {
    const row = (id: string, status: IncidentDto['status'], severity: IncidentDto['severity'], offsetMs: number) => ({ id, status, severity, openedAt: iso(offsetMs) });
    const sorted = sortIncidents([
      row('resolved', 'resolved', 'critical', 50),
      row('ack', 'acknowledged', 'critical', 40),
      row('open-warning-new', 'open', 'warning', 30),
      row('open-critical-old', 'open', 'critical', 0),
      row('open-critical-new', 'open', 'critical', 10),
    ]);
    expect(sorted.map((r) => r.id)).toEqual(['open-critical-new', 'open-critical-old', 'open-warning-new', 'ack', 'resolved']);
  });
});

describe('describing a root cause', () => {
  it('names a service, a dependency of a service, and an edge', () => {
    expect(describeRef({ kind: 'service', service: 'ledger' })).toBe('ledger');
    expect(describeRef({ kind: 'dependency', service: 'ledger', target: 'postgresql/ledger' })).toBe('postgresql/ledger (dependency of ledger)');
    expect(describeRef({ kind: 'edge', source: 'gateway', target: 'ledger' })).toBe('gateway → ledger');
  });

  it('tells a placeholder analysis from a real one', () => {
    expect(isAnalysisPending(incident({ rootCause: { kind: 'service', service: 'unknown', confidence: 0, evidence: ['analysis pending'] }, candidates: [] }))).toBe(true);
    expect(isAnalysisPending(incident())).toBe(false);
  });

  it('writes confidence as a whole percentage', () => {
    expect(formatConfidence(0.725)).toBe('73%');
    expect(formatConfidence(0)).toBe('0%');
    expect(formatConfidence(1.2)).toBe('100%');
  });

  it('finds the service whose failing traces to show, and links to them in the window', () => {
    expect(traceServiceOf({ kind: 'service', service: 'ledger' })).toBe('ledger');
    expect(traceServiceOf({ kind: 'dependency', service: 'ledger', target: 'postgres' })).toBe('ledger');
    expect(traceServiceOf({ kind: 'edge', source: 'gateway', target: 'ledger' })).toBe('gateway');
    const href = new URL(failingTracesHref({ kind: 'service', service: 'ledger' }, { from: T0, to: T0 + 60_000, isOpen: false })!, 'http://x');
    expect(href.pathname).toBe('/traces');
    expect(Object.fromEntries(href.searchParams)).toEqual({ service: 'ledger', status: 'error', from: iso(0), to: iso(60_000) });
    // Still open: no end, so the search keeps finding new failures.
    expect(new URL(failingTracesHref({ kind: 'service', service: 'ledger' }, { from: T0, to: T0 + 60_000, isOpen: true })!, 'http://x').searchParams.has('to')).toBe(false);
  });
});

describe('blast radius and duration', () => {
  it('counts symptom services and alerts and abbreviates the names', () => {
    expect(blastRadius(incident())).toEqual({ services: ['frontend', 'gateway'], alerts: 3, summary: '2 services · 3 alerts', names: 'frontend, gateway' });
    expect(blastRadius({ symptoms: [], alertIds: ['a'] }).summary).toBe('0 services · 1 alert');
    expect(abbreviateNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c +2 more');
  });

  it('measures to the resolution, or to now while open', () => {
    expect(incidentDuration({ openedAt: iso(0), resolvedAt: iso(125_000) }, T0 + 999_999)).toEqual({ ms: 125_000, text: '2m 05s', isOngoing: false });
    expect(incidentDuration({ openedAt: iso(0) }, T0 + 45_000)).toEqual({ ms: 45_000, text: '45s', isOngoing: true });
  });

  it('pads the window on both sides, and ends an open one now', () => {
    expect(incidentWindow({ openedAt: iso(0), resolvedAt: iso(60_000) }, T0 + 3_600_000)).toEqual({ from: T0 - WINDOW_PAD_MS, to: T0 + 60_000 + WINDOW_PAD_MS, isOpen: false });
    expect(incidentWindow({ openedAt: iso(0) }, T0 + 90_000)).toEqual({ from: T0 - WINDOW_PAD_MS, to: T0 + 90_000, isOpen: true });
  });
});

describe('groupSymptoms', () => {
  it('groups by what the trouble follows, largest group first, symptoms that name nothing last', () => {
    const groups = groupSymptoms([
      { service: 'web', reason: 'errors follow its calls to api (40% of them fail)', follows: 'api' },
      { service: 'api', reason: 'errors follow its calls to ledger (90% of them fail)', follows: 'ledger' },
      { service: 'batch', reason: 'p95 latency follows its calls to ledger (1.2 s)', follows: 'ledger' },
      { service: 'odd', reason: 'slow for reasons of its own' },
      { service: 'cart', reason: 'fails fast while its circuit breaker to ledger is open', follows: 'ledger' },
    ]);
    expect(groups.map((g) => [g.label, g.symptoms.map((s) => s.service)])).toEqual([
      ['Following ledger', ['api', 'batch', 'cart']],
      ['Following api', ['web']],
      ['Other symptoms', ['odd']],
    ]);
  });
});

describe('failure timeline', () => {
  const timeline = [
    entry(20_000, 'alert_fired', 'frontend'),
    entry(5_000, 'alert_fired', 'ledger'),
    entry(10_000, 'alert_fired', 'gateway', 'ledger'),
    entry(30_000, 'note'),
    entry(25_000, 'breaker_transition', 'gateway', 'ledger'),
  ];

  it('makes one lane per service, the root cause first, then by first appearance, the incident lane last', () => {
    expect(buildLanes(timeline, 'gateway')).toEqual(['gateway', 'ledger', 'frontend', INCIDENT_LANE]);
    expect(buildLanes(timeline, null)).toEqual(['ledger', 'gateway', 'frontend', INCIDENT_LANE]);
    expect(buildLanes([entry(0, 'alert_fired', 'a')], 'missing')).toEqual(['a']);
  });

  it('places each entry in its lane, in time order, and stretches the range to every entry', () => {
    const model = buildTimeline(incident({ timeline: [...timeline, entry(-10 * 60_000, 'fault_injected', 'ledger')] }), { from: T0 - 60_000, to: T0 + 60_000 });
    expect(model.lanes).toEqual(['ledger', 'gateway', 'frontend', INCIDENT_LANE]);
    expect(model.entries.map((e) => e.type)).toEqual(['fault_injected', 'alert_fired', 'alert_fired', 'alert_fired', 'breaker_transition', 'note']);
    expect(model.markers.map((m) => [m.lane, m.y])).toEqual([
      ['ledger', 0],
      ['ledger', 0],
      ['gateway', 1],
      ['frontend', 2],
      ['gateway', 1],
      [INCIDENT_LANE, 3],
    ]);
    expect(model.from).toBe(T0 - 10 * 60_000);
    expect(model.to).toBe(T0 + 60_000);
  });

  it('gives every kind of entry its own shape and lists the kinds present in the legend order', () => {
    const shapes = Object.values(MARKER_META).map((m) => m.shape);
    expect(new Set(shapes).size).toBe(shapes.length);
    expect(markerTypesIn([{ type: 'note' }, { type: 'alert_fired' }, { type: 'note' }])).toEqual(['alert_fired', 'note']);
  });

  it('describes the drawing in words', () => {
    const model = buildTimeline(incident({ timeline }), { from: T0, to: T0 + 60_000 });
    const clock = (t: number) => `+${(t - T0) / 1000}s`;
    expect(describeTimeline(model, clock)).toBe('5 events across 4 lanes from +0s to +60s: 3 alert fired, 1 breaker changed state, 1 note. The table below lists each.');
    expect(describeTimeline(buildTimeline(incident(), { from: T0, to: T0 + 1000 }), clock)).toBe('No events recorded from +0s to +1s.');
  });
});

describe('zooming', () => {
  const full = [T0, T0 + 600_000] as const;

  it('zooms in and out around the centre, within the full range', () => {
    expect(zoomDomain(full, full, 0.5)).toEqual([T0 + 150_000, T0 + 450_000]);
    expect(zoomDomain([T0 + 150_000, T0 + 450_000], full, 4)).toEqual(full);
  });

  it('never zooms narrower than the minimum', () => {
    const [from, to] = zoomDomain([T0 + 290_000, T0 + 310_000], full, 0.1);
    expect(to - from).toBe(MIN_ZOOM_MS);
    expect((from + to) / 2).toBe(T0 + 300_000);
  });

  it('pans by a share of the width and stops at the edges', () => {
    expect(panDomain([T0 + 100_000, T0 + 200_000], full, 0.5)).toEqual([T0 + 150_000, T0 + 250_000]);
    expect(panDomain([T0 + 50_000, T0 + 150_000], full, -1)).toEqual([T0, T0 + 100_000]);
    expect(panDomain([T0 + 500_000, T0 + 600_000], full, 1)).toEqual([T0 + 500_000, T0 + 600_000]);
  });

  it('turns a drag in either direction into a range, ignoring a click', () => {
    expect(selectionDomain(T0 + 300_000, T0 + 120_000, full)).toEqual([T0 + 120_000, T0 + 300_000]);
    expect(selectionDomain(T0 + 120_000, T0 + 120_000, full)).toBeNull();
  });

  it('puts a few round clock times inside the domain, the same for both plots', () => {
    // Minute steps and finer, so the expectation holds in every time zone (offsets are whole minutes).
    expect(timeTicks([T0 - 20_000, T0 + 300_000])).toEqual([0, 1, 2, 3, 4, 5].map((m) => T0 + m * 60_000));
    expect(timeTicks([T0 + 1_000, T0 + 40_000])).toEqual([T0 + 5_000, T0 + 10_000, T0 + 15_000, T0 + 20_000, T0 + 25_000, T0 + 30_000, T0 + 35_000, T0 + 40_000]);
    expect(timeTicks([T0, T0])).toEqual([T0]);
  });

  it('keeps a range inside the full one when the full range shrinks', () => {
    expect(clampDomain([T0 + 500_000, T0 + 700_000], full)).toEqual([T0 + 400_000, T0 + 600_000]);
    expect(isFullDomain(full, full)).toBe(true);
    expect(isFullDomain([T0 + 1, T0 + 600_000], full)).toBe(false);
  });
});

describe('error-rate strip', () => {
  it('sums requests and errors per minute across services, with gaps where nothing was served', () => {
    const points = buildErrorStrip(
      [
        { service: 'ledger', series: [{ minute: iso(0), requests: 10, errorRate: 1 }] },
        { service: 'gateway', series: [{ minute: iso(0), requests: 30, errorRate: 0.5 }, { minute: iso(120_000), requests: 4, errorRate: 0 }] },
      ],
      { from: T0 + 5_000, to: T0 + 150_000 },
    );
    expect(points).toEqual([
      { t: T0, requests: 40, errors: 25, errorPct: 62.5 },
      // Each run of measured minutes ends where its last minute does, so that minute is drawn too.
      { t: T0 + 60_000, requests: 40, errors: 25, errorPct: 62.5, isClosing: true },
      { t: T0 + 60_000, requests: 0, errors: 0, errorPct: null },
      { t: T0 + 120_000, requests: 4, errors: 0, errorPct: 0 },
      { t: T0 + 180_000, requests: 4, errors: 0, errorPct: 0, isClosing: true },
    ]);
    const clock = (t: number) => `+${(t - T0) / 1000}s`;
    expect(describeErrorStrip(points, ['ledger', 'gateway'], clock)).toBe('Error rate of ledger, gateway, per minute: peak 62.5% at +0s.');
    expect(describeErrorStrip([points[2]!], ['ledger'], clock)).toBe('No requests recorded for ledger in this window.');
  });
});

describe('who is involved', () => {
  const timeline = [entry(0, 'alert_fired', 'gateway', 'ledger'), entry(1, 'alert_resolved', 'checkout'), entry(2, 'breaker_transition', 'cart', 'redis'), entry(3, 'note')];

  it('reads the alerted services and targets from the alert entries only', () => {
    expect(alertedNodes(timeline)).toEqual(['gateway', 'ledger', 'checkout']);
  });

  it('lists the root cause first, then symptoms and alerted nodes, without the placeholder name', () => {
    expect(involvedServices(incident({ timeline }))).toEqual(['ledger', 'frontend', 'gateway', 'checkout']);
    expect(involvedServices(incident({ rootCause: { kind: 'service', service: 'unknown', confidence: 0, evidence: [] }, symptoms: [], timeline: [] }))).toEqual([]);
    expect(involvedServices(incident({ timeline }), 2)).toEqual(['ledger', 'frontend']);
  });
});

describe('buildIncidentMap', () => {
  const graphEdges = [
    { source: 'frontend', target: 'gateway' },
    { source: 'gateway', target: 'ledger' },
    { source: 'gateway', target: 'search' },
    { source: 'gateway', target: 'ledger' },
  ];

  it('marks the root cause and symptoms, keeps calls among them, and drops the rest of the fleet', () => {
    const map = buildIncidentMap(incident(), graphEdges);
    expect(map.nodes).toEqual([
      { id: 'frontend', role: 'symptom' },
      { id: 'gateway', role: 'symptom' },
      { id: 'ledger', role: 'root' },
    ]);
    expect(map.edges).toEqual([
      { source: 'frontend', target: 'gateway', isRoot: false },
      { source: 'gateway', target: 'ledger', isRoot: false },
    ]);
  });

  it('highlights the call itself when the root cause is an edge, even if the graph missed it', () => {
    const map = buildIncidentMap(incident({ rootCause: { kind: 'edge', source: 'gateway', target: 'ledger', confidence: 0.5, evidence: [] }, symptoms: [] }), []);
    expect(map.nodes).toEqual([
      { id: 'gateway', role: 'other' },
      { id: 'ledger', role: 'other' },
    ]);
    expect(map.edges).toEqual([{ source: 'gateway', target: 'ledger', isRoot: true }]);
  });

  it('draws a dependency as the root node, called by the service that depends on it', () => {
    const map = buildIncidentMap(incident({ rootCause: { kind: 'dependency', service: 'ledger', target: 'postgresql/ledger', confidence: 0.5, evidence: [] }, symptoms: [] }), []);
    expect(map.nodes).toEqual([
      { id: 'ledger', role: 'other' },
      { id: 'postgresql/ledger', role: 'root' },
    ]);
    expect(map.edges).toEqual([{ source: 'ledger', target: 'postgresql/ledger', isRoot: false }]);
  });
});

describe('responding', () => {
  it('says what an action did, or who got there first', () => {
    expect(describeIncidentOutcome({ outcome: 'done', by: 'a@x', at: iso(0) }, 'acknowledge', T0)).toBe('Acknowledged the incident and its firing alerts.');
    expect(describeIncidentOutcome({ outcome: 'done', by: 'a@x', at: iso(0) }, 'resolve', T0)).toBe('Resolved the incident and its open alerts.');
    expect(describeIncidentOutcome({ outcome: 'already_acknowledged', by: 'bob@example.com', at: iso(0) }, 'acknowledge', T0)).toMatch(/^Already acknowledged by bob@example\.com at .+\.$/);
    expect(describeIncidentOutcome({ outcome: 'already_resolved', by: null, at: null }, 'resolve', T0)).toBe('Already resolved.');
  });

  it('explains a key that would do nothing', () => {
    expect(alreadyDone({ status: 'resolved', resolvedBy: 'detector', resolvedAt: undefined }, T0)).toBe('Already resolved by detector.');
    expect(alreadyDone({ status: 'acknowledged', acknowledgedBy: 'amy@x' }, T0)).toBe('Already acknowledged by amy@x.');
  });

  it('maps a, r and n, and nothing while typing or with a modifier', () => {
    const key = (k: string, extra: Partial<Parameters<typeof incidentShortcutFor>[0]> = {}) =>
      incidentShortcutFor({ key: k, ctrlKey: false, metaKey: false, altKey: false, repeat: false, target: { tagName: 'BODY' }, ...extra });
    expect(key('a')).toBe('acknowledge');
    expect(key('r')).toBe('resolve');
    expect(key('n')).toBe('notes');
    expect(key('s')).toBeNull();
    expect(key('a', { target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(key('r', { ctrlKey: true })).toBeNull();
  });

  it('says who saved the notes last', () => {
    expect(describeNotesUpdate({}, T0)).toBe('No notes saved yet.');
    expect(describeNotesUpdate({ notesUpdatedAt: iso(0), notesUpdatedBy: 'amy@x' }, T0)).toMatch(/^Last saved by amy@x at .+\.$/);
  });
});
