import Link from 'next/link';
import { ServiceRunbooks } from '@/components/runbooks/service-runbooks';
import { BreakerTimelines } from './breaker-timelines';
import { ErrorTraces } from './error-traces';
import { ProbeChecks } from './probe-checks';
import { ServiceEdges } from './service-edges';
import { TIME_RANGES, TIME_RANGE_LABELS, type TimeRange } from './service-model';
import { ServiceRed } from './service-red';

/**
 * One service over a range kept in the URL (`?range=`): what it serves (RED), its runbooks, who it
 * talks to, what failed, then its health probes and circuit breakers.
 */
export function ServiceDetail({ service, range, canManageProbes }: { service: string; range: TimeRange; canManageProbes: boolean }) {
  return (
    <>
      <RangePicker service={service} range={range} />
      <ServiceRed service={service} range={range} />
      <ServiceRunbooks service={service} headingLevel={2} />
      <ServiceEdges service={service} range={range} />
      <ErrorTraces service={service} range={range} />
      <ProbeChecks service={service} range={range} canManageProbes={canManageProbes} />
      <BreakerTimelines service={service} range={range} />
    </>
  );
}

function RangePicker({ service, range }: { service: string; range: TimeRange }) {
  const base = `/services/${encodeURIComponent(service)}`;
  return (
    <nav className="range-picker" aria-label="Time range">
      <span className="muted" aria-hidden="true">
        Last
      </span>
      {(Object.keys(TIME_RANGES) as TimeRange[]).map((r) => (
        // The name keeps the visible "1h" in it, so voice control finds the link by what it shows.
        <Link key={r} href={`${base}?range=${r}`} scroll={false} aria-current={r === range ? 'true' : undefined} title={`Last ${TIME_RANGE_LABELS[r]}`}>
          <span className="sr-only">Last </span>
          {r}
        </Link>
      ))}
    </nav>
  );
}
