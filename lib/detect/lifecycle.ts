// Alert lifecycle over evaluation ticks, as a pure function: a signal fires an alert once per
// fingerprint (rule + entity), keeps it updated while it holds, and resolves it only after the
// condition has been clear for the hold-down period, so a flapping signal does not re-fire.
import type { Signal } from './rules';

export interface OpenAlert {
  fingerprint: string;
  /** Event time the condition was last seen holding. */
  lastSeenAt: Date;
}

export type Transition =
  | { type: 'fire'; signal: Signal; at: Date }
  | { type: 'update'; signal: Signal; at: Date }
  | { type: 'resolve'; fingerprint: string; at: Date };

/**
 * What happens at evaluation time `at`, given the alerts open before it and the signals holding
 * now. Deterministic: the same inputs give the same transitions, in fingerprint order.
 */
export function advanceAlerts(open: readonly OpenAlert[], signals: readonly Signal[], at: Date, holdDownMs: number): Transition[] {
  const openByFingerprint = new Map(open.map((a) => [a.fingerprint, a]));
  const holding = new Map(signals.map((s) => [s.fingerprint, s]));
  const transitions: Transition[] = [];
  for (const signal of holding.values()) {
    transitions.push({ type: openByFingerprint.has(signal.fingerprint) ? 'update' : 'fire', signal, at });
  }
  for (const alert of openByFingerprint.values()) {
    if (holding.has(alert.fingerprint)) continue;
    if (at.getTime() - alert.lastSeenAt.getTime() >= holdDownMs) transitions.push({ type: 'resolve', fingerprint: alert.fingerprint, at });
  }
  const key = (t: Transition) => (t.type === 'resolve' ? t.fingerprint : t.signal.fingerprint);
  return transitions.sort((a, b) => key(a).localeCompare(key(b)));
}

/** Applies transitions to the open set (what the store does), for replays and tests. */
export function applyTransitions(open: readonly OpenAlert[], transitions: readonly Transition[]): OpenAlert[] {
  const next = new Map(open.map((a) => [a.fingerprint, { ...a }]));
  for (const t of transitions) {
    if (t.type === 'resolve') next.delete(t.fingerprint);
    else next.set(t.signal.fingerprint, { fingerprint: t.signal.fingerprint, lastSeenAt: t.at });
  }
  return [...next.values()];
}
