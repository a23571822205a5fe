// Reports an opossum CircuitBreaker's state changes through a BreakerReporter.
import type { BreakerAttachment, BreakerReporter, BreakerState } from './breaker-reporter';

type Listener = (...args: unknown[]) => void;

/**
 * The part of opossum's CircuitBreaker the adapter uses, typed structurally so services need
 * neither @types/opossum nor one particular opossum major.
 */
export interface OpossumBreakerLike {
  readonly name: string;
  readonly opened: boolean;
  readonly halfOpen: boolean;
  readonly stats: { readonly failures: number; readonly fires: number };
  on(event: 'open' | 'halfOpen' | 'close' | 'shutdown' | 'failure' | 'healthCheckFailed', listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
}

export interface AttachOpossumOptions {
  reporter: BreakerReporter;
  /** What the breaker protects, as the dependency map names it (e.g. "payments"). */
  dependency: string;
  /** Defaults to breaker.name (opossum's `name` option, else a random UUID: set it). */
  breakerName?: string;
  /** Defaults to the reporter's instance. */
  instance?: string;
}

function messageOf(err: unknown): string | undefined {
  try {
    if (err instanceof Error) return err.message || err.name;
    return err === undefined ? undefined : String(err);
  } catch {
    return undefined;
  }
}

/**
 * Subscribes to opossum's `open`, `halfOpen` and `close` and reports each as a transition, with
 * the rolling failure rate and the failure that tripped it on `open`. `shutdown` is reported as
 * `disabled`: a shut-down breaker protects nothing any more, so it should drop out of the edge's
 * state rather than freeze it at whatever it was last.
 */
export function attachOpossum(breaker: OpossumBreakerLike, options: AttachOpossumOptions): BreakerAttachment {
  const { reporter, dependency, instance } = options;
  const breakerName = options.breakerName ?? breaker.name;
  let current: BreakerState = breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed';
  // opossum emits `failure` (or `healthCheckFailed`) synchronously just before the `open` it causes.
  let lastFailure: string | undefined;

  function transition(to: BreakerState, extra: { failureRate?: number; reason?: string } = {}): void {
    reporter.report({ breaker: breakerName, dependency, instance, from: current, to, ...extra });
    current = to;
    lastFailure = undefined;
  }

  // opossum counts a timeout as a failure too (it emits both), so failures/fires is its own error
  // rate, the one it compared with errorThresholdPercentage.
  function failureRate(): number | undefined {
    try {
      const { failures, fires } = breaker.stats;
      return fires > 0 ? (failures / fires) * 100 : undefined;
    } catch {
      return undefined;
    }
  }

  // Each listener runs inside opossum's emit, i.e. inside the host's call: none may throw.
  const listeners: Array<[Parameters<OpossumBreakerLike['on']>[0], Listener]> = [
    ['failure', (err: unknown) => void (lastFailure = messageOf(err))],
    ['healthCheckFailed', (err: unknown) => void (lastFailure = `health check failed: ${messageOf(err) ?? 'no reason given'}`)],
    ['open', () => transition('open', { failureRate: failureRate(), reason: lastFailure })],
    ['halfOpen', () => transition('half_open')],
    ['close', () => transition('closed')],
    [
      'shutdown',
      () => {
        transition('disabled', { reason: 'breaker shut down' });
        // opossum drops every listener right after this event; nothing is left to detach.
        listeners.length = 0;
      },
    ],
  ];
  for (const [event, listener] of listeners) breaker.on(event, listener);

  return {
    detach() {
      for (const [event, listener] of listeners) breaker.removeListener(event, listener);
      listeners.length = 0;
    },
  };
}
