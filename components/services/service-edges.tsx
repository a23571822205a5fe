'use client';

import Link from 'next/link';
import { EdgeMetricCells, EdgeMetricHeaders } from '@/components/graph/edge-metrics';
import { ErrorMessage } from '@/components/ui/feedback';
import type { GraphEdge } from '@/lib/schemas/graph';
import { useServiceMetrics } from './service-red';
import { describeTimeRange, type TimeRange } from './service-model';

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
                <EdgeMetricHeaders />
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
                    <EdgeMetricCells edge={e} />
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
