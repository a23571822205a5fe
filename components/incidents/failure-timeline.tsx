'use client';

import { useId, useMemo, useState } from 'react';
import { Area, AreaChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDateTime } from '@/components/alerts/alert-model';
import { formatClock, niceCeiling } from '@/components/services/service-model';
import { ErrorMessage } from '@/components/ui/feedback';
import type { IncidentDetailDto, TimelineType } from '@/lib/schemas/incidents';
import { useServiceSeries } from './incident-api';
import {
  INCIDENT_LANE,
  MARKER_META,
  MIN_ZOOM_MS,
  buildErrorStrip,
  buildTimeline,
  clampDomain,
  describeErrorStrip,
  describeTimeline,
  involvedServices,
  isFullDomain,
  markerTypesIn,
  panDomain,
  selectionDomain,
  timeTicks,
  zoomDomain,
  type Domain,
  type IncidentWindow,
  type ServiceSeries,
  type StripPoint,
  type TimelineMarker,
  type TimelineModel,
} from './incident-model';
import { MarkerGlyph, MarkerSwatch } from './marker-glyph';

const LANE_HEIGHT = 34;
const STRIP_HEIGHT = 110;
/** Both plots reserve the same left gutter, so their time axes line up to the pixel. */
const GUTTER = 150;
const MARGIN = { top: 8, right: 16, bottom: 0, left: 0 };
const LANE_LABEL_MAX = 20;
const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)', padding: '6px 10px', maxWidth: 360 };

const laneLabel = (lane: string) => (lane.length > LANE_LABEL_MAX ? `${lane.slice(0, LANE_LABEL_MAX - 1)}…` : lane);

/**
 * What happened when, one lane per service, above the error rate of the services involved; both
 * share one zoomable time axis. The table below lists every entry for keyboards and screen readers.
 */
export function FailureTimeline({ incident, period }: { incident: IncidentDetailDto; period: IncidentWindow }) {
  const ids = useId();
  const model = useMemo(() => buildTimeline(incident, period), [incident, period]);
  const full: Domain = useMemo(() => [model.from, model.to], [model.from, model.to]);
  // Null follows the whole window, which keeps growing while the incident is open.
  const [zoom, setZoom] = useState<Domain | null>(null);
  const domain = zoom ? clampDomain(zoom, full) : full;
  const clock = (t: number) => formatClock(t, model.to);

  // Said once per zoom: the visible range text moves with every refresh of an open incident and must not chatter.
  const [announcement, setAnnouncement] = useState('');
  const setDomain = (next: Domain) => {
    const isWhole = isFullDomain(next, full);
    setZoom(isWhole ? null : next);
    setAnnouncement(isWhole ? 'Showing the whole incident.' : `Showing ${clock(next[0])} to ${clock(next[1])}.`);
  };
  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Failure timeline</h2>
      <p className="muted">
        Alerts, breaker changes, probe results, injected faults and notes, one lane per service, above the error rate of the services involved. Drag across
        the error-rate strip to zoom in on a stretch.
      </p>
      <ZoomControls domain={domain} full={full} clock={clock} onChange={setDomain} onReset={() => setDomain(full)} />
      <p className="sr-only" role="status">
        {announcement}
      </p>
      <TimelineLegend types={markerTypesIn(model.markers)} />
      <figure className="timeline-figure">
        <div className="timeline-plot" role="img" aria-label={describeTimeline(model, clock)}>
          <SwimlaneChart model={model} domain={domain} clock={clock} />
        </div>
        <ErrorStrip incident={incident} period={period} domain={domain} full={full} clock={clock} onZoom={setDomain} />
      </figure>
      <TimelineTable model={model} reference={model.to} />
    </section>
  );
}

function ZoomControls({ domain, full, clock, onChange, onReset }: { domain: Domain; full: Domain; clock: (t: number) => string; onChange: (d: Domain) => void; onReset: () => void }) {
  const isFull = isFullDomain(domain, full);
  return (
    <div className="timeline-zoom" role="group" aria-label="Zoom the timeline">
      <button type="button" onClick={() => onChange(zoomDomain(domain, full, 0.5))} disabled={domain[1] - domain[0] <= MIN_ZOOM_MS}>
        Zoom in
      </button>
      <button type="button" onClick={() => onChange(zoomDomain(domain, full, 2))} disabled={isFull}>
        Zoom out
      </button>
      <button type="button" onClick={() => onChange(panDomain(domain, full, -0.5))} disabled={domain[0] <= full[0]}>
        ← Earlier
      </button>
      <button type="button" onClick={() => onChange(panDomain(domain, full, 0.5))} disabled={domain[1] >= full[1]}>
        Later →
      </button>
      <button type="button" onClick={onReset} disabled={isFull}>
        Reset zoom
      </button>
      <span className="muted">
        {clock(domain[0])} – {clock(domain[1])}
        {isFull ? ' (whole incident)' : ''}
      </span>
    </div>
  );
}

function TimelineLegend({ types }: { types: TimelineType[] }) {
  if (types.length === 0) return null;
  return (
    <ul className="timeline-legend" aria-label="Legend">
      {types.map((type) => (
        <li key={type}>
          <MarkerSwatch type={type} />
          {MARKER_META[type].label}
        </li>
      ))}
    </ul>
  );
}

function timeAxis(domain: Domain, clock: (t: number) => string, showTicks: boolean) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      domain={[domain[0], domain[1]]}
      allowDataOverflow
      ticks={timeTicks(domain)}
      interval="preserveStartEnd"
      tickFormatter={clock}
      // The upper plot keeps its ticks (the grid is drawn at them) but not their labels: the strip below carries those.
      tick={showTicks ? { fontSize: 11 } : () => <g />}
      height={showTicks ? 24 : 4}
      stroke="var(--muted)"
    />
  );
}

function SwimlaneChart({ model, domain, clock }: { model: TimelineModel; domain: Domain; clock: (t: number) => string }) {
  const byType = useMemo(() => {
    const groups = new Map<TimelineType, TimelineMarker[]>();
    for (const m of model.markers) {
      if (m.t < domain[0] || m.t > domain[1]) continue;
      groups.set(m.type, [...(groups.get(m.type) ?? []), m]);
    }
    return [...groups];
  }, [model.markers, domain]);
  const lanes = model.lanes.length > 0 ? model.lanes : [INCIDENT_LANE];
  return (
    <ResponsiveContainer width="100%" height={lanes.length * LANE_HEIGHT + 20}>
      <ScatterChart margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        {timeAxis(domain, clock, false)}
        <YAxis
          dataKey="y"
          type="number"
          domain={[-0.5, lanes.length - 0.5]}
          ticks={lanes.map((_, i) => i)}
          reversed
          interval={0}
          tickFormatter={(i: number) => laneLabel(lanes[i] ?? '')}
          width={GUTTER}
          stroke="var(--muted)"
          fontSize={11}
        />
        <Tooltip cursor={false} content={<MarkerTooltip clock={clock} />} />
        {byType.map(([type, markers]) => (
          <Scatter
            key={type}
            name={MARKER_META[type].label}
            data={markers}
            isAnimationActive={false}
            shape={(props: { cx?: number; cy?: number }) => <MarkerGlyph type={type} cx={props.cx ?? 0} cy={props.cy ?? 0} />}
          />
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  );
}

function MarkerTooltip({ active, payload, clock }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }>; clock: (t: number) => string }) {
  const marker = payload?.[0]?.payload as TimelineMarker | undefined;
  if (!active || !marker) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <strong>{MARKER_META[marker.type].label}</strong> <span className="muted">at {clock(marker.t)}</span>
      <div className="muted">{marker.lane}</div>
      <div>{marker.summary}</div>
    </div>
  );
}

function ErrorStrip({
  incident,
  period,
  domain,
  full,
  clock,
  onZoom,
}: {
  incident: IncidentDetailDto;
  period: IncidentWindow;
  domain: Domain;
  full: Domain;
  clock: (t: number) => string;
  onZoom: (d: Domain) => void;
}) {
  const services = useMemo(() => involvedServices(incident), [incident]);
  const results = useServiceSeries(incident.id, services, period);
  const loaded: ServiceSeries[] = results.flatMap((r) => (r.data ? [r.data] : []));
  const failed = services.filter((_, i) => results[i]?.error && !results[i]?.data);
  const points = buildErrorStrip(loaded, { from: full[0], to: full[1] });
  const isLoading = results.length > 0 && results.every((r) => r.isPending);

  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  // The active label is the hovered minute's time; read defensively, as charts may hand labels over as text.
  const at = (label: unknown) => (typeof label === 'number' || typeof label === 'string' ? Number(label) : Number.NaN);
  function finishDrag() {
    const next = drag ? selectionDomain(drag.from, drag.to, full) : null;
    setDrag(null);
    if (next) onZoom(next);
  }

  return (
    <div className="timeline-strip">
      {/* Drawn for the eye (its numbers are in the caption); dragging across it zooms, and the buttons above do the same by keyboard. */}
      <div className="timeline-strip-plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height={STRIP_HEIGHT}>
          <AreaChart
            data={points}
            margin={MARGIN}
            accessibilityLayer={false}
            onMouseDown={(state) => {
              const t = at(state.activeLabel);
              if (Number.isFinite(t)) setDrag({ from: t, to: t });
            }}
            onMouseMove={(state) => {
              const t = at(state.activeLabel);
              if (Number.isFinite(t)) setDrag((d) => (d ? { ...d, to: t } : d));
            }}
            onMouseUp={finishDrag}
            onMouseLeave={() => setDrag(null)}
          >
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            {timeAxis(domain, clock, true)}
            <YAxis domain={[0, (max: number) => Math.min(100, niceCeiling(Math.max(5, max)))]} tickFormatter={(v: number) => `${v}%`} width={GUTTER} stroke="var(--muted)" fontSize={11} />
            <Tooltip content={<StripTooltip clock={clock} />} />
            <Area dataKey="errorPct" name="error rate" type="stepAfter" stroke="var(--bad)" fill="var(--bad)" fillOpacity={0.25} connectNulls={false} isAnimationActive={false} />
            {drag && drag.from !== drag.to && <ReferenceArea x1={Math.min(drag.from, drag.to)} x2={Math.max(drag.from, drag.to)} fill="var(--accent)" fillOpacity={0.15} />}
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <p className="timeline-strip-caption muted">
        {isLoading ? 'Loading error rates…' : describeErrorStrip(points, services, clock)}
      </p>
      <ErrorMessage>{failed.length > 0 ? `Could not load the request metrics of ${failed.join(', ')}.` : null}</ErrorMessage>
    </div>
  );
}

function StripTooltip({ active, payload, clock }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }>; clock: (t: number) => string }) {
  const point = payload?.[0]?.payload as StripPoint | undefined;
  if (!active || !point) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <strong>{clock(point.isClosing ? point.t - 60_000 : point.t)}</strong>
      <div>{point.errorPct === null ? 'no requests' : `${point.errorPct}% errors (${point.errors} of ${point.requests} requests)`}</div>
    </div>
  );
}

function TimelineTable({ model, reference }: { model: TimelineModel; reference: number }) {
  if (model.entries.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    // Scrollable, so it takes focus: keyboard users can scroll it too.
    <div className="table-scroll timeline-table" tabIndex={0} role="region" aria-label="Timeline entries, oldest first">
      <table>
        <caption className="sr-only">Failure timeline, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Lane</th>
            <th scope="col">Event</th>
            <th scope="col">Summary</th>
          </tr>
        </thead>
        <tbody>
          {model.entries.map((e) => (
            <tr key={e.key}>
              <td className="nowrap">
                <time dateTime={e.at} title={formatDateTime(e.at)}>
                  {formatClock(e.at, reference)}
                </time>
              </td>
              <td className="alert-entity">{e.lane}</td>
              <td className="nowrap">
                <span className="timeline-event">
                  <MarkerSwatch type={e.type} />
                  {MARKER_META[e.type].label}
                </span>
              </td>
              <td className="timeline-summary">{e.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
