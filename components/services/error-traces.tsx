'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatTimestamp } from '@/components/traces/trace-parts';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryFeedback } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { TraceSearchResult } from '@/lib/schemas/traces';
import { formatDuration } from '@/lib/traces/waterfall';
import { rangeStart } from './service-api';
import { TIME_RANGES, describeTimeRange, type TimeRange } from './service-model';

const REFRESH_MS = 10_000;
const LIMIT = 10;

/** "Recent error traces": the newest traces in the range where the service took part and something failed. */
export function ErrorTraces({ service, range }: { service: string; range: TimeRange }) {
  const traces = useQuery({
    queryKey: ['services', service, 'error-traces', range],
    queryFn: ({ signal }) =>
      apiFetch(`/api/traces?${new URLSearchParams({ service, status: 'error', from: rangeStart(TIME_RANGES[range]), limit: String(LIMIT) })}`, TraceSearchResult, {
        signal,
      }),
    refetchInterval: REFRESH_MS,
  });
  const data = traces.data;

  return (
    <section className="card" aria-labelledby="error-traces-title">
      <h2 id="error-traces-title">Recent error traces</h2>
      <QueryFeedback isPending={traces.isPending} error={traces.error} what="error traces" />
      {data && data.traces.length === 0 && (
        <EmptyState title="No error traces">
          <p>
            No trace with an error involved <strong>{service}</strong> in {describeTimeRange(range)}.
          </p>
        </EmptyState>
      )}
      {data && data.traces.length > 0 && (
        <>
          <div className="table-scroll">
            <table>
              <caption className="sr-only">Newest error traces of {service}</caption>
              <thead>
                <tr>
                  <th scope="col">Trace</th>
                  <th scope="col">Start</th>
                  <th scope="col">Root</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {data.traces.map((t) => (
                  <tr key={t.traceId}>
                    <td>
                      <Link href={`/traces/${t.traceId}`} aria-label={`Trace ${t.traceId}`} title={t.traceId}>
                        <code>{t.traceId.slice(0, 8)}</code>
                      </Link>
                    </td>
                    <td className="trace-nowrap">{formatTimestamp(t.startTime)}</td>
                    <td>{t.rootService ? `${t.rootService}: ${t.rootOperation ?? ''}` : <span className="muted">root span missing</span>}</td>
                    <td>{formatDuration(t.durationMs)}</td>
                    <td>
                      <span className="badge trace-error-count">{t.errorCount === 1 ? '1 error' : `${t.errorCount} errors`}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            {/* The search's own window, so the link finds what this list was drawn from and more. */}
            <Link href={`/traces?${new URLSearchParams({ service, status: 'error', from: data.from })}`}>All error traces of {service} in this range</Link>
          </p>
        </>
      )}
    </section>
  );
}
