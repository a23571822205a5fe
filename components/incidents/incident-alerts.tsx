'use client';

import Link from 'next/link';
import { SeverityBadge, StateBadge } from '@/components/alerts/alert-badges';
import { RULE_LABELS, entityLabel, formatDateTime, formatShortTime } from '@/components/alerts/alert-model';
import { ErrorMessage } from '@/components/ui/feedback';
import { useIncidentAlerts } from './incident-api';

/** One request per alert: a cascade raises a handful, and a few hundred is already a different problem. */
const MAX_ALERTS = 50;

/** The alerts grouped into this incident, each linking to its own page. */
export function IncidentAlerts({ alertIds, isLive, reference }: { alertIds: string[]; isLive: boolean; reference: number }) {
  const shown = alertIds.slice(0, MAX_ALERTS);
  // A resolved incident's alerts no longer change on their own; an action still refreshes them.
  const results = useIncidentAlerts(shown, isLive);
  const failed = results.filter((r) => r.error && !r.data).length;
  const isLoading = results.some((r) => r.isPending);
  return (
    <section className="card" aria-labelledby="incident-alerts-title">
      <h2 id="incident-alerts-title">Alerts ({alertIds.length})</h2>
      {isLoading && <p className="loading">Loading alerts…</p>}
      <ErrorMessage>{failed > 0 ? `Could not load ${failed === 1 ? '1 alert' : `${failed} alerts`}.` : null}</ErrorMessage>
      {alertIds.length === 0 ? (
        <p className="muted">No alerts belong to this incident.</p>
      ) : (
        <ul className="incident-alert-list" aria-label="Alerts of this incident">
          {shown.map((id, i) => {
            const alert = results[i]?.data;
            return (
              <li key={id}>
                {alert ? (
                  <>
                    <SeverityBadge severity={alert.severity} />
                    <StateBadge state={alert.state} />
                    <Link href={`/alerts/${id}`}>
                      {RULE_LABELS[alert.rule]} · {entityLabel(alert.entity)}
                    </Link>
                    <span className="muted">{alert.summary}</span>
                    <time className="muted" dateTime={alert.startedAt} title={formatDateTime(alert.startedAt)}>
                      started {formatShortTime(alert.startedAt, reference)}
                    </time>
                  </>
                ) : (
                  <Link href={`/alerts/${id}`}>Alert {id.slice(0, 8)}</Link>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {alertIds.length > MAX_ALERTS && <p className="muted">Showing the first {MAX_ALERTS}; the Alerts page lists the rest.</p>}
    </section>
  );
}
