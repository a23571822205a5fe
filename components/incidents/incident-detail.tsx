'use client';

import Link from 'next/link';
import { useMemo, useRef } from 'react';
import { SeverityBadge } from '@/components/alerts/alert-badges';
import { formatAgo } from '@/components/alerts/alert-model';
import { Fact, FactTime } from '@/components/alerts/facts';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage } from '@/components/ui/feedback';
import { PageHeader } from '@/components/ui/page-header';
import { ApiError } from '@/lib/http/api-client';
import type { IncidentDetailDto } from '@/lib/schemas/incidents';
import { CandidatesCard } from './candidates-card';
import { FailureTimeline } from './failure-timeline';
import { IncidentActions } from './incident-actions';
import { IncidentAlerts } from './incident-alerts';
import { useIncident } from './incident-api';
import { IncidentStatusBadge } from './incident-badges';
import { IncidentMap } from './incident-map';
import { blastRadius, incidentDuration, incidentWindow } from './incident-model';
import { IncidentNotes } from './incident-notes';
import { RootCauseCard } from './root-cause-card';
import { SymptomsCard } from './symptoms-card';

/** One incident, refreshed every 5 s: where it started, what it reached, how it unfolded, and what people did about it. */
export function IncidentDetail({ id, canAct, canEditRunbooks }: { id: string; canAct: boolean; canEditRunbooks: boolean }) {
  const query = useIncident(id);
  const notesRef = useRef<HTMLTextAreaElement>(null);
  const reference = query.dataUpdatedAt;
  const incident = query.data;
  // One window for the timeline, the metrics, the map and the trace links; an open one ends at the last refresh.
  const period = useMemo(() => (incident ? incidentWindow(incident, reference) : null), [incident, reference]);

  if (query.isPending) {
    return (
      <>
        <PageHeader title="Incident" />
        <p className="loading">Loading the incident…</p>
      </>
    );
  }
  if (!incident || !period) {
    const isMissing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <>
        <PageHeader title="Incident" />
        {isMissing ? (
          <EmptyState title="Incident not found">
            <p>
              No incident has the id <code>{id}</code>; it may have been merged into another. <Link href="/incidents">Back to incidents</Link>
            </p>
          </EmptyState>
        ) : (
          <ErrorMessage>{`Could not load the incident: ${query.error?.message ?? 'unknown error'}`}</ErrorMessage>
        )}
      </>
    );
  }

  return (
    <>
      <PageHeader title={incident.title} description="Root cause first, then what it reached and how it unfolded." />
      {query.error && <ErrorMessage>{`Could not refresh the incident: ${query.error.message}`}</ErrorMessage>}
      <IncidentFacts incident={incident} reference={reference} />
      {canAct && <IncidentActions incident={incident} notesRef={notesRef} />}
      <RootCauseCard incident={incident} period={period} canEditRunbooks={canEditRunbooks} />
      <SymptomsCard symptoms={incident.symptoms} />
      <CandidatesCard candidates={incident.candidates} rootCause={incident.rootCause} />
      <FailureTimeline incident={incident} period={period} />
      <IncidentMap incident={incident} period={period} />
      <IncidentAlerts alertIds={incident.alertIds} isLive={incident.status !== 'resolved'} reference={reference} />
      <IncidentNotes incident={incident} canEdit={canAct} reference={reference} notesRef={notesRef} />
    </>
  );
}

function IncidentFacts({ incident, reference }: { incident: IncidentDetailDto; reference: number }) {
  const duration = incidentDuration(incident, reference);
  const blast = blastRadius(incident);
  return (
    <section className="card" aria-label="Incident facts">
      <p className="alert-badges">
        <SeverityBadge severity={incident.severity} />
        <IncidentStatusBadge status={incident.status} testId="incident-status" />
      </p>
      <dl className="alert-facts">
        <Fact term="Opened">
          <FactTime iso={incident.openedAt} reference={reference} /> <span className="muted">({formatAgo(incident.openedAt, reference)})</span>
        </Fact>
        <Fact term={duration.isOngoing ? 'Open for' : 'Lasted'}>{duration.text}</Fact>
        <Fact term="Acknowledged">
          <FactTime iso={incident.acknowledgedAt} reference={reference} />
          {incident.acknowledgedBy && <span className="muted"> by {incident.acknowledgedBy}</span>}
        </Fact>
        <Fact term="Resolved">
          <FactTime iso={incident.resolvedAt} reference={reference} />
          {incident.resolvedBy && <span className="muted"> by {incident.resolvedBy}</span>}
        </Fact>
        <Fact term="Blast radius">{blast.summary}</Fact>
      </dl>
      <p className="muted alert-hint">Times are when things happened in the telemetry.</p>
    </section>
  );
}
