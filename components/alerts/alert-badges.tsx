import type { AlertDto, Severity } from '@/lib/schemas/alerts';

// Words carry the meaning; the colours in globals.css repeat it.

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge severity-${severity}`}>{severity}</span>;
}

export function StateBadge({ state, testId }: { state: AlertDto['state']; testId?: string }) {
  return (
    <span className={`badge alert-state-${state}`} data-testid={testId}>
      {state}
    </span>
  );
}

/** Silenced and replayed alerts are still real alerts; the tags say why nobody was paged. */
export function AlertTags({ alert }: { alert: Pick<AlertDto, 'silenceId' | 'replayed'> }) {
  return (
    <>
      {alert.silenceId && (
        <span className="badge alert-tag" title="A silence matched: notifications are held back, the alert is still recorded.">
          silenced
        </span>
      )}
      {alert.replayed && (
        <span className="badge alert-tag" title="Found by re-evaluating past data, not by the live detector.">
          replayed
        </span>
      )}
    </>
  );
}
