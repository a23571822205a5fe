import { BreakerStateBadge } from '@/components/services/status-badges';
import type { GraphEdge } from '@/lib/schemas/graph';
import { formatMs, formatPercent, formatRps } from './graph-model';

/** Column headers of an edge's metrics, in the order EdgeMetricCells renders them. */
export function EdgeMetricHeaders() {
  return (
    <>
      <th scope="col">Req/s</th>
      <th scope="col">Errors</th>
      <th scope="col">p95</th>
      <th scope="col">p99</th>
      <th scope="col">Retries</th>
      <th scope="col">Timeouts</th>
      <th scope="col">Lag p95</th>
      <th scope="col">Breaker</th>
    </>
  );
}

/** One edge's metrics as table cells: the map's call table and the service page's edge tables. */
export function EdgeMetricCells({ edge }: { edge: GraphEdge }) {
  return (
    <>
      <td>{formatRps(edge.rps)}</td>
      <td className={edge.errorRate > 0 ? 'service-edge-errors' : undefined}>{formatPercent(edge.errorRate)}</td>
      <td>{formatMs(edge.p95)}</td>
      <td>{formatMs(edge.p99)}</td>
      <td>{formatPercent(edge.retryRate)}</td>
      <td>{formatPercent(edge.timeoutRate)}</td>
      <td>{edge.lagP95 === undefined ? <span className="muted">—</span> : formatMs(edge.lagP95)}</td>
      <td>
        {edge.breaker ? (
          <>
            <BreakerStateBadge state={edge.breaker.state} />
            {edge.breaker.openInstances > 0 && (
              <span className="muted">
                {' '}
                {edge.breaker.openInstances} of {edge.breaker.instances}
              </span>
            )}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </>
  );
}
