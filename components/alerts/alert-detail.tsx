'use client';

import Link from 'next/link';
import { IncidentLink } from '@/components/incidents/incident-link';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage } from '@/components/ui/feedback';
import { suggestForAlert } from '@/components/runbooks/runbook-links-model';
import { RunbookMatches } from '@/components/runbooks/runbook-matches';
import { PageHeader } from '@/components/ui/page-header';
import { ApiError } from '@/lib/http/api-client';
import type { AlertDetailDto, AlertEventDto } from '@/lib/schemas/alerts';
import { AlertActions } from './alert-actions';
import { useAlert } from './alert-api';
import { AlertTags, SeverityBadge, StateBadge } from './alert-badges';
import { RULE_LABELS, describeSeverityChange, entityLabel, formatDateTime, formatRuleValue, formatWindow } from './alert-model';
import { Fact, FactTime } from './facts';
import { SignalChartCard } from './signal-chart';

/** One alert, refreshed every 5 s: what fired and why, the runbook to follow, the signal behind it, what people did about it. */
export function AlertDetail({ id, canAct, canEditRunbooks }: { id: string; canAct: boolean; canEditRunbooks: boolean }) {
  const query = useAlert(id);

  if (query.isPending) {
    return (
      <>
        <PageHeader title="Alert" />
        <p className="loading">Loading the alert…</p>
      </>
    );
  }
  if (!query.data) {
    const isMissing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <>
        <PageHeader title="Alert" />
        {isMissing ? (
          <EmptyState title="Alert not found">
            <p>
              No alert has the id <code>{id}</code>. <Link href="/alerts">Back to alerts</Link>
            </p>
          </EmptyState>
        ) : (
          <ErrorMessage>{`Could not load the alert: ${query.error?.message ?? 'unknown error'}`}</ErrorMessage>
        )}
      </>
    );
  }

  const alert = query.data;
  return (
    <>
      <PageHeader title={`${RULE_LABELS[alert.rule]} · ${entityLabel(alert.entity)}`} description={alert.summary} />
      {query.error && <ErrorMessage>{`Could not refresh the alert: ${query.error.message}`}</ErrorMessage>}
      {/* Right under the summary: whoever got paged should reach the fix in one click, before reading the numbers. */}
      <RunbookMatches source={{ kind: 'alert', id: alert.id }} canEdit={canEditRunbooks} suggest={suggestForAlert(alert)} />
      <AlertFacts alert={alert} reference={query.dataUpdatedAt} />
      {canAct && <AlertActions alert={alert} />}
      <SignalChartCard alert={alert} />
      <AlertHistory history={alert.history} />
      <section className="card" aria-label="Related">
        <p className="muted alert-related">{alert.incidentId ? <IncidentLink id={alert.incidentId} /> : 'Incident: not part of one yet'}</p>
      </section>
    </>
  );
}

function AlertFacts({ alert, reference }: { alert: AlertDetailDto; reference: number }) {
  const value = (v: number) => formatRuleValue(alert.rule, v);
  return (
    <section className="card" aria-label="Alert facts">
      <p className="alert-badges">
        <SeverityBadge severity={alert.severity} />
        <StateBadge state={alert.state} testId="alert-state" />
        <AlertTags alert={alert} />
        <Link href={`/services/${encodeURIComponent(alert.service)}`}>Service page: {alert.service}</Link>
      </p>
      <dl className="alert-facts">
        <Fact term="Observed">{value(alert.observed)}</Fact>
        <Fact term="Threshold">{value(alert.threshold)}</Fact>
        <Fact term={alert.rule === 'traffic_drop' ? 'Lowest' : 'Peak'}>{value(alert.peakObserved)}</Fact>
        <Fact term="Window">{formatWindow(alert.windowMs)}</Fact>
        <Fact term="Started"><FactTime iso={alert.startedAt} reference={reference} /></Fact>
        <Fact term="Last seen"><FactTime iso={alert.lastSeenAt} reference={reference} /></Fact>
        <Fact term="Resolved">
          <FactTime iso={alert.resolvedAt} reference={reference} />
          {alert.resolvedBy && <span className="muted"> by {alert.resolvedBy}</span>}
        </Fact>
        <Fact term="Acknowledged">
          <FactTime iso={alert.acknowledgedAt} reference={reference} />
          {alert.acknowledgedBy && <span className="muted"> by {alert.acknowledgedBy}</span>}
        </Fact>
        <Fact term="Recorded"><FactTime iso={alert.createdAt} reference={reference} /></Fact>
      </dl>
      <p className="muted alert-hint">Started, last seen and resolved are times in the telemetry; recorded is when Faultline wrote the alert down.</p>
    </section>
  );
}

const EVENT_LABELS: Record<AlertEventDto['type'], string> = {
  fired: 'Fired',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  severity_changed: 'Severity changed',
  note: 'Note',
};

function AlertHistory({ history }: { history: AlertEventDto[] }) {
  return (
    <section className="card" aria-labelledby="alert-history-title">
      <h2 id="alert-history-title">History</h2>
      {history.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol className="alert-history" aria-label="History">
          {history.map((event) => (
            <li key={event.id} className={`alert-event alert-event-${event.type}`}>
              <div className="alert-event-head">
                <strong>{EVENT_LABELS[event.type]}</strong>
                {event.type === 'severity_changed' && <span>{describeSeverityChange(event.details)}</span>}
                <span className="muted">by {event.actor}</span>
                <time className="muted" dateTime={event.at}>
                  {formatDateTime(event.at)}
                </time>
              </div>
              {event.note && <p className="alert-event-note">{event.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
