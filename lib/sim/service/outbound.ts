// Outbound calls of a fleet service, each wrapped in cockatiel policies the way a careful team
// would: timeout, retries with jittered exponential backoff (recording http.request.resend_count),
// a circuit breaker reported to Faultline, and round-robin over the callee's replicas.
import type { LookupAddress } from 'node:dns';
import type * as nodeHttp from 'node:http';
import type { LookupFunction } from 'node:net';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConstantBackoff,
  ExponentialBackoff,
  handleWhen,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { attachCockatiel } from '@/lib/sdk/cockatiel';
import type { BreakerReporter } from '@/lib/sdk/breaker-reporter';
import type { ChaosState } from './chaos-state';
import { PEER_HEADER, RESEND_HEADER } from './telemetry';

/** The callee answered with an error status; 5xx counts against the breaker and is retried. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly callee: string,
    readonly body: string,
  ) {
    super(`${callee} answered ${status}`);
  }
}

export interface CallResult {
  status: number;
  body: unknown;
}

export interface CalleeOptions {
  timeoutMs: number;
  /** Attempts in total (1 = no retry). */
  attempts: number;
}

const DEFAULT_OPTIONS: CalleeOptions = { timeoutMs: 1500, attempts: 3 };

const isRetryable = (err: Error) => !(err instanceof BrokenCircuitError) && !(err instanceof HttpStatusError && err.status < 500);

interface Callee {
  urls: string[];
  next: number;
  normal: IPolicy;
  /** A retry storm: many immediate retries, no breaker, no budget. */
  aggressive: IPolicy;
  breaker: CircuitBreakerPolicy;
}

export class Outbound {
  private readonly callees = new Map<string, Callee>();

  constructor(
    private readonly http: typeof nodeHttp,
    private readonly service: string,
    peers: Record<string, string[]>,
    private readonly chaos: ChaosState,
    reporter: BreakerReporter | null,
    options: Record<string, Partial<CalleeOptions>> = {},
  ) {
    for (const [name, urls] of Object.entries(peers)) {
      const o = { ...DEFAULT_OPTIONS, ...options[name] };
      // Opens when half the calls of the last 10 s failed (at least ~1 call/s), probes after 5 s.
      const breaker = circuitBreaker(handleWhen(isRetryable), {
        halfOpenAfter: 5_000,
        breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000, minimumRps: 1 }),
      });
      if (reporter) attachCockatiel(breaker, { reporter, breaker: `${service}->${name}`, dependency: name });
      const perAttempt = timeout(o.timeoutMs, TimeoutStrategy.Aggressive);
      const normal = wrap(
        retry(handleWhen(isRetryable), { maxAttempts: o.attempts - 1, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) }),
        breaker,
        perAttempt,
      );
      const aggressive = wrap(retry(handleWhen(isRetryable), { maxAttempts: 8, backoff: new ConstantBackoff(0) }), perAttempt);
      this.callees.set(name, { urls, next: 0, normal, aggressive, breaker });
    }
  }

  /** Calls `callee` (any of its replicas) with its policies; resolves with a 2xx/4xx answer, throws otherwise. */
  async call(callee: string, method: string, path: string, body?: unknown): Promise<CallResult> {
    const target = this.callees.get(callee);
    if (!target) throw new Error(`${this.service} has no route to ${callee}`);
    const policy = this.chaos.aggressiveRetry.has(callee) ? target.aggressive : target.normal;
    return policy.execute(async ({ attempt, signal }: { attempt?: number; signal: AbortSignal }) => {
      // Each attempt goes to the next replica, as a client-side load balancer would.
      const url = target.urls[target.next++ % target.urls.length]!;
      return this.send(callee, url, method, path, body, attempt ?? 0, signal);
    });
  }

  breakerOf(callee: string): CircuitBreakerPolicy | undefined {
    return this.callees.get(callee)?.breaker;
  }

  private send(callee: string, base: string, method: string, path: string, body: unknown, resend: number, signal: AbortSignal): Promise<CallResult> {
    const url = new URL(path, base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const partitioned = this.chaos.partitioned.has(callee);
    return new Promise<CallResult>((resolve, reject) => {
      const req = this.http.request(
        {
          method,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          signal,
          headers: {
            [PEER_HEADER]: callee,
            ...(resend > 0 ? { [RESEND_HEADER]: String(resend) } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
          lookup: loopbackLookup(partitioned),
          // Pooled keep-alive sockets would skip the lookup and cross the partition.
          ...(partitioned ? { agent: false } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 500) return reject(new HttpStatusError(status, callee, text));
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // Not JSON: hand the text back.
            }
            resolve({ status, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/**
 * Resolves every name to loopback without DNS; under a partition it never answers, so the call
 * hangs until its timeout, exactly as a dropped SYN would.
 */
function loopbackLookup(partitioned: boolean): LookupFunction {
  return (_host, options, callback) => {
    if (partitioned) return;
    // Node's connection racing (autoSelectFamily) asks for every address at once.
    if (options.all) (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
}

/** How a failed call reads in a span or a 502 body. */
export function describeCallError(err: unknown): string {
  if (err instanceof TaskCancelledError) return 'timeout';
  if (err instanceof BrokenCircuitError) return 'circuit open';
  if (err instanceof HttpStatusError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
