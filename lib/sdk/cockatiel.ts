// Reports a cockatiel CircuitBreakerPolicy's state changes through a BreakerReporter.
import { CircuitState, type CircuitBreakerPolicy } from 'cockatiel';
import type { BreakerAttachment, BreakerReporter, BreakerState } from './breaker-reporter';

/** The part of cockatiel's CircuitBreakerPolicy the adapter uses. */
export type CockatielBreakerLike = Pick<CircuitBreakerPolicy, 'state' | 'onBreak' | 'onStateChange'>;

export interface AttachCockatielOptions {
  reporter: BreakerReporter;
  /** The breaker's name: cockatiel policies have none of their own. */
  breaker: string;
  /** What the breaker protects, as the dependency map names it (e.g. "inventory"). */
  dependency: string;
  /** Defaults to the reporter's instance. */
  instance?: string;
}

// Isolated is an operator holding the breaker open: resilience4j's FORCED_OPEN.
const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'forced_open',
};

type BreakReason = Parameters<Parameters<CircuitBreakerPolicy['onBreak']>[0]>[0];

function describeBreak(reason: BreakReason): string | undefined {
  if ('isolated' in reason) return 'isolated by policy.isolate()';
  if ('error' in reason) return reason.error instanceof Error ? reason.error.message || reason.error.name : String(reason.error);
  // A result the policy's handleResult* filter counted as a failure.
  const text = JSON.stringify(reason.value);
  return `failure result: ${text === undefined ? String(reason.value) : text.slice(0, 500)}`;
}

/**
 * Reports every onStateChange as a transition (from the state before it), with the reason from
 * the onBreak that cockatiel emits just before each change to Open or Isolated.
 */
export function attachCockatiel(policy: CockatielBreakerLike, options: AttachCockatielOptions): BreakerAttachment {
  const { reporter, breaker, dependency, instance } = options;
  let current: BreakerState = STATES[policy.state] ?? 'closed';
  let breakReason: string | undefined;

  // Listeners run inside cockatiel's emit, i.e. inside the host's execute(): none may throw.
  const subscriptions = [
    policy.onBreak((reason) => {
      try {
        breakReason = describeBreak(reason);
      } catch {
        breakReason = undefined;
      }
    }),
    policy.onStateChange((state) => {
      const to = STATES[state];
      if (!to) return;
      const isOpening = to === 'open' || to === 'forced_open';
      reporter.report({ breaker, dependency, instance, from: current, to, reason: isOpening ? breakReason : undefined });
      current = to;
      breakReason = undefined;
    }),
  ];

  return {
    detach() {
      for (const subscription of subscriptions.splice(0)) subscription.dispose();
    },
  };
}
