'use client';

import Link from 'next/link';
import { formatMs, formatPercent, formatRps } from '@/components/graph/graph-model';
import { ErrorMessage } from '@/components/ui/feedback';
import type { GraphEdge } from '@/lib/schemas/graph';
import { useServiceMetrics } from './service-red';
import { describeTimeRange, type TimeRange } from './service-model';
import { BreakerStateBadge } from './status-badges';

/** "Callers and dependencies": every edge into and out of the service, with its metrics over the range. */
export function ServiceEdges({ service, range }: { service: string; range: TimeRange }) {
  // The same query as the RED charts, so both render from one request.
  const metrics = useServiceMetrics(service, range);
  return (
    <section className="card" aria-labelledby="edges-title">
      <h2 id="edges-title">Callers and dependencies</h2>
      {metrics.isPending && <p className="loading">Loading callers and dependencies…</p>}
      {metrics.error && <ErrorMessage>{`Could not load callers and dependencies: ${metrics.error.message}`}</ErrorMessage>}
      {metrics.data && (
        <>
          <EdgeTable
            title="Upstream: who calls it"
            peerOf={(e) => e.source}
            edges={metrics.data.upstream}
            empty={`No traced caller called ${service} in ${describeTimeRange(range)}: it is an entry point, or its callers are not instrumented.`}
          />
          <EdgeTable
            title="Downstream: what it calls"
            peerOf={(e) => e.target}
            edges={metrics.data.downstream}
            empty={`${service} called nothing traced in ${describeTimeRange(range)}.`}
          />
        </>
      )}
    </section>
  );
}

function EdgeTable({ title, edges, peerOf, empty }: { title: string; edges: GraphEdge[]; peerOf: (e: GraphEdge) => string; empty: string }) {
  // Busiest first: that is where a problem hurts most.
  const rows = [...edges].sort((a, b) => b.rps - a.rps || peerOf(a).localeCompare(peerOf(b)));
  return (
    <>
      <h3 className="service-edges-title">{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-scroll">
          <table className="service-edges">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Req/s</th>
                <th scope="col">Errors</th>
                <th scope="col">p95</th>
                <th scope="col">p99</th>
                <th scope="col">Retries</th>
                <th scope="col">Timeouts</th>
                <th scope="col">Lag p95</th>
                <th scope="col">Breaker</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const peer = peerOf(e);
                return (
                  <tr key={peer}>
                    <th scope="row" className="service-name">
                      <Link href={`/services/${encodeURIComponent(peer)}`}>{peer}</Link>
                    </th>
                    <td>{formatRps(e.rps)}</td>
                    <td className={e.errorRate > 0 ? 'service-edge-errors' : undefined}>{formatPercent(e.errorRate)}</td>
                    <td>{formatMs(e.p95)}</td>
                    <td>{formatMs(e.p99)}</td>
                    <td>{formatPercent(e.retryRate)}</td>
                    <td>{formatPercent(e.timeoutRate)}</td>
                    <td>{e.lagP95 === undefined ? <span className="muted">—</span> : formatMs(e.lagP95)}</td>
                    <td>
                      {e.breaker ? (
                        <>
                          <BreakerStateBadge state={e.breaker.state} />
                          {e.breaker.openInstances > 0 && (
                            <span className="muted">
                              {e.breaker.openInstances} of {e.breaker.instances}
                            </span>
                          )}
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
