import { describe, expect, it } from 'vitest';
import { advanceAlerts, applyTransitions, type OpenAlert } from './lifecycle';
import type { Signal } from './rules';

const sig = (fingerprint: string): Signal => ({
  fingerprint,
  rule: 'error_rate',
  entity: { type: 'service', service: fingerprint },
  severity: 'critical',
  observed: 0.5,
  threshold: 0.05,
  windowMs: 60_000,
  summary: fingerprint,
});
const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s));
const HOLD = 30_000;

/** Runs ticks of (seconds, fingerprints holding) and collects the transitions as text. */
function replay(ticks: Array<[number, string[]]>): string[] {
  let open: OpenAlert[] = [];
  const log: string[] = [];
  for (const [s, holding] of ticks) {
    const transitions = advanceAlerts(open, holding.map(sig), t(s), HOLD);
    for (const tr of transitions) log.push(`${s}s ${tr.type} ${tr.type === 'resolve' ? tr.fingerprint : tr.signal.fingerprint}`);
    open = applyTransitions(open, transitions);
  }
  return log;
}

describe('alert lifecycle', () => {
  it('fires once per fingerprint and updates in place while the condition holds', () => {
    expect(replay([[0, ['a']], [10, ['a']], [20, ['a', 'b']]])).toEqual(['0s fire a', '10s update a', '20s update a', '20s fire b']);
  });

  it('resolves only after the condition has been clear for the hold-down period', () => {
    expect(replay([[0, ['a']], [10, []], [20, []], [29, []], [30, []], [40, []]])).toEqual(['0s fire a', '30s resolve a']);
  });

  it('does not flap: a condition that returns within the hold-down keeps the same alert', () => {
    // Clear at 10 s, back at 20 s: still the same alert; clear again from 30 s, resolved once
    // it has not held for the whole hold-down (last seen 20 s → resolved at 50 s).
    expect(replay([[0, ['a']], [10, []], [20, ['a']], [30, []], [49, []], [50, []]])).toEqual(['0s fire a', '20s update a', '50s resolve a']);
  });

  it('is deterministic: the same ticks give the same transitions', () => {
    const ticks: Array<[number, string[]]> = [[0, ['b', 'a']], [10, ['a']], [50, []]];
    expect(replay(ticks)).toEqual(replay(ticks));
    expect(replay(ticks)).toEqual(['0s fire a', '0s fire b', '10s update a', '50s resolve a', '50s resolve b']);
  });
});
