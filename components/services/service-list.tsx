'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage } from '@/components/ui/feedback';
import { fetchBreakers, fetchProbeSummary, fetchTracedServices } from './service-api';
import { formatClock, formatRatio, mergeServiceRows, type ServiceRow } from './service-model';
import { ProbeStatusBadge } from './status-badges';

const REFRESH_MS = 10_000;

/** Every service any source knows of, with its probe health over the last hour and its open breakers. */
export function ServiceList({ getStarted }: { getStarted: ReactNode }) {
  // Both APIs default to the last hour, which is the window this list describes.
  const probes = useQuery({ queryKey: ['services', 'probes'], queryFn: ({ signal }) => fetchProbeSummary({}, signal), refetchInterval: REFRESH_MS });
  const breakers = useQuery({ queryKey: ['services', 'breakers'], queryFn: ({ signal }) => fetchBreakers({}, signal), refetchInterval: REFRESH_MS });
  const traced = useQuery({ queryKey: ['traces', 'services'], queryFn: ({ signal }) => fetchTracedServices(signal), refetchInterval: REFRESH_MS });

  const sources = [
    { what: 'probe results', query: probes },
    { what: 'circuit breakers', query: breakers },
    { what: 'traced services', query: traced },
  ];
  const isPending = sources.some((s) => s.query.isPending);
  const failed = sources.filter((s) => s.query.error);
  const rows = mergeServiceRows(probes.data, breakers.data, traced.data?.services);

  return (
    <section className="card" aria-labelledby="service-list-title">
      <h2 id="service-list-title">Services</h2>
      {failed.map((s) => (
        // One source failing still leaves the others worth showing.
        <ErrorMessage key={s.what}>{`Could not load ${s.what}: ${s.query.error?.message}`}</ErrorMessage>
      ))}
      {isPending && <p className="loading">Loading services…</p>}
      {!isPending && rows.length === 0 && failed.length === 0 && (
        <EmptyState title="No services yet">
          <p>A service appears here once Faultline hears of it: from a health probe, a circuit-breaker event or a trace.</p>
          {getStarted}
        </EmptyState>
      )}
      {!isPending && rows.length > 0 && <ServiceTable rows={rows} reference={probes.data?.to ?? breakers.data?.to} />}
    </section>
  );
}

function ServiceTable({ rows, reference }: { rows: ServiceRow[]; reference: string | undefined }) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="sr-only">Services with their probe status and pass ratio over the last hour, and their open circuit breakers</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Probes</th>
            <th scope="col">Pass ratio (1h)</th>
            <th scope="col">Last change</th>
            <th scope="col">Open breakers</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row" className="service-name">
                <Link href={`/services/${encodeURIComponent(row.name)}`}>{row.name}</Link>
              </th>
              <td>
                <ProbeStatusBadge status={row.status} />
                {row.checks > 0 && <span className="muted">{row.checks === 1 ? '1 check' : `${row.checks} checks`}</span>}
              </td>
              <td>{row.passRatio === null ? <span className="muted">—</span> : formatRatio(row.passRatio)}</td>
              <td>{row.lastChangeAt ? formatClock(row.lastChangeAt, reference ?? row.lastChangeAt) : <span className="muted">—</span>}</td>
              <td>
                {row.breakers === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <span className={row.openBreakers > 0 ? 'breaker-open-count' : undefined}>
                    {row.openBreakers} of {row.breakers}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
