import type { IncidentStatus } from '@/lib/schemas/incidents';

// Words carry the meaning; the colours in globals.css repeat it.

export function IncidentStatusBadge({ status, testId }: { status: IncidentStatus; testId?: string }) {
  return (
    <span className={`badge incident-status-${status}`} data-testid={testId}>
      {status}
    </span>
  );
}
