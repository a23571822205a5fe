// Delivers the notification outbox. Every destination is served by its own task, with its own
// timeout and circuit breaker (cockatiel), so a slow or dead receiver only delays itself: never
// detection (a separate loop that just writes rows) and never the other destinations. Failed
// attempts are retried with exponential backoff and jitter, and dead-lettered after
// NOTIFY_MAX_ATTEMPTS. Any number of replicas may run a sender: a destination's notifications are
// claimed by one sender at a time under a lease token (lib/db/notifications.ts).
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  circuitBreaker,
  halfJitterGenerator,
  handleAll,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { env } from '@/lib/config/env';
import {
  claimDueNotifications,
  destinationsWithDueNotifications,
  markNotificationDelivered,
  markNotificationFailed,
  postponeNotification,
  releaseNotificationClaim,
  renewNotificationLease,
  type ClaimedNotification,
} from '@/lib/db/notifications';
import { logger } from '@/lib/log/logger';
import { postNotification, type DeliveryResult } from './deliver';
import type { AlertNotification } from './outbox';

export interface SenderOptions {
  maxAttempts: number;
  /** First retry delay and cap of the exponential backoff. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failures that open a destination's breaker, and how long it stays open. */
  breakerFailures?: number;
  breakerOpenMs?: number;
  pollMs?: number;
  batch?: number;
}

/** When to try a notification again after `attempts` failed attempts (half jitter: never near zero). */
export function retryDelayMs(attempts: number, initialMs: number, maxMs: number): number {
  const [delay] = halfJitterGenerator(Math.max(0, attempts - 1), { initialDelay: initialMs, maxDelay: maxMs, exponent: 2, generator: halfJitterGenerator });
  return delay;
}

/** Lease of a fresh claim (renewed to the destination's timeout + margin before each delivery). */
const CLAIM_LEASE_MS = 60_000;
const LEASE_MARGIN_MS = 30_000;

interface DestinationPolicy {
  timeoutMs: number;
  breaker: CircuitBreakerPolicy;
}

export class NotificationSender {
  private readonly options: Required<SenderOptions>;
  private readonly policies = new Map<string, DestinationPolicy>();
  private readonly busy = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private polling: Promise<void> | null = null;
  private readonly log = logger().child({ component: 'notify' });

  constructor(options: SenderOptions) {
    this.options = { initialBackoffMs: 5_000, maxBackoffMs: 600_000, breakerFailures: 5, breakerOpenMs: 30_000, pollMs: 1_000, batch: 20, ...options };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for due notifications now (after a transition was recorded in this process). */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.polling ??= this.poll().finally(() => {
        this.polling = null;
        this.schedule(this.options.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Starts a task for each destination with due notifications that has none running. */
  private async poll(): Promise<void> {
    try {
      for (const destinationId of await destinationsWithDueNotifications()) {
        if (this.busy.has(destinationId)) continue;
        const task = this.drainDestination(destinationId)
          .catch((err: unknown) => this.log.warn({ err, destinationId }, 'notification delivery pass failed'))
          .finally(() => this.busy.delete(destinationId));
        this.busy.set(destinationId, task);
      }
    } catch (err) {
      this.log.warn({ err }, 'could not read the notification outbox; retrying');
    }
  }

  private policyFor(n: ClaimedNotification): DestinationPolicy {
    let policy = this.policies.get(n.destinationId);
    if (!policy || policy.timeoutMs !== n.timeoutMs) {
      // A breaker that survives timeout edits would be nicer; a new one after an edit is simpler and harmless.
      policy = {
        timeoutMs: n.timeoutMs,
        breaker: circuitBreaker(handleAll, { halfOpenAfter: this.options.breakerOpenMs, breaker: new ConsecutiveBreaker(this.options.breakerFailures) }),
      };
      this.policies.set(n.destinationId, policy);
    }
    return policy;
  }

  /** Delivers a destination's due notifications in order, until none are due or its breaker opens. */
  private async drainDestination(destinationId: string): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const claim = await claimDueNotifications(destinationId, this.options.batch, CLAIM_LEASE_MS);
      if (!claim) return;
      try {
        for (const [i, n] of claim.notifications.entries()) {
          // Each delivery is bounded by its timeout, so a lease renewed before it cannot lapse
          // during it; a claim that lapsed anyway (a stalled process) was re-claimed: stop.
          if (this.stopped || !(await renewNotificationLease(claim.token, n.timeoutMs + LEASE_MARGIN_MS))) return;
          const outcome = await this.deliverOne(n, claim.token);
          if (outcome === 'breaker_open') {
            // Hand the rest back untouched: they go when the breaker lets a trial call through.
            const retryAt = new Date(Date.now() + this.options.breakerOpenMs);
            for (const rest of claim.notifications.slice(i)) {
              await postponeNotification(rest.id, claim.token, retryAt, 'destination circuit open after repeated failures; waiting before trying again');
            }
            return;
          }
        }
      } finally {
        await releaseNotificationClaim(claim.token);
      }
    }
  }

  private async deliverOne(n: ClaimedNotification, token: string): Promise<'delivered' | 'failed' | 'breaker_open'> {
    const policy = this.policyFor(n);
    const attempt = wrap(policy.breaker, timeout(n.timeoutMs, TimeoutStrategy.Aggressive));
    let result: DeliveryResult;
    try {
      result = await attempt.execute(async ({ signal }) => {
        const r = await postNotification(n, n.id, n.payload as AlertNotification, signal);
        // A failed delivery must count against the breaker: throw it.
        if (!r.ok) throw new DeliveryFailed(r);
        return r;
      });
    } catch (err) {
      if (err instanceof BrokenCircuitError) return 'breaker_open';
      result =
        err instanceof DeliveryFailed
          ? err.result
          : err instanceof TaskCancelledError
            ? { ok: false, status: null, error: `timed out after ${n.timeoutMs} ms` }
            : { ok: false, status: null, error: (err as Error).message };
    }
    if (result.ok) {
      if (!(await markNotificationDelivered(n.id, token))) this.log.warn({ notification: n.id }, 'delivered after the claim lapsed; the receiver may see it twice');
      return 'delivered';
    }
    const attempts = n.attempts + 1;
    const retryAt = attempts >= this.options.maxAttempts ? null : new Date(Date.now() + retryDelayMs(attempts, this.options.initialBackoffMs, this.options.maxBackoffMs));
    await markNotificationFailed(n.id, token, `attempt ${attempts}: ${result.error}`, retryAt);
    if (!retryAt) this.log.warn({ notification: n.id, destination: n.destinationId, error: result.error }, 'notification dead-lettered');
    return 'failed';
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.all(this.busy.values());
  }
}

class DeliveryFailed extends Error {
  constructor(readonly result: Extract<DeliveryResult, { ok: false }>) {
    super(result.error);
  }
}

const holder = globalThis as typeof globalThis & { __faultlineSender?: NotificationSender };

export function startNotificationSender(): NotificationSender | null {
  const config = env();
  if (!config.DATABASE_URL || !config.NOTIFY_ENABLED) return null;
  holder.__faultlineSender ??= new NotificationSender({
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
    initialBackoffMs: config.NOTIFY_RETRY_BASE_SECONDS * 1000,
    breakerOpenMs: config.NOTIFY_BREAKER_OPEN_SECONDS * 1000,
  });
  holder.__faultlineSender.start();
  return holder.__faultlineSender;
}

/** Nudges this process's sender after writing outbox rows. */
export function wakeNotificationSender(): void {
  holder.__faultlineSender?.wake();
}
