'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryFeedback } from '@/components/ui/feedback';
import type { BreakerEdge, BreakerInstanceState, BreakerState } from '@/lib/schemas/breakers';
import { fetchBreakers, rangeStart } from './service-api';
import { BREAKER_STATE_LABELS, TIME_RANGES, describeTimeRange, formatClock, formatElapsed, layoutBands, type Band, type TimeRange } from './service-model';
import { BreakerStateBadge } from './status-badges';

const REFRESH_MS = 10_000;
/** Bands narrower than this (percent of the range) carry no printed label; their text alternative still does. */
const LABELLED_BAND_MIN_WIDTH = 12;

type Range = { from: string; to: string };

const isOpenState = (state: BreakerState) => state === 'open' || state === 'forced_open';
/** Legend order follows a breaker's life: healthy, probing, tripped, held, switched off. */
const LEGEND: readonly BreakerState[] = ['closed', 'half_open', 'open', 'forced_open', 'disabled'];

/** "Circuit breakers": per dependency, each breaker's states as bands across the range. */
export function BreakerTimelines({ service, range }: { service: string; range: TimeRange }) {
  const breakers = useQuery({
    queryKey: ['services', service, 'breakers', range],
    queryFn: ({ signal }) => fetchBreakers({ service, from: rangeStart(TIME_RANGES[range]) }, signal),
    refetchInterval: REFRESH_MS,
  });
  const edges = breakers.data?.edges.filter((e) => e.service === service) ?? [];

  return (
    <section className="card" aria-labelledby="breakers-title">
      <h2 id="breakers-title">Circuit breakers</h2>
      <QueryFeedback isPending={breakers.isPending} error={breakers.error} what="circuit breakers" />
      {breakers.data && edges.length === 0 && (
        <EmptyState title="No circuit-breaker events">
          <p>
            <strong>{service}</strong> has not reported a breaker state change. Services send transitions to <code>POST /v1/breaker-events</code> with an
            ingest API key, either as <code>{'{"service":"…","events":[{"breaker":"…","dependency":"…","to":"open","at":"…"}]}'}</code> or by
            forwarding resilience4j&apos;s <code>/actuator/circuitbreakerevents</code> body as <code>circuitBreakerEvents</code>.
          </p>
        </EmptyState>
      )}
      {breakers.data && edges.length > 0 && (
        <>
          <BreakerLegend />
          <ul className="breaker-edges">
            {edges.map((edge) => (
              <li key={edge.dependency}>
                <BreakerEdgeView edge={edge} period={breakers.data} range={range} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function BreakerLegend() {
  return (
    <ul className="breaker-legend" aria-label="Breaker states">
      {LEGEND.map((state) => (
        <li key={state}>
          <span className={`breaker-swatch breaker-${state}`} aria-hidden="true" />
          {BREAKER_STATE_LABELS[state]}
        </li>
      ))}
    </ul>
  );
}

function BreakerEdgeView({ edge, period, range }: { edge: BreakerEdge; period: Range; range: TimeRange }) {
  const titleId = useId();
  return (
    <article className="breaker-edge" aria-labelledby={titleId}>
      <header className="probe-check-head">
        <h3 id={titleId}>
          {edge.service} → {edge.dependency}
        </h3>
        <BreakerStateBadge state={edge.state} />
        {edge.openForMs !== null && <span className="breaker-open-for">open for {formatElapsed(edge.openForMs)}</span>}
        <span className="muted">
          {edge.instances === 1 ? '1 breaker' : `${edge.instances} breakers`}
          {edge.openInstances > 0 && `, ${edge.openInstances} open`}
        </span>
      </header>
      <ul className="breaker-instances">
        {edge.breakers.map((b) => (
          <li key={`${b.breaker}\u0000${b.instance}`}>
            <BreakerInstanceView breaker={b} period={period} range={range} />
          </li>
        ))}
      </ul>
      <div className="probe-axis breaker-axis" aria-hidden="true">
        <span>{formatClock(period.from, period.to)}</span>
        <span>{formatClock(period.to, period.to)}</span>
      </div>
    </article>
  );
}

function describeBand(band: Band, reference: string): string {
  const label = BREAKER_STATE_LABELS[band.state];
  const duration = formatElapsed(band.to - band.from);
  return band.isOngoing
    ? `${label} since ${formatClock(band.from, reference)} (${duration}, still ${label})`
    : `${label} from ${formatClock(band.from, reference)} to ${formatClock(band.to, reference)} (${duration})`;
}

function BreakerInstanceView({ breaker, period, range }: { breaker: BreakerInstanceState; period: Range; range: TimeRange }) {
  const name = breaker.instance ? `${breaker.breaker} on ${breaker.instance}` : breaker.breaker;
  const bands = layoutBands(breaker.segments, period);
  return (
    <>
      <div className="breaker-instance-head">
        <span className="breaker-name">{name}</span>
        <BreakerStateBadge state={breaker.state} />
        <span className="muted">
          {isOpenState(breaker.state)
            ? `open for ${formatElapsed(Date.parse(period.to) - Date.parse(breaker.since))}`
            : `since ${formatClock(breaker.since, period.to)}`}
        </span>
        {breaker.failureRate !== null && <span>failure rate {Number(breaker.failureRate.toFixed(1))}%</span>}
        {breaker.reason && <span className="muted breaker-reason">{breaker.reason}</span>}
      </div>
      <ol className="breaker-track" aria-label={`States of ${name} over ${describeTimeRange(range)}`}>
        {bands.map((band) => {
          const text = describeBand(band, period.to);
          return (
            <li key={band.from} className={`breaker-band breaker-${band.state}`} style={{ left: `${band.left}%`, width: `${band.width}%` }} title={text}>
              <span className="sr-only">{text}</span>
              {band.width >= LABELLED_BAND_MIN_WIDTH && (
                <span className="breaker-band-label" aria-hidden="true">
                  {BREAKER_STATE_LABELS[band.state]}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
