// Telemetry of a simulated fleet at compressed event time: the traces its requests leave (CLIENT
// and SERVER spans per hop, PRODUCER/CONSUMER spans through queues), the health probes it pushes
// and its circuit breakers' transitions, with faults shaping them the way they shape a real
// fleet's. Deterministic: the same topology, faults and seed give the same telemetry.
import type { BreakerEventInput } from '@/lib/schemas/breakers';
import type { ProbeResultInput } from '@/lib/schemas/probes';
import type { Fault } from './faults';
import { Rng } from './random';
import { leafOf, serviceOf, type SimCall, type SimService, type SimTopology } from './topology';

export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface SimSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  instance: string;
  name: string;
  kind: number;
  startMs: number;
  durationMs: number;
  /** Status message of a failed span; null when it succeeded. */
  error: string | null;
  attributes: Record<string, string | number>;
  links: Array<{ traceId: string; spanId: string }>;
}

export interface Telemetry {
  spans: SimSpan[];
  probes: ProbeResultInput[];
  breakers: BreakerEventInput[];
}

const PROBE_INTERVAL_MS = 10_000;
/** Per hop; a healthy fleet meets a 99.9% objective with room to spare. */
const BACKGROUND_ERROR_RATE = 0.0002;
/** Immediate retries a storm-struck caller makes on any failure. */
const STORM_ATTEMPTS = 5;

interface CallOutcome {
  durationMs: number;
  failed: boolean;
  message: string | null;
  status: number;
}

interface Breaker {
  state: 'closed' | 'open' | 'half_open';
  openedAt: number;
  window: Array<{ at: number; failed: boolean }>;
}

interface Message {
  traceId: string;
  spanId: string;
  publishedAt: number;
}

export class FleetTraffic {
  private readonly rng: Rng;
  private readonly breakers = new Map<string, Breaker>();
  private readonly backlog = new Map<string, Message[]>();
  private readonly consumerFreeAt = new Map<string, number>();
  private readonly roundRobin = new Map<string, number>();
  private readonly nextArrival = new Map<string, number>();
  private nextProbeAt: number;
  private ids = 0;
  private out: Telemetry = { spans: [], probes: [], breakers: [] };

  constructor(
    private readonly topology: SimTopology,
    private readonly faults: readonly Fault[],
    seed: number,
    /** Distinguishes this generator's trace and span ids from every other's. */
    private readonly idPrefix: number,
    startMs: number,
  ) {
    this.rng = new Rng(seed);
    for (const s of topology.services) if (s.entryRps > 0) this.nextArrival.set(s.name, startMs + this.rng.next() * (1000 / s.entryRps));
    this.nextProbeAt = startMs;
  }

  /** Telemetry of requests arriving in [.., untilMs); consumer spans may lie later (queue lag). */
  advance(untilMs: number): Telemetry {
    const arrivals: Array<{ service: SimService; at: number }> = [];
    for (const [name, first] of this.nextArrival) {
      const s = serviceOf(this.topology, name);
      let at = first;
      while (at < untilMs) {
        arrivals.push({ service: s, at });
        at += -Math.log(1 - this.rng.next()) * (1000 / s.entryRps);
      }
      this.nextArrival.set(name, at);
    }
    arrivals.sort((a, b) => a.at - b.at);
    for (const a of arrivals) {
      this.serve(a.service, a.at, this.newTraceId(), null, SPAN_KIND.server, []);
      this.drainQueues(a.at);
    }
    this.drainQueues(untilMs);
    while (this.nextProbeAt < untilMs) {
      this.probe(this.nextProbeAt);
      this.nextProbeAt += PROBE_INTERVAL_MS;
    }
    const done = this.out;
    this.out = { spans: [], probes: [], breakers: [] };
    return done;
  }

  private active(at: number, predicate: (f: Fault) => boolean): Fault | undefined {
    return this.faults.find((f) => at >= f.startMs && at < f.endMs && predicate(f));
  }

  private newTraceId(): string {
    return `${this.idPrefix.toString(16).padStart(8, '0')}${this.rng.hex(4)}${(++this.ids).toString(16).padStart(16, '0')}`;
  }

  private newSpanId(): string {
    return this.rng.hex(8);
  }

  private instanceOf(s: SimService): string {
    const n = (this.roundRobin.get(s.name) ?? 0) + 1;
    this.roundRobin.set(s.name, n);
    return s.instances[n % s.instances.length]!;
  }

  /** One request handled by `s` starting at `at`: its SERVER (or CONSUMER) span and everything beneath. */
  private serve(s: SimService, at: number, traceId: string, parentSpanId: string | null, kind: number, links: SimSpan['links'], extra: Record<string, string | number> = {}): CallOutcome {
    const instance = this.instanceOf(s);
    const spanId = this.newSpanId();
    let own = this.rng.lognormal(s.ownMs);
    const slow = this.active(at, (f) => f.type === 'latency' && f.service === s.name);
    if (slow) own += this.rng.lognormal(slow.extraMs, 0.15);
    const storm = this.active(at, (f) => f.type === 'retry_storm' && f.target === s.name);
    if (storm) own *= 2.5;

    let cursor = at + own * 0.4;
    let failed = false;
    let message: string | null = null;
    let status = 200;
    for (const c of s.calls) {
      if (!this.rng.chance(c.probability)) continue;
      const result = this.call(s, instance, c, cursor, traceId, spanId);
      cursor += result.durationMs;
      if (result.failed && !c.fallback) {
        failed = true;
        status = 502;
        message = result.message === 'Breaker is open' ? 'Breaker is open' : `upstream ${c.to} failed`;
        break;
      }
    }
    if (!failed) {
      const errors = this.active(at, (f) => f.type === 'service_errors' && f.service === s.name);
      const replica = this.active(at, (f) => f.type === 'bad_replica' && f.service === s.name && f.instance === instance);
      if (errors && this.rng.chance(errors.rate)) [failed, status, message] = [true, 500, 'Internal Server Error'];
      else if (replica && this.rng.chance(replica.rate)) [failed, status, message] = [true, 500, 'NullPointerException in request handler'];
      else if (storm && this.rng.chance(storm.rate)) [failed, status, message] = [true, 503, 'Service Unavailable: too many requests in flight'];
      else if (this.rng.chance(BACKGROUND_ERROR_RATE)) [failed, status, message] = [true, 500, 'Internal Server Error'];
    }
    const durationMs = cursor - at + own * 0.6;
    const isConsumer = kind === SPAN_KIND.consumer;
    this.out.spans.push({
      traceId,
      spanId,
      parentSpanId,
      service: s.name,
      instance,
      name: s.operation,
      kind,
      startMs: at,
      durationMs,
      error: failed ? message : null,
      attributes: isConsumer ? extra : { 'http.request.method': s.operation.split(' ')[0]!, 'http.route': s.operation.split(' ')[1] ?? '/', 'http.response.status_code': status, ...extra },
      links,
    });
    return { durationMs, failed, message, status };
  }

  /** Each instance of the caller keeps its own breaker, as in-process breakers do. */
  private breakerOf(instance: string, c: SimCall): Breaker | null {
    if (!c.breaker) return null;
    const key = `${instance}\u0000${c.to}`;
    let b = this.breakers.get(key);
    if (!b) this.breakers.set(key, (b = { state: 'closed', openedAt: 0, window: [] }));
    return b;
  }

  private transition(caller: string, instance: string, c: SimCall, b: Breaker, to: Breaker['state'], at: number, reason: string): void {
    const failures = b.window.filter((w) => w.failed).length;
    this.out.breakers.push({
      service: caller,
      instance,
      breaker: `${caller}->${c.to}`,
      dependency: c.to,
      from: b.state,
      to,
      at: Math.round(at),
      failureRate: b.window.length === 0 ? 0 : Math.round((100 * failures) / b.window.length),
      reason,
    });
    b.state = to;
    if (to === 'open') b.openedAt = at;
    if (to === 'closed') b.window = [];
  }

  /** Lets a call through the caller's breaker (false: short-circuited), moving it to half-open when due. */
  private admit(caller: string, instance: string, c: SimCall, b: Breaker | null, at: number): boolean {
    if (!b || b.state === 'closed') return true;
    if (b.state === 'open' && at >= b.openedAt + 10_000) {
      this.transition(caller, instance, c, b, 'half_open', at, 'reset timeout elapsed');
      return true;
    }
    return false;
  }

  private record(caller: string, instance: string, c: SimCall, b: Breaker | null, at: number, failed: boolean, message: string | null): void {
    if (!b) return;
    if (b.state === 'half_open') {
      this.transition(caller, instance, c, b, failed ? 'open' : 'closed', at, failed ? `trial call failed: ${message ?? 'error'}` : 'trial call succeeded');
      return;
    }
    b.window.push({ at, failed });
    while (b.window.length > 0 && b.window[0]!.at < at - 10_000) b.window.shift();
    const failures = b.window.filter((w) => w.failed).length;
    if (b.window.length >= 5 && failures / b.window.length >= 0.5) this.transition(caller, instance, c, b, 'open', at, `failure rate ${Math.round((100 * failures) / b.window.length)}% over ${b.window.length} calls: ${message ?? 'error'}`);
  }

  /** One outbound call of `caller` (with its retries): CLIENT span(s) and the callee's work. */
  private call(caller: SimService, instance: string, c: SimCall, at: number, traceId: string, parentSpanId: string): CallOutcome {
    if (c.kind === 'queue') return this.publish(caller, instance, c, at, traceId, parentSpanId);
    const b = this.breakerOf(instance, c);
    if (!this.admit(caller.name, instance, c, b, at)) return { durationMs: 0.2, failed: true, message: 'Breaker is open', status: 503 };
    const storm = c.kind === 'service' && this.active(at, (f) => f.type === 'retry_storm' && f.service === caller.name && f.target === c.to);
    const attempts = storm ? STORM_ATTEMPTS : 2;
    let start = at;
    let outcome: CallOutcome = { durationMs: 0, failed: true, message: null, status: 0 };
    for (let attempt = 0; attempt < attempts; attempt++) {
      outcome = this.attempt(caller, instance, c, start, traceId, parentSpanId, attempt);
      start += outcome.durationMs;
      // A sane client retries once, and only what never reached the server; a storm retries everything at once.
      const retryable = storm ? outcome.failed : outcome.failed && outcome.status === 0 && /ECONNREFUSED/.test(outcome.message ?? '');
      if (!retryable) break;
    }
    this.record(caller.name, instance, c, b, start, outcome.failed, outcome.message);
    return { ...outcome, durationMs: start - at };
  }

  private attempt(caller: SimService, instance: string, c: SimCall, at: number, traceId: string, parentSpanId: string, attempt: number): CallOutcome {
    const spanId = this.newSpanId();
    let durationMs: number;
    let failed = false;
    let message: string | null = null;
    let status = 0;
    let attributes: Record<string, string | number>;
    let name: string;
    if (c.kind === 'service') {
      name = `${serviceOf(this.topology, caller.name).operation.split(' ')[0]} ${c.to}`;
      attributes = { 'peer.service': c.to, 'server.address': c.to, 'http.request.method': 'GET' };
      if (this.active(at, (f) => f.type === 'crash' && f.service === c.to)) {
        [durationMs, failed, message] = [this.rng.lognormal(2, 0.2), true, `connect ECONNREFUSED ${c.to}:8080`];
      } else if (this.active(at, (f) => f.type === 'partition' && f.service === caller.name && f.target === c.to)) {
        [durationMs, failed, message] = [c.timeoutMs, true, `connect ETIMEDOUT ${c.to}:8080`];
      } else {
        const callee = this.serve(serviceOf(this.topology, c.to), at + 1, traceId, spanId, SPAN_KIND.server, []);
        status = callee.status;
        if (callee.durationMs + 2 > c.timeoutMs) [durationMs, failed, message, status] = [c.timeoutMs, true, `request to ${c.to} timed out after ${c.timeoutMs} ms`, 0];
        else [durationMs, failed, message] = [callee.durationMs + 2, callee.failed, callee.failed ? `HTTP ${callee.status}` : null];
        if (status !== 0) attributes['http.response.status_code'] = status;
      }
    } else {
      const leaf = leafOf(this.topology, c.to);
      name = leaf.kind === 'external' ? `POST ${leaf.id}` : `${leaf.attributes['db.operation.name']} ${leaf.attributes['db.namespace'] ?? leaf.id}`;
      attributes = { ...leaf.attributes };
      durationMs = this.rng.lognormal(leaf.medianMs, 0.4);
      const slow = this.active(at, (f) => f.type === 'db_slow' && f.target === c.to);
      const outage = this.active(at, (f) => f.type === 'external_outage' && f.target === c.to);
      if (slow) {
        durationMs += this.rng.lognormal(slow.extraMs, 0.3);
        if (this.rng.chance(slow.rate)) [failed, message] = [true, 'timeout exceeded when trying to connect'];
      }
      if (outage) [durationMs, failed, message] = [c.timeoutMs, true, `connect ETIMEDOUT ${leaf.id}:443`];
      if (durationMs > c.timeoutMs) [durationMs, failed, message] = [c.timeoutMs, true, `${leaf.kind === 'external' ? 'request' : 'query'} timed out after ${c.timeoutMs} ms`];
      if (leaf.kind === 'external' && !failed) attributes['http.response.status_code'] = 200;
      else if (!failed && this.rng.chance(BACKGROUND_ERROR_RATE)) [failed, message] = [true, 'connection reset by peer'];
    }
    if (attempt > 0) attributes['http.request.resend_count'] = attempt;
    this.out.spans.push({ traceId, spanId, parentSpanId, service: caller.name, instance, name, kind: SPAN_KIND.client, startMs: at, durationMs, error: failed ? message : null, attributes, links: [] });
    return { durationMs, failed, message, status };
  }

  private publish(caller: SimService, instance: string, c: SimCall, at: number, traceId: string, parentSpanId: string): CallOutcome {
    const spanId = this.newSpanId();
    const durationMs = this.rng.lognormal(2, 0.3);
    this.out.spans.push({
      traceId,
      spanId,
      parentSpanId,
      service: caller.name,
      instance,
      name: `publish ${c.to}`,
      kind: SPAN_KIND.producer,
      startMs: at,
      durationMs,
      error: null,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': c.to, 'messaging.operation.type': 'send' },
      links: [],
    });
    for (const consumer of this.topology.services.filter((s) => s.consumes === c.to)) {
      const key = consumer.name;
      this.backlog.set(key, [...(this.backlog.get(key) ?? []), { traceId, spanId, publishedAt: at + durationMs }]);
    }
    return { durationMs, failed: false, message: null, status: 200 };
  }

  /**
   * Consumers take messages in order as they are free. A stalled consumer takes seconds per
   * message (stuck on a lock), so its backlog and the publish→process lag grow until it recovers.
   */
  private drainQueues(until: number): void {
    for (const [name, messages] of this.backlog) {
      const consumer = serviceOf(this.topology, name);
      let freeAt = this.consumerFreeAt.get(name) ?? 0;
      while (messages.length > 0) {
        const m = messages[0]!;
        const startAt = Math.max(m.publishedAt + this.rng.lognormal(30, 0.5), freeAt);
        if (startAt >= until) break;
        messages.shift();
        const stalled = this.active(startAt, (f) => f.type === 'queue_stall' && f.service === name);
        const outcome = this.serve(consumer, startAt, this.newTraceId(), null, SPAN_KIND.consumer, [{ traceId: m.traceId, spanId: m.spanId }], {
          'messaging.system': 'kafka',
          'messaging.destination.name': consumer.consumes!,
          'messaging.operation.type': 'process',
          'messaging.message.publish_lag_ms': Math.round(startAt - m.publishedAt),
        });
        freeAt = startAt + (stalled ? 4_000 : outcome.durationMs);
      }
      this.consumerFreeAt.set(name, freeAt);
    }
  }

  /** Health pushed by each service every 10 s: liveness, and a dependency check per database. */
  private probe(at: number): void {
    for (const s of this.topology.services) {
      const crashed = this.active(at, (f) => f.type === 'crash' && f.service === s.name);
      this.out.probes.push({
        service: s.name,
        target: `http://${s.name}:8080/healthz`,
        kind: 'liveness',
        status: crashed ? 'fail' : 'pass',
        latencyMs: crashed ? 1 : Math.round(this.rng.lognormal(3, 0.3)),
        checkedAt: Math.round(at),
        ...(crashed ? { message: `connect ECONNREFUSED ${s.name}:8080` } : {}),
      });
      if (crashed) continue;
      for (const c of s.calls.filter((x) => x.kind === 'database')) {
        const slow = this.active(at, (f) => f.type === 'db_slow' && f.target === c.to);
        this.out.probes.push({
          service: s.name,
          target: `${s.name}:${c.to}`,
          kind: 'dependency',
          dependency: c.to,
          status: slow ? 'fail' : 'pass',
          latencyMs: slow ? c.timeoutMs : Math.round(this.rng.lognormal(2, 0.3)),
          checkedAt: Math.round(at) + 1,
          ...(slow ? { message: 'connection pool exhausted: 10 of 10 in use, 37 waiting' } : {}),
        });
      }
    }
  }
}
