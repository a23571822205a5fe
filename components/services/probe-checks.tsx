'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId } from 'react';
import { formatMs } from '@/components/graph/graph-model';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage, QueryFeedback } from '@/components/ui/feedback';
import type { ProbeCheckSummary } from '@/lib/schemas/probes';
import { LatencyChartView } from './latency-chart';
import { MAX_PROBE_RESULTS, fetchProbeResults, fetchProbeSummary, rangeStart, type ProbeResultDto } from './service-api';
import {
  TIME_RANGES,
  bucketHistory,
  buildLatencyChart,
  checkKey,
  countStatuses,
  describeCounts,
  describeTimeRange,
  formatClock,
  formatRatio,
  groupResultsByCheck,
  type HistorySlot,
  type TimeRange,
} from './service-model';
import { ProbeStatusBadge } from './status-badges';

const REFRESH_MS = 10_000;
/** Problem slots the strip's text alternative names before it summarises the rest. */
const MAX_NAMED_SLOTS = 5;

type Range = { from: string; to: string };

/** "Health probes": every check of the service with its status, history and latency over the range. */
export function ProbeChecks({ service, range, canManageProbes }: { service: string; range: TimeRange; canManageProbes: boolean }) {
  const summary = useQuery({
    queryKey: ['services', service, 'probes', range],
    queryFn: ({ signal }) => fetchProbeSummary({ service, from: rangeStart(TIME_RANGES[range]) }, signal),
    refetchInterval: REFRESH_MS,
  });
  const history = useQuery({
    queryKey: ['services', service, 'probe-results', range],
    queryFn: ({ signal }) => fetchProbeResults({ service, from: rangeStart(TIME_RANGES[range]) }, signal),
    refetchInterval: REFRESH_MS,
  });

  const checks = summary.data?.services.find((s) => s.service === service)?.checks ?? [];
  const groups = groupResultsByCheck(history.data?.results ?? []);
  // The strip and chart span the history's own period, which the results were selected by.
  const period: Range | undefined = history.data ?? summary.data;

  return (
    <section className="card" aria-labelledby="probes-title">
      <h2 id="probes-title">Health probes</h2>
      <QueryFeedback isPending={summary.isPending} error={summary.error} what="probe results" />
      {summary.data && checks.length === 0 && (
        <EmptyState title="No probe results">
          <p>
            Nothing probed <strong>{service}</strong> in {describeTimeRange(range)}. Faultline can check an HTTP endpoint itself
            {canManageProbes ? (
              <>
                {' '}
                (add a target in <Link href="/settings/probes">Settings → Probes</Link>)
              </>
            ) : (
              ' (an admin adds targets in Settings → Probes)'
            )}
            , or the service can push its own results to <code>POST /v1/probes</code> with an ingest API key: a JSON batch{' '}
            <code>{'{"results":[…]}'}</code> or an <code>application/health+json</code> document with <code>?service=</code>.
          </p>
        </EmptyState>
      )}
      {history.error && <ErrorMessage>{`Could not load the probe history: ${history.error.message}`}</ErrorMessage>}
      {history.data && history.data.results.length >= MAX_PROBE_RESULTS && (
        <p className="muted">
          Only the newest {MAX_PROBE_RESULTS} results are drawn; pick a shorter range to see all of them.
        </p>
      )}
      {period && checks.length > 0 && (
        <ul className="probe-checks">
          {checks.map((check) => {
            const key = checkKey(check);
            return (
              <li key={key}>
                <ProbeCheckView
                  check={check}
                  results={history.data ? (groups.get(key) ?? []) : null}
                  isHistoryPending={history.isPending}
                  period={period}
                  range={range}
                />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function ProbeCheckView({
  check,
  results,
  isHistoryPending,
  period,
  range,
}: {
  check: ProbeCheckSummary;
  /** null until the history has loaded, or when it could not be (the section says so once). */
  results: ProbeResultDto[] | null;
  isHistoryPending: boolean;
  period: Range;
  range: TimeRange;
}) {
  const titleId = useId();
  const chart = results && buildLatencyChart(results, period);
  return (
    <article className="probe-check" aria-labelledby={titleId}>
      <header className="probe-check-head">
        <h3 id={titleId}>
          {check.target}
          {check.dependency && <span className="muted"> → {check.dependency}</span>}
        </h3>
        <ProbeStatusBadge status={check.status} testId="probe-status" />
        <span className="badge">{check.kind}</span>
      </header>
      <dl className="trace-facts">
        <div>
          <dt>Last checked</dt>
          <dd>
            {formatClock(check.checkedAt, period.to)}
            {check.latencyMs !== null && <span className="muted"> in {formatMs(check.latencyMs)}</span>}
          </dd>
        </div>
        <div>
          <dt>Last change</dt>
          <dd>{check.lastChangeAt ? formatClock(check.lastChangeAt, period.to) : <span className="muted">none in {describeTimeRange(range)}</span>}</dd>
        </div>
        <div>
          <dt>Pass ratio</dt>
          <dd>
            {formatRatio(check.passRatio)} <span className="muted">of {check.results === 1 ? '1 result' : `${check.results} results`}</span>
          </dd>
        </div>
      </dl>
      {check.message && (
        <p className="probe-message">
          <span className="muted">Last message: </span>
          {check.message}
        </p>
      )}
      {results === null && isHistoryPending && <p className="loading">Loading history…</p>}
      {results !== null && <HistoryStrip results={results} period={period} range={range} />}
      {chart && <LatencyChartView chart={chart} period={period} />}
    </article>
  );
}

function describeSlot(slot: HistorySlot, reference: string): string {
  return `${formatClock(slot.from, reference)}–${formatClock(slot.to, reference)}: ${describeCounts(slot.counts)}`;
}

/** One tick per slot of the range, coloured by its worst result; the label says the same in words. */
function HistoryStrip({ results, period, range }: { results: ProbeResultDto[]; period: Range; range: TimeRange }) {
  const slots = bucketHistory(results, period);
  const problems = slots.filter((s) => s.status === 'fail' || s.status === 'warn');
  const named = problems.slice(0, MAX_NAMED_SLOTS).map((s) => `${s.status} ${formatClock(s.from, period.to)}–${formatClock(s.to, period.to)}`);
  const more = problems.length > named.length ? `, and ${problems.length - named.length} more periods` : '';
  const label =
    `History over ${describeTimeRange(range)}: ${describeCounts(countStatuses(results))}.` +
    (named.length > 0 ? ` Problems: ${named.join(', ')}${more}.` : results.length > 0 ? ' No problems.' : '');
  return (
    <div className="probe-history">
      <div className="probe-strip" role="img" aria-label={label}>
        {slots.map((slot) => (
          <span key={slot.from} className={`probe-slot ${slot.status ? `status-${slot.status}` : 'is-empty'}`} title={describeSlot(slot, period.to)} />
        ))}
      </div>
      <div className="probe-axis" aria-hidden="true">
        <span>{formatClock(period.from, period.to)}</span>
        <span>{formatClock(period.to, period.to)}</span>
      </div>
    </div>
  );
}
