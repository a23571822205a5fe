// Ships circuit-breaker state transitions to Faultline's POST /v1/breaker-events from inside any
// Node service. The host's code path only ever touches report(): synchronous, O(1), never throws.
// Everything else (batching, retries, the bounded buffer) happens in the background.
import { hostname } from 'node:os';
import {
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';

/** Mirrors lib/schemas/breakers.ts; the SDK may not import it (it must run outside Faultline). */
export const BREAKER_STATES = ['closed', 'open', 'half_open', 'forced_open', 'disabled'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** One state transition, in the field names of Faultline's event shape. */
export interface BreakerTransition {
  breaker: string;
  to: BreakerState;
  from?: BreakerState;
  /** Defaults to the moment report() is called. Epoch milliseconds, a Date or ISO-8601 text. */
  at?: Date | number | string;
  /** Defaults to the breaker's name. */
  dependency?: string;
  /** Defaults to the reporter's. */
  service?: string;
  /** Defaults to the reporter's. */
  instance?: string;
  /** Percent, 0–100; clamped. */
  failureRate?: number;
  slowCallRate?: number;
  reason?: string;
}

/** Anything shaped like the WHATWG fetch, for runtimes without a global one. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface BreakerReporterOptions {
  /** Faultline's base URL, e.g. http://localhost:3000; transitions go to `${endpoint}/v1/breaker-events`. */
  endpoint: string;
  /** An API key with the `ingest` scope. */
  apiKey: string;
  service: string;
  /** Defaults to `${hostname}:${pid}`. */
  instance?: string;
  /** Transitions kept while Faultline is unreachable; beyond it the oldest are dropped. Default 1000. */
  maxBuffer?: number;
  /** Transitions per request, at most 1000. Default 100. */
  batchSize?: number;
  /** Default 1000. */
  flushIntervalMs?: number;
  /** Exponential backoff with decorrelated jitter between attempts of one batch. */
  retry?: { maxRetries?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Per attempt. Default 10000. */
  requestTimeoutMs?: number;
  /** How long close() may spend on its final flush. Default 5000. */
  closeTimeoutMs?: number;
  /** Only for runtimes without a global fetch. */
  fetch?: FetchLike;
  /** Told about refused batches, invalid transitions and batches put back after failing; default silent. */
  onError?: (err: BreakerReportError) => void;
}

export interface BreakerReporterStats {
  /** Transitions Faultline acknowledged (stored now or earlier, as duplicates). */
  sent: number;
  /** Invalid transitions, the oldest ones evicted from a full buffer, and batches Faultline refused. */
  dropped: number;
  /** Sends that ended without an acknowledgement: refused, or retries exhausted (those batches are kept). */
  failedBatches: number;
  /** Waiting to be sent, including the batch in flight. */
  buffered: number;
}

export interface BreakerReporter {
  /** Queues a transition. Synchronous and never throws, whatever it is given. */
  report(transition: BreakerTransition): void;
  /** Sends what is buffered; settles (never rejects) once the buffer is empty or a batch failed. */
  flush(): Promise<void>;
  /** Stops the timer and makes a final flush, bounded by closeTimeoutMs. Later reports are dropped. */
  close(): Promise<void>;
  readonly stats: BreakerReporterStats;
}

/** What attachOpossum and attachCockatiel return. */
export interface BreakerAttachment {
  /** Stops reporting; idempotent. */
  detach(): void;
}

export type BreakerReportErrorKind = 'invalid_transition' | 'refused' | 'unreachable';

/** What onError receives. `transitions` counts the transitions concerned. */
export class BreakerReportError extends Error {
  constructor(
    message: string,
    readonly kind: BreakerReportErrorKind,
    readonly transitions: number,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BreakerReportError';
  }
}

// The server's limits (lib/schemas/breakers.ts): a transition over them would make it refuse the
// whole batch, so they are enforced here, one transition at a time.
const MAX_NAME = 256;
const MAX_REASON = 4000;
const MAX_BATCH = 1000;
const MAX_CLOCK_AHEAD_MS = 86_400_000;
// Epoch seconds passed where milliseconds belong land in 1970 and get refused; catch them here.
const EARLIEST_PLAUSIBLE_MS = 1e11;
// Honour a server's Retry-After, but never let one header park a batch for longer than this.
const MAX_RETRY_AFTER_MS = 60_000;
const STATES: ReadonlySet<string> = new Set(BREAKER_STATES);
// Bounds the per-breaker clocks below against a host that invents breaker names without end.
const MAX_TRACKED_BREAKERS = 10_000;

interface WireEvent {
  service?: string;
  instance?: string;
  breaker: string;
  dependency: string;
  from?: BreakerState;
  to: BreakerState;
  at: string;
  failureRate?: number;
  slowCallRate?: number;
  reason?: string;
}

/** A non-2xx answer from Faultline. */
class FaultlineHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'FaultlineHttpError';
  }

  /** Worth another attempt: Faultline is busy or broken, not telling us the request is wrong. */
  get isRetryable(): boolean {
    return this.status === 408 || this.status === 425 || this.status === 429 || this.status >= 500;
  }
}

/** Fixed-capacity FIFO: pushing onto a full queue evicts the oldest entry instead of growing. */
class DropOldestQueue<T> {
  private readonly slots: Array<T | undefined>;
  private head = 0;
  length = 0;

  constructor(private readonly capacity: number) {
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Returns how many entries were evicted (0 or 1). */
  push(item: T): number {
    let evicted = 0;
    if (this.length === this.capacity) {
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.length--;
      evicted = 1;
    }
    this.slots[(this.head + this.length) % this.capacity] = item;
    this.length++;
    return evicted;
  }

  /**
   * Puts a batch back in front, order kept. The batch is older than everything queued behind it,
   * so when it no longer fits, its oldest entries are the ones dropped. Returns how many.
   */
  unshiftAll(items: readonly T[]): number {
    for (let i = items.length - 1; i >= 0; i--) {
      if (this.length === this.capacity) return i + 1;
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.slots[this.head] = items[i];
      this.length++;
    }
    return 0;
  }

  shift(max: number): T[] {
    const out: T[] = [];
    while (out.length < max && this.length > 0) {
      out.push(this.slots[this.head] as T);
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.length--;
    }
    return out;
  }
}

/** Waits at least as long as Faultline's Retry-After asks, and otherwise as the backoff says. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly inner: IBackoffFactory<IRetryBackoffContext<unknown>>) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.inner.next(context);
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = error instanceof FaultlineHttpError ? Math.min(error.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS) : 0;
    return { duration: Math.max(step.duration, asked), next: (ctx) => new RetryAfterBackoff(step).next(ctx) };
  }
}

function isRetryable(err: Error): boolean {
  if (err instanceof FaultlineHttpError) return err.isRetryable;
  // instanceof, not cockatiel 3's isTaskCancelledError(), which tests for the bulkhead error's marker.
  if (err instanceof TaskCancelledError) return true;
  // fetch rejects with a TypeError for refused connections, resets and DNS failures.
  return err.name !== 'AbortError';
}

function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header?.trim()) return null;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Faultline answers `{"error": {"code", "message"}}`; anything else is quoted as is, shortened. */
function describeAnswer(status: number, text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return `HTTP ${status}: ${parsed.error.message}`;
  } catch {
    // Not JSON (a proxy's error page): fall through to the raw text.
  }
  return `HTTP ${status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
}

function describeFailure(err: unknown): string {
  if (err instanceof FaultlineHttpError) return err.message;
  if (err instanceof TaskCancelledError) return 'request timed out';
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

function nameOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().slice(0, MAX_NAME).trim();
  return trimmed === '' ? undefined : trimmed;
}

function stateOf(value: unknown): BreakerState | undefined {
  return typeof value === 'string' && STATES.has(value) ? (value as BreakerState) : undefined;
}

function percentOf(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Math.min(100, Math.max(0, value));
}

function timeOf(value: unknown, now: number): number | string {
  let ms: number;
  if (value === undefined) return now;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = Math.round(value);
  else if (typeof value === 'string') ms = Date.parse(value);
  else return 'at: must be a Date, epoch milliseconds or ISO-8601 text';
  if (!Number.isFinite(ms)) return 'at: is not a time';
  if (ms < EARLIEST_PLAUSIBLE_MS) return 'at: is before 1973 (epoch seconds? pass milliseconds)';
  if (ms > now + MAX_CLOCK_AHEAD_MS) return 'at: is more than a day ahead';
  return ms;
}

interface NormalizedTransition {
  event: Omit<WireEvent, 'at'>;
  at: number;
  /** No `at` given: stamped with the time of report(). */
  isStampedNow: boolean;
}

/** A transition as the server accepts it, or why it never would. */
function normalizeTransition(input: unknown, defaults: { service: string; instance: string }, now: number): NormalizedTransition | string {
  if (typeof input !== 'object' || input === null) return 'transition: must be an object';
  const t = input as Record<string, unknown>;
  const breaker = nameOf(t.breaker);
  if (!breaker) return 'breaker: must be a non-empty name';
  const to = stateOf(t.to);
  if (!to) return `to: must be one of ${BREAKER_STATES.join(', ')}`;
  const at = timeOf(t.at, now);
  if (typeof at === 'string') return at;
  const event: Omit<WireEvent, 'at'> = { breaker, dependency: nameOf(t.dependency) ?? breaker, to };
  const from = stateOf(t.from);
  if (from) event.from = from;
  const service = nameOf(t.service);
  if (service && service !== defaults.service) event.service = service;
  const instance = typeof t.instance === 'string' ? t.instance.trim().slice(0, MAX_NAME) : undefined;
  if (instance !== undefined && instance !== defaults.instance) event.instance = instance;
  const failureRate = percentOf(t.failureRate);
  if (failureRate !== undefined) event.failureRate = failureRate;
  const slowCallRate = percentOf(t.slowCallRate);
  if (slowCallRate !== undefined) event.slowCallRate = slowCallRate;
  if (typeof t.reason === 'string' && t.reason !== '') event.reason = t.reason.slice(0, MAX_REASON);
  return { event, at, isStampedNow: t.at === undefined };
}

function positiveInt(value: number | undefined, fallback: number, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new TypeError(`createBreakerReporter: ${field} must be an integer from 1 to ${max}`);
  return value;
}

function nonNegativeInt(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`createBreakerReporter: ${field} must be a non-negative integer`);
  return value;
}

/**
 * Creates a reporter. Throws (a TypeError) only here, for options that could never work; from
 * then on nothing it does throws into the host.
 */
export function createBreakerReporter(options: BreakerReporterOptions): BreakerReporter {
  let base: URL;
  try {
    base = new URL(options.endpoint);
  } catch {
    throw new TypeError(`createBreakerReporter: endpoint must be an absolute URL such as http://localhost:3000, got ${JSON.stringify(options.endpoint)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('createBreakerReporter: endpoint must be an http:// or https:// URL');
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') throw new TypeError('createBreakerReporter: apiKey is required (a key with the ingest scope)');
  const service = nameOf(options.service);
  if (!service) throw new TypeError('createBreakerReporter: service must be a non-empty name');
  const foundFetch: FetchLike | undefined = options.fetch ?? (typeof globalThis.fetch === 'function' ? (globalThis.fetch as FetchLike) : undefined);
  if (!foundFetch) throw new TypeError('createBreakerReporter: no global fetch in this runtime; pass options.fetch');
  const fetchImpl = foundFetch;

  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/breaker-events`;
  const instance = (options.instance ?? `${hostname()}:${process.pid}`).trim().slice(0, MAX_NAME);
  const defaults = { service, instance };
  const maxBuffer = positiveInt(options.maxBuffer, 1000, 'maxBuffer');
  const batchSize = positiveInt(options.batchSize, 100, 'batchSize', MAX_BATCH);
  const flushIntervalMs = positiveInt(options.flushIntervalMs, 1000, 'flushIntervalMs');
  const requestTimeoutMs = positiveInt(options.requestTimeoutMs, 10_000, 'requestTimeoutMs');
  const closeTimeoutMs = nonNegativeInt(options.closeTimeoutMs, 5000, 'closeTimeoutMs');
  const maxRetries = nonNegativeInt(options.retry?.maxRetries, 5, 'retry.maxRetries');
  const initialDelay = positiveInt(options.retry?.initialDelayMs, 200, 'retry.initialDelayMs');
  const maxDelay = positiveInt(options.retry?.maxDelayMs, 30_000, 'retry.maxDelayMs');
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${options.apiKey.trim()}` };

  // Timers are unref'd throughout: reporting must never be what keeps the host process alive.
  const sendPolicy = wrap(
    retry(handleWhen(isRetryable), {
      maxAttempts: maxRetries,
      backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay, maxDelay })),
    }).dangerouslyUnref(),
    timeout(requestTimeoutMs, TimeoutStrategy.Aggressive).dangerouslyUnref(),
  );

  const queue = new DropOldestQueue<WireEvent>(maxBuffer);
  const stopping = new AbortController();
  let inFlight = 0;
  let sent = 0;
  let dropped = 0;
  let failedBatches = 0;
  // Shrinks when something between us and Faultline refuses a body as too large.
  let batchLimit = batchSize;
  let draining: Promise<void> | null = null;
  let isBackingOff = false;
  let isFlushScheduled = false;
  let isClosed = false;
  let closing: Promise<void> | null = null;
  const lastStamp = new Map<string, number>();

  function notify(err: BreakerReportError): void {
    try {
      options.onError?.(err);
    } catch {
      // The host's callback failing is no reason to stop reporting, nor to throw at the host.
    }
  }

  async function post(body: string): Promise<void> {
    await sendPolicy.execute(async ({ signal }) => {
      const res = await fetchImpl(url, { method: 'POST', headers, body, signal });
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) return;
      throw new FaultlineHttpError(res.status, describeAnswer(res.status, text), parseRetryAfter(res.headers.get('retry-after')));
    }, stopping.signal);
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.shift(batchLimit);
      inFlight = batch.length;
      try {
        await post(JSON.stringify({ service, instance, events: batch }));
        sent += batch.length;
        isBackingOff = false;
      } catch (err) {
        if (err instanceof FaultlineHttpError && !err.isRetryable) {
          if (err.status === 413 && batch.length > 1) {
            batchLimit = Math.max(1, Math.floor(batch.length / 2));
            dropped += queue.unshiftAll(batch);
            continue;
          }
          // Resending what Faultline refused would be refused again; keep the rest flowing.
          failedBatches++;
          dropped += batch.length;
          notify(new BreakerReportError(`Faultline refused ${batch.length} breaker transitions (dropped): ${err.message}`, 'refused', batch.length, err.status, { cause: err }));
          continue;
        }
        failedBatches++;
        isBackingOff = true;
        const lost = queue.unshiftAll(batch);
        dropped += lost;
        if (!stopping.signal.aborted) {
          notify(
            new BreakerReportError(
              `Faultline unreachable at ${url} (${describeFailure(err)}); ${batch.length - lost} breaker transitions kept for the next flush`,
              'unreachable',
              batch.length,
              err instanceof FaultlineHttpError ? err.status : null,
              { cause: err },
            ),
          );
        }
        return;
      } finally {
        inFlight = 0;
      }
    }
  }

  async function flush(): Promise<void> {
    try {
      // One send in flight at a time: wait for the current drain, then start one for what is left.
      while (draining) await draining;
      if (queue.length === 0) return;
      draining = drain().finally(() => {
        draining = null;
      });
      await draining;
    } catch {
      // drain() handles its own failures; this only guards the promise we hand the host.
    }
  }

  function scheduleFlush(): void {
    if (isFlushScheduled || draining || isBackingOff || isClosed) return;
    isFlushScheduled = true;
    // Not inline: report() may run inside the breaker library's emit, and must stay cheap there.
    setImmediate(() => {
      isFlushScheduled = false;
      if (!draining && !isBackingOff) void flush();
    }).unref?.();
  }

  const timer = setInterval(() => {
    if (!draining && queue.length > 0) void flush();
  }, flushIntervalMs);
  timer.unref?.();

  function report(transition: BreakerTransition): void {
    try {
      if (isClosed) {
        dropped++;
        return;
      }
      const normalized = normalizeTransition(transition, defaults, Date.now());
      if (typeof normalized === 'string') {
        dropped++;
        notify(new BreakerReportError(`Breaker transition not reported: ${normalized}`, 'invalid_transition', 1));
        return;
      }
      const { event, isStampedNow } = normalized;
      let { at } = normalized;
      // Faultline stores a breaker's transition to a given state once per instant, so a flap within
      // one millisecond (isolate() then dispose()) would lose its second half: each breaker's
      // clock only moves forward.
      const key = `${event.service ?? service}\u0000${event.instance ?? instance}\u0000${event.breaker}`;
      const last = lastStamp.get(key);
      if (isStampedNow && last !== undefined && at <= last) at = last + 1;
      if (last === undefined && lastStamp.size >= MAX_TRACKED_BREAKERS) lastStamp.clear();
      lastStamp.set(key, Math.max(at, last ?? at));
      dropped += queue.push({ ...event, at: new Date(at).toISOString() });
      if (queue.length >= batchLimit) scheduleFlush();
    } catch (err) {
      // A getter that throws, a revoked proxy: whatever it was, it is the host's call stack.
      dropped++;
      notify(new BreakerReportError('Breaker transition not reported: could not be read', 'invalid_transition', 1, null, { cause: err }));
    }
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      isClosed = true;
      clearInterval(timer);
      let deadline: ReturnType<typeof setTimeout> | undefined;
      // This timer stays referenced: a host awaiting close() on its way out should get the flush.
      const timedOut = new Promise<void>((resolve) => (deadline = setTimeout(resolve, closeTimeoutMs)));
      await Promise.race([flush(), timedOut]);
      clearTimeout(deadline);
      // Past the deadline: stop retrying, so no socket or timer of ours outlives close().
      stopping.abort();
      const undelivered = queue.length + inFlight;
      if (undelivered > 0) notify(new BreakerReportError(`Closed with ${undelivered} breaker transitions not delivered to ${url}`, 'unreachable', undelivered));
    })();
    return closing;
  }

  return {
    report,
    flush,
    close,
    get stats(): BreakerReporterStats {
      return { sent, dropped, failedBatches, buffered: queue.length + inFlight };
    },
  };
}
