// One fleet process: an HTTP service with its role's handlers, a health+json /health, the chaos
// switchboard on /__chaos, outbound calls through cockatiel (or opossum) policies and, for the
// queue, producer/consumer spans linked across the broker.
import { createRequire } from 'node:module';
import type http from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Link } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import CircuitBreaker from 'opossum';
import { attachOpossum } from '@/lib/sdk/opossum';
import { createBreakerReporter, type BreakerReporter } from '@/lib/sdk/breaker-reporter';
import type { ServiceProcessConfig } from '../topology';
import { applyPatch, ChaosPatch, describeState, healthyState, type ChaosState } from './chaos-state';
import { describeCallError, Outbound } from './outbound';
import { Cache, Database } from './stores';
import { startTelemetry } from './telemetry';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Handler = (req: http.IncomingMessage, body: unknown) => Promise<{ status: number; body: unknown }>;

interface RoleContext {
  config: ServiceProcessConfig;
  chaos: ChaosState;
  outbound: Outbound;
  reporter: BreakerReporter | null;
  http: typeof http;
  /** Extra checks this role adds to its health document. */
  checks: Array<() => Record<string, unknown[]>>;
  /** Background loops to stop on shutdown. */
  stoppers: Array<() => void>;
}

const ok = (body: unknown = { ok: true }) => ({ status: 200, body });

/** Recent answers, for the service's own health check (the share of 5xx in the last 30 s). */
class RecentOutcomes {
  private readonly buckets = new Map<number, { total: number; errors: number }>();
  record(status: number): void {
    const second = Math.floor(Date.now() / 1000);
    const b = this.buckets.get(second) ?? { total: 0, errors: 0 };
    b.total++;
    if (status >= 500) b.errors++;
    this.buckets.set(second, b);
    for (const key of this.buckets.keys()) if (key < second - 30) this.buckets.delete(key);
  }
  errorRate(): { rate: number; total: number } {
    let total = 0;
    let errors = 0;
    for (const b of this.buckets.values()) {
      total += b.total;
      errors += b.errors;
    }
    return { rate: total === 0 ? 0 : errors / total, total };
  }
}

// ——— Roles ———

function frontend(ctx: RoleContext): Record<string, Handler> {
  return {
    'GET /': async () => ok((await ctx.outbound.call('api-gateway', 'GET', '/api/cart?user=1')).body),
    'POST /checkout': async (_req, body) => {
      const res = await ctx.outbound.call('api-gateway', 'POST', '/api/checkout', body);
      return { status: res.status, body: res.body };
    },
  };
}

function gateway(ctx: RoleContext): Record<string, Handler> {
  return {
    'GET /api/cart': async (req) => {
      // Browsing shows a stale cart rather than an error page when the cart service is down.
      try {
        return ok((await ctx.outbound.call('cart', 'GET', `/cart${new URL(req.url ?? '/', 'http://x').search}`)).body);
      } catch (err) {
        trace.getActiveSpan()?.addEvent('fallback', { reason: describeCallError(err) });
        return ok({ items: [], stale: true });
      }
    },
    'POST /api/checkout': async (_req, body) => {
      const res = await ctx.outbound.call('checkout', 'POST', '/checkout', body);
      return { status: res.status, body: res.body };
    },
  };
}

function checkout(ctx: RoleContext): Record<string, Handler> {
  const tracer = trace.getTracer('fleet-checkout');
  let orderSeq = 0;
  return {
    'POST /checkout': async (_req, body) => {
      const user = (body as { user?: number } | null)?.user ?? 1;
      const cart = (await ctx.outbound.call('cart', 'GET', `/cart?user=${user}`)).body as { items?: unknown[] };
      await ctx.outbound.call('inventory', 'POST', '/reserve', { items: cart.items ?? [] });
      const payment = (await ctx.outbound.call('payment', 'POST', '/charge', { user, amount: 42 })).body as { status?: string };
      const orderId = `${ctx.config.instance}-${++orderSeq}`;
      await publish(ctx, tracer, 'orders', { orderId, user, payment: payment.status });
      return ok({ orderId, payment: payment.status });
    },
  };
}

function cart(): Record<string, Handler> {
  const cache = new Cache();
  return {
    'GET /cart': async (req) => {
      const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? '1';
      const cached = await cache.get(`cart:${user}`);
      if (cached) return ok(cached);
      const fresh = { user, items: [{ sku: 'sku-1', qty: 1 }, { sku: 'sku-2', qty: 2 }] };
      await cache.set(`cart:${user}`, fresh);
      return ok(fresh);
    },
  };
}

function payment(ctx: RoleContext): Record<string, Handler> {
  // Payment guards the external bank with opossum (the other services use cockatiel), and falls
  // back to deferring the capture: checkout stays up, degraded, while the bank is down.
  const authorize = async (body: unknown) => (await ctx.outbound.call('bank-adapter', 'POST', '/authorize', body)).body;
  const breaker = new CircuitBreaker(authorize, {
    name: 'payment->bank-adapter',
    timeout: 4_000,
    errorThresholdPercentage: 50,
    resetTimeout: 5_000,
    rollingCountTimeout: 10_000,
    volumeThreshold: 5,
  });
  breaker.fallback(() => ({ status: 'deferred' }));
  if (ctx.reporter) attachOpossum(breaker, { reporter: ctx.reporter, dependency: 'bank-adapter' });
  ctx.stoppers.push(() => breaker.shutdown());
  ctx.checks.push(() => ({
    'bank-adapter:circuit': [{ status: breaker.opened ? 'warn' : 'pass', observedValue: breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed', componentType: 'component' }],
  }));
  return {
    'POST /charge': async (_req, body) => {
      const result = (await breaker.fire(body)) as { status?: string; approved?: boolean };
      if (result.status === 'deferred') trace.getActiveSpan()?.addEvent('fallback', { reason: 'bank unavailable: capture deferred' });
      return ok({ status: result.status ?? (result.approved ? 'captured' : 'declined') });
    },
  };
}

function inventory(ctx: RoleContext): Record<string, Handler> {
  const db = new Database('inventory', ctx.chaos);
  ctx.checks.push(() => {
    const usage = db.usage;
    return {
      'postgres:connections': [
        { status: usage.queued > 0 ? 'warn' : 'pass', observedValue: usage.active, observedUnit: 'connections', output: `${usage.active}/${usage.size} in use, ${usage.queued} waiting` },
      ],
    };
  });
  return {
    'POST /reserve': async () => {
      await db.query('SELECT', 'stock');
      await db.query('UPDATE', 'stock');
      return ok({ reserved: true });
    },
  };
}

function consumer(ctx: RoleContext): Record<string, Handler> {
  const tracer = trace.getTracer(`fleet-${ctx.config.service}`);
  let consumed = 0;
  let lastLagMs = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      if (ctx.chaos.stalled) {
        await sleep(250);
        continue;
      }
      let messages: QueueMessage[] = [];
      try {
        // Polling is plumbing, not work: untraced, like a Kafka client's fetch loop.
        messages = await context.with(suppressTracing(context.active()), async () => {
          const res = await ctx.outbound.call('order-queue', 'GET', `/poll?group=${ctx.config.service}&max=20`);
          return (res.body as { messages?: QueueMessage[] }).messages ?? [];
        });
      } catch {
        await sleep(1000);
        continue;
      }
      for (const message of messages) {
        lastLagMs = Date.now() - message.publishedAt;
        await consume(tracer, ctx.config.service, message, lastLagMs);
        consumed++;
      }
      if (messages.length === 0) await sleep(200);
    }
  };
  void loop();
  ctx.stoppers.push(() => (stopped = true));
  ctx.checks.push(() => ({
    'orders:consumer': [
      { status: ctx.chaos.stalled ? 'warn' : 'pass', observedValue: consumed, observedUnit: 'messages', output: ctx.chaos.stalled ? 'consumer stalled' : `last lag ${lastLagMs} ms` },
    ],
  }));
  return {};
}

// ——— Messaging ———

interface QueueMessage {
  id: string;
  topic: string;
  publishedAt: number;
  headers: Record<string, string>;
  payload: unknown;
}

const MESSAGING_SYSTEM = 'fleet-queue';

async function publish(ctx: RoleContext, tracer: ReturnType<typeof trace.getTracer>, topic: string, payload: { orderId: string } & Record<string, unknown>): Promise<void> {
  await tracer.startActiveSpan(
    `publish ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': MESSAGING_SYSTEM,
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.message.id': payload.orderId,
        'peer.service': 'order-queue',
        'server.address': 'order-queue',
      },
    },
    async (span) => {
      try {
        const headers: Record<string, string> = {};
        propagation.inject(context.active(), headers);
        // The broker call itself is the producer span's work; no separate HTTP client span.
        await context.with(suppressTracing(context.active()), () =>
          ctx.outbound.call('order-queue', 'POST', '/publish', { topic, id: payload.orderId, headers, payload }),
        );
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: describeCallError(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

async function consume(tracer: ReturnType<typeof trace.getTracer>, group: string, message: QueueMessage, lagMs: number): Promise<void> {
  const producer = trace.getSpanContext(propagation.extract(context.active(), message.headers));
  const links: Link[] = producer ? [{ context: producer, attributes: { 'messaging.operation.type': 'send' } }] : [];
  await tracer.startActiveSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      root: true,
      attributes: {
        'messaging.system': MESSAGING_SYSTEM,
        'messaging.destination.name': message.topic,
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.consumer.group.name': group,
        'messaging.message.id': message.id,
        // Publish→process lag as measured by the consumer (the broker's clock is the same host's).
        'messaging.message.publish_lag_ms': lagMs,
      },
    },
    async (span) => {
      await sleep(5 + Math.random() * 20);
      span.end();
    },
  );
}

function queueBroker(ctx: RoleContext): Record<string, Handler> {
  const log: QueueMessage[] = [];
  const offsets = new Map<string, number>();
  ctx.checks.push(() => ({
    'orders:backlog': [...offsets.entries()].map(([group, offset]) => ({
      componentId: group,
      status: log.length - offset > 100 ? 'warn' : 'pass',
      observedValue: log.length - offset,
      observedUnit: 'messages',
    })),
  }));
  return {
    'POST /publish': async (_req, body) => {
      const m = body as { topic: string; id: string; headers: Record<string, string>; payload: unknown };
      log.push({ id: m.id, topic: m.topic, headers: m.headers, payload: m.payload, publishedAt: Date.now() });
      return ok({ offset: log.length - 1 });
    },
    'GET /poll': async (req) => {
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      const group = params.get('group') ?? 'default';
      const max = Number(params.get('max') ?? 10);
      // A new group starts at the head, as a consumer joining with auto.offset.reset=latest does.
      const offset = offsets.get(group) ?? log.length;
      const messages = log.slice(offset, offset + max);
      offsets.set(group, offset + messages.length);
      return ok({ messages });
    },
  };
}

function bank(): Record<string, Handler> {
  return {
    'POST /authorize': async () => {
      await sleep(20 + Math.random() * 40);
      return ok({ approved: Math.random() > 0.02 });
    },
  };
}

const ROLES: Record<ServiceProcessConfig['role'], (ctx: RoleContext) => Record<string, Handler>> = {
  frontend,
  gateway,
  checkout,
  cart,
  payment,
  inventory,
  consumer,
  queue: queueBroker,
  bank,
};

// ——— The process ———

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body));
}

export interface RunningService {
  port: number;
  stop(): Promise<void>;
}

export async function runService(config: ServiceProcessConfig, external: boolean): Promise<RunningService> {
  const telemetry = external ? null : startTelemetry(config.service, config.instance);
  const httpModule = telemetry?.http ?? (createRequire(import.meta.url)('node:http') as typeof http);
  const chaos = healthyState();
  const reporter =
    !external && config.faultline
      ? createBreakerReporter({ endpoint: config.faultline.endpoint, apiKey: config.faultline.apiKey, service: config.service, instance: config.instance, flushIntervalMs: 500 })
      : null;
  const ctx: RoleContext = {
    config,
    chaos,
    reporter,
    http: httpModule,
    outbound: new Outbound(httpModule, config.service, config.peers, chaos, reporter, { checkout: { timeoutMs: 4_000, attempts: 2 }, 'api-gateway': { timeoutMs: 5_000, attempts: 1 } }),
    checks: [],
    stoppers: [],
  };
  const handlers = ROLES[config.role](ctx);
  const outcomes = new RecentOutcomes();
  const started = Date.now();

  const server = httpModule.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    void (async () => {
      if (path === '/health') {
        const { rate, total } = outcomes.errorRate();
        const checks: Record<string, unknown[]> = {
          'http:errorRate': [{ componentType: 'system', status: rate > 0.5 ? 'fail' : rate > 0.1 ? 'warn' : 'pass', observedValue: Math.round(rate * 1000) / 10, observedUnit: '%', output: `${total} requests in the last 30 s` }],
          uptime: [{ componentType: 'system', status: 'pass', observedValue: Math.round((Date.now() - started) / 1000), observedUnit: 's' }],
        };
        for (const extra of ctx.checks) Object.assign(checks, extra());
        const statuses = Object.values(checks).flat().map((c) => (c as { status: string }).status);
        const status = chaos.down ? 'fail' : statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'pass';
        return send(res, status === 'fail' ? 503 : 200, { status, serviceId: config.instance, description: `${config.service} (${config.role})`, checks }, 'application/health+json');
      }
      if (path === '/__chaos') {
        if (req.headers.authorization !== `Bearer ${config.controlToken}`) return send(res, 401, { error: 'control token required' });
        if (req.method === 'POST') {
          const patch = ChaosPatch.safeParse(await readBody(req));
          if (!patch.success) return send(res, 400, { error: patch.error.message });
          applyPatch(chaos, patch.data);
        }
        return send(res, 200, describeState(chaos));
      }
      const handler = handlers[`${req.method} ${path}`];
      if (!handler) return send(res, 404, { error: `no route ${req.method} ${path}` });
      const body = await readBody(req);
      if (chaos.down) {
        outcomes.record(503);
        return send(res, 503, { error: `${config.service} is unavailable` });
      }
      if (chaos.latencyMs > 0) await sleep(chaos.latencyMs * (0.8 + Math.random() * 0.4));
      if (chaos.errorRate > 0 && Math.random() < chaos.errorRate) {
        outcomes.record(500);
        trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: 'injected failure' });
        return send(res, 500, { error: 'internal error' });
      }
      try {
        const result = await handler(req, body);
        outcomes.record(result.status);
        send(res, result.status, result.body);
      } catch (err) {
        // A dependency failed: the service fails its own request with 502, naming the cause.
        const message = describeCallError(err);
        const span = trace.getActiveSpan();
        span?.recordException(err as Error);
        span?.setStatus({ code: SpanStatusCode.ERROR, message });
        outcomes.record(502);
        send(res, 502, { error: message });
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(err) });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));

  return {
    port: config.port,
    stop: async () => {
      for (const stop of ctx.stoppers) stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await reporter?.close();
      await telemetry?.shutdown();
    },
  };
}

