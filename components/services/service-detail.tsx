import Link from 'next/link';
import { BreakerTimelines } from './breaker-timelines';
import { ProbeChecks } from './probe-checks';
import { TIME_RANGES, TIME_RANGE_LABELS, type TimeRange } from './service-model';

/** One service: its health probes and its circuit breakers over a range kept in the URL (`?range=`). */
export function ServiceDetail({ service, range, canManageProbes }: { service: string; range: TimeRange; canManageProbes: boolean }) {
  return (
    <>
      <RangePicker service={service} range={range} />
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
