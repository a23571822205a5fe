'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { SeverityBadge } from '@/components/alerts/alert-badges';
import { formatAgo, formatDateTime } from '@/components/alerts/alert-model';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage, QueryFeedback } from '@/components/ui/feedback';
import type { IncidentDto } from '@/lib/schemas/incidents';
import { useIncidentList } from './incident-api';
import { IncidentStatusBadge } from './incident-badges';
import {
  INCIDENT_LIST_LIMIT,
  INCIDENT_RANGES,
  INCIDENT_RANGE_LABELS,
  STATUS_FILTERS,
  STATUS_FILTER_LABELS,
  blastRadius,
  describeRef,
  formatConfidence,
  hasNarrowingIncidentFilters,
  incidentDuration,
  incidentFiltersQueryString,
  isAnalysisPending,
  parseIncidentFilters,
  sortIncidents,
  type IncidentFilters,
  type IncidentRange,
} from './incident-model';

/**
 * Incidents open first, then acknowledged, then resolved, filtered by the URL's query string so a
 * view can be shared; refreshed every 5 s.
 */
export function IncidentsList() {
  const router = useRouter();
  const filters = parseIncidentFilters(useSearchParams());
  const list = useIncidentList(filters);
  const incidents = list.data ? sortIncidents(list.data) : [];

  function applyFilters(next: IncidentFilters) {
    const qs = incidentFiltersQueryString(next);
    router.push(qs ? `/incidents?${qs}` : '/incidents', { scroll: false });
  }

  const count = (status: IncidentDto['status']) => incidents.filter((i) => i.status === status).length;
  return (
    <section className="card" aria-labelledby="incident-list-title">
      <h2 id="incident-list-title">Incidents</h2>
      <IncidentFiltersForm filters={filters} onApply={applyFilters} />
      {list.data && (
        <p className="muted">
          In this view: <strong>{count('open')}</strong> open, <strong>{count('acknowledged')}</strong> acknowledged, <strong>{count('resolved')}</strong> resolved.
          Refreshes every 5 seconds.
        </p>
      )}
      <QueryFeedback isPending={list.isPending} error={list.data ? null : list.error} what="incidents" />
      {/* A failed refresh keeps the rows it had; it says so rather than emptying the table. */}
      {list.data && list.error && <ErrorMessage>{`Could not refresh incidents: ${list.error.message}`}</ErrorMessage>}
      {list.data && incidents.length === 0 && <NoIncidents filters={filters} />}
      {incidents.length > 0 && <IncidentsTable incidents={incidents} reference={list.dataUpdatedAt} />}
      {incidents.length >= INCIDENT_LIST_LIMIT && <p className="muted">Showing the first {INCIDENT_LIST_LIMIT} incidents; narrow the filters to see the rest.</p>}
    </section>
  );
}

function IncidentFiltersForm({ filters, onApply }: { filters: IncidentFilters; onApply: (filters: IncidentFilters) => void }) {
  // Both are lists: choosing applies at once, so there is nothing to submit.
  return (
    <form className="form-row alert-filters" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select value={filters.status} onChange={(e) => onApply({ ...filters, status: e.target.value as IncidentFilters['status'] })}>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {STATUS_FILTER_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Time range
        <select value={filters.range} onChange={(e) => onApply({ ...filters, range: e.target.value as IncidentRange })}>
          {(Object.keys(INCIDENT_RANGES) as IncidentRange[]).map((r) => (
            <option key={r} value={r}>
              {INCIDENT_RANGE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      {hasNarrowingIncidentFilters(filters) && (
        <div className="form-actions">
          <Link className="button" href="/incidents" scroll={false}>
            Clear filters
          </Link>
        </div>
      )}
    </form>
  );
}

function NoIncidents({ filters }: { filters: IncidentFilters }) {
  const range = INCIDENT_RANGE_LABELS[filters.range].toLowerCase();
  if (filters.status !== 'all') {
    return (
      <EmptyState title="No incidents match">
        <p>
          No {STATUS_FILTER_LABELS[filters.status].toLowerCase()} incident in the {range}. <Link href="/incidents">Show all incidents</Link>.
        </p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No incidents">
      <p>
        Nothing is on fire: no incident was open in the {range}. Incidents open when alerts fire on connected services; see <Link href="/alerts">Alerts</Link> for
        what the detector has found.
      </p>
    </EmptyState>
  );
}

function IncidentsTable({ incidents, reference }: { incidents: IncidentDto[]; reference: number }) {
  return (
    <div className="table-scroll">
      <table className="incident-table">
        <caption className="sr-only">Incidents: open first, then acknowledged, then resolved; most severe and youngest first within each</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Incident</th>
            <th scope="col">Root cause</th>
            <th scope="col">Confidence</th>
            <th scope="col">Blast radius</th>
            <th scope="col">Opened</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((incident) => (
            <IncidentRow key={incident.id} incident={incident} reference={reference} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function IncidentRow({ incident, reference }: { incident: IncidentDto; reference: number }) {
  const isPending = isAnalysisPending(incident);
  const blast = blastRadius(incident);
  const duration = incidentDuration(incident, reference);
  return (
    <tr className={`incident-row incident-row-${incident.status}`}>
      <td>
        <SeverityBadge severity={incident.severity} />
      </td>
      <td>
        <IncidentStatusBadge status={incident.status} />
      </td>
      <td>
        {/* The link is stretched over the whole row (globals.css), so a click anywhere opens it; the keyboard stops here once. */}
        <Link className="incident-row-link" href={`/incidents/${incident.id}`}>
          {incident.title}
        </Link>
      </td>
      <td className="alert-entity" data-testid="incident-root-cause">
        {isPending ? <span className="muted">analysis pending</span> : describeRef(incident.rootCause)}
      </td>
      <td>{isPending ? <span className="muted">—</span> : formatConfidence(incident.rootCause.confidence)}</td>
      <td className="incident-blast">
        <span>{blast.summary}</span>
        {blast.names && (
          <span className="muted" title={blast.services.join(', ')}>
            {blast.names}
          </span>
        )}
      </td>
      <td className="nowrap">
        <time dateTime={incident.openedAt} title={formatDateTime(incident.openedAt)}>
          {formatAgo(incident.openedAt, reference)}
        </time>
        <span className="muted incident-absolute">{formatDateTime(incident.openedAt)}</span>
      </td>
      <td className="nowrap">
        {duration.text}
        {duration.isOngoing && <span className="muted"> so far</span>}
      </td>
    </tr>
  );
}
