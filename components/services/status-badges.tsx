import type { BreakerState } from '@/lib/schemas/breakers';
import { BREAKER_STATE_LABELS, type ProbeHealth } from './service-model';

/** A probe status in words and colour, so colour is never the only cue. */
export function ProbeStatusBadge({ status, testId }: { status: ProbeHealth; testId?: string }) {
  return (
    <span className={`badge status-${status}`} data-testid={testId}>
      {status}
    </span>
  );
}

export function BreakerStateBadge({ state }: { state: BreakerState }) {
  return <span className={`badge breaker-${state}`}>{BREAKER_STATE_LABELS[state]}</span>;
}
