// The reporter against a real HTTP server standing in for Faultline: what it sends, when, and what
// it does when that server is down, slow, or refuses.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BreakerReportError, createBreakerReporter, type BreakerReporter, type BreakerReporterOptions, type BreakerTransition } from './breaker-reporter';

type WireEvent = Record<string, unknown>;
interface Received {
  headers: IncomingHttpHeaders;
  body: { service: string; instance: string; events: WireEvent[] };
  at: number;
}
type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang';

/** A stand-in for Faultline: records every request and answers as `answer` says (200 by default). */
async function startFaultline(answer: (request: number, body: Received['body']) => Answer = () => ({ status: 200 }), port = 0) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
      received.push({ headers: req.headers, body, at: Date.now() });
      const a = answer(received.length, body);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body ?? { accepted: body.events.length, duplicates: 0, ignored: 0 }));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    port: (server.address() as AddressInfo).port,
    received,
    events: () => received.flatMap((r) => r.body.events),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
type Faultline = Awaited<ReturnType<typeof startFaultline>>;

const servers: Faultline[] = [];
const reporters: BreakerReporter[] = [];
afterEach(async () => {
  await Promise.all(reporters.splice(0).map((r) => r.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function faultline(...args: Parameters<typeof startFaultline>): Promise<Faultline> {
  const server = await startFaultline(...args);
  servers.push(server);
  return server;
}

/** A port nothing listens on: what a reporter sees while Faultline is down. */
async function closedPort(): Promise<number> {
  const server = await startFaultline();
  await server.close();
  return server.port;
}

function reporter(endpoint: string, options: Partial<BreakerReporterOptions> = {}): BreakerReporter {
  const r = createBreakerReporter({
    endpoint,
    apiKey: 'flk_test',
    service: 'checkout',
    flushIntervalMs: 60_000,
    closeTimeoutMs: 500,
    retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
  reporters.push(r);
  return r;
}

const opened = (n: number): BreakerTransition => ({ breaker: 'payments-http', dependency: 'payments', from: 'closed', to: 'open', reason: `r${n}` });

describe('sending', () => {
  it('sends transitions in batches, with the service, instance and API key', async () => {
    const server = await faultline();
    const r = reporter(server.url, { batchSize: 3 });
    r.report({ breaker: 'payments-http', dependency: 'payments', from: 'closed', to: 'open', failureRate: 75, reason: 'ECONNREFUSED' });
    for (let i = 1; i < 7; i++) r.report(opened(i));
    await r.flush();

    expect(server.received.map((req) => req.body.events.length)).toEqual([3, 3, 1]);
    const first = server.received[0]!;
    expect(first.headers.authorization).toBe('Bearer flk_test');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.body).toMatchObject({ service: 'checkout', instance: `${hostname()}:${process.pid}` });
    expect(first.body.events[0]).toEqual({
      breaker: 'payments-http',
      dependency: 'payments',
      from: 'closed',
      to: 'open',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      failureRate: 75,
      reason: 'ECONNREFUSED',
    });
    expect(server.events().map((e) => e.reason)).toEqual(['ECONNREFUSED', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(r.stats).toEqual({ sent: 7, dropped: 0, failedBatches: 0, buffered: 0 });
  });

  it('sends on its own once a batch is full, and on the flush interval otherwise', async () => {
    const server = await faultline();
    const full = reporter(server.url, { batchSize: 2 });
    full.report(opened(1));
    full.report(opened(2));
    await vi.waitFor(() => expect(server.events()).toHaveLength(2));

    const ticking = reporter(server.url, { flushIntervalMs: 30, instance: 'pod-7' });
    ticking.report({ breaker: 'inventory-grpc', to: 'half_open' });
    await vi.waitFor(() => expect(server.events()).toHaveLength(3));
    // No dependency given: the breaker's name stands in, as Faultline does for resilience4j.
    expect(server.received[1]!.body).toMatchObject({ instance: 'pod-7', events: [{ breaker: 'inventory-grpc', dependency: 'inventory-grpc', to: 'half_open' }] });
  });

  it("moves each breaker's clock forward, so a flap within a millisecond is not taken for a resend", async () => {
    const server = await faultline();
    const r = reporter(server.url);
    for (const to of ['forced_open', 'closed', 'forced_open', 'closed'] as const) r.report({ breaker: 'a', to });
    r.report({ breaker: 'b', to: 'open' });
    await r.flush();

    const times = (breaker: string) => server.events().filter((e) => e.breaker === breaker).map((e) => Date.parse(e.at as string));
    const a = times('a');
    expect(a).toHaveLength(4);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
    expect(times('b')[0]!).toBeLessThanOrEqual(a[3]!);
  });
});

describe('when Faultline is unreachable or busy', () => {
  it('keeps the newest maxBuffer transitions, counts the dropped ones, and delivers the rest once it is back', async () => {
    const port = await closedPort();
    const errors: BreakerReportError[] = [];
    const r = reporter(`http://127.0.0.1:${port}`, { maxBuffer: 5, retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 10 }, onError: (e) => errors.push(e) });
    for (let i = 0; i < 8; i++) r.report(opened(i));
    expect(r.stats).toEqual({ sent: 0, dropped: 3, failedBatches: 0, buffered: 5 });

    await r.flush();
    expect(r.stats).toEqual({ sent: 0, dropped: 3, failedBatches: 1, buffered: 5 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'unreachable', transitions: 5, status: null });
    expect(errors[0]!.message).toMatch(/ECONNREFUSED.*5 breaker transitions kept/);

    const server = await faultline(undefined, port);
    await r.flush();
    expect(server.events().map((e) => e.reason)).toEqual(['r3', 'r4', 'r5', 'r6', 'r7']);
    expect(r.stats).toEqual({ sent: 5, dropped: 3, failedBatches: 1, buffered: 0 });
  });

  it('drops the oldest of a failed batch when newer transitions filled the buffer meanwhile', async () => {
    // The first request is held open until the buffer has been refilled behind it.
    const held = await startFaultline(() => 'hang');
    const r = reporter(held.url, { maxBuffer: 4, batchSize: 2, requestTimeoutMs: 60_000, retry: { maxRetries: 0, initialDelayMs: 5, maxDelayMs: 10 } });
    for (let i = 0; i < 4; i++) r.report(opened(i));
    const flushed = r.flush();
    await vi.waitFor(() => expect(held.received).toHaveLength(1));
    expect(held.received[0]!.body.events.map((e) => e.reason)).toEqual(['r0', 'r1']);
    r.report(opened(4));
    r.report(opened(5));
    expect(r.stats).toEqual({ sent: 0, dropped: 0, failedBatches: 0, buffered: 6 });

    // Faultline goes away mid-request: the batch comes back to a full buffer, and being the
    // oldest, it is what gets dropped.
    await held.close();
    await flushed;
    expect(r.stats).toEqual({ sent: 0, dropped: 2, failedBatches: 1, buffered: 4 });

    const server = await faultline(undefined, held.port);
    await r.flush();
    expect(server.events().map((e) => e.reason)).toEqual(['r2', 'r3', 'r4', 'r5']);
  });

  it('retries with backoff until Faultline takes the batch', async () => {
    const server = await faultline((n) => (n <= 2 ? { status: 503, body: { error: { code: 'unavailable', message: 'Database unavailable' } } } : { status: 200 }));
    const errors: BreakerReportError[] = [];
    const r = reporter(server.url, { onError: (e) => errors.push(e) });
    r.report(opened(1));
    r.report(opened(2));
    await r.flush();

    expect(server.received).toHaveLength(3);
    // The same batch each time: Faultline stores a retried transition once.
    expect(new Set(server.received.map((req) => JSON.stringify(req.body))).size).toBe(1);
    expect(r.stats).toEqual({ sent: 2, dropped: 0, failedBatches: 0, buffered: 0 });
    expect(errors).toEqual([]);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const server = await faultline((n) => (n === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 }));
    const r = reporter(server.url, { retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 } });
    r.report(opened(1));
    await r.flush();

    expect(server.received).toHaveLength(2);
    expect(server.received[1]!.at - server.received[0]!.at).toBeGreaterThanOrEqual(950);
    expect(r.stats.sent).toBe(1);
  });

  it('gives up on a batch after maxRetries, keeps it and sends it at a later flush', async () => {
    let isDown = true;
    const server = await faultline(() => (isDown ? { status: 503 } : { status: 200 }));
    const errors: BreakerReportError[] = [];
    const r = reporter(server.url, { retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 10 }, onError: (e) => errors.push(e) });
    r.report(opened(1));
    r.report(opened(2));
    await r.flush();

    expect(server.received).toHaveLength(3);
    expect(r.stats).toEqual({ sent: 0, dropped: 0, failedBatches: 1, buffered: 2 });
    expect(errors).toMatchObject([{ kind: 'unreachable', status: 503, transitions: 2 }]);

    isDown = false;
    await r.flush();
    expect(server.received).toHaveLength(4);
    expect(r.stats).toEqual({ sent: 2, dropped: 0, failedBatches: 1, buffered: 0 });
  });
});

describe('when Faultline refuses', () => {
  it('drops a batch answered 400 without retrying, tells onError, and keeps sending the next ones', async () => {
    const server = await faultline((n) =>
      n === 1 ? { status: 400, body: { error: { code: 'bad_request', message: 'body.events.0.at: time is outside the accepted window' } } } : { status: 200 },
    );
    const errors: BreakerReportError[] = [];
    const r = reporter(server.url, { onError: (e) => errors.push(e) });
    r.report(opened(1));
    r.report(opened(2));
    await r.flush();

    expect(server.received).toHaveLength(1);
    expect(r.stats).toEqual({ sent: 0, dropped: 2, failedBatches: 1, buffered: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(BreakerReportError);
    expect(errors[0]).toMatchObject({ kind: 'refused', status: 400, transitions: 2 });
    expect(errors[0]!.message).toMatch(/HTTP 400: body\.events\.0\.at: time is outside the accepted window/);

    r.report(opened(3));
    await r.flush();
    expect(server.events().at(-1)).toMatchObject({ reason: 'r3' });
    expect(r.stats).toEqual({ sent: 1, dropped: 2, failedBatches: 1, buffered: 0 });
  });

  it.each([401, 403])('does not retry a %i (a wrong key stays wrong) and says so', async (status) => {
    const server = await faultline(() => ({ status, body: { error: { code: 'unauthorized', message: 'API key is unknown or revoked' } } }));
    const errors: BreakerReportError[] = [];
    const r = reporter(server.url, { onError: (e) => errors.push(e) });
    r.report(opened(1));
    await r.flush();

    expect(server.received).toHaveLength(1);
    expect(r.stats).toMatchObject({ sent: 0, dropped: 1, buffered: 0 });
    expect(errors).toMatchObject([{ kind: 'refused', status }]);
    expect(errors[0]!.message).toMatch(/API key is unknown or revoked/);
  });

  it('halves the batch when a body is refused as too large, and delivers everything in order', async () => {
    const server = await faultline((_, body) => (body.events.length > 2 ? { status: 413 } : { status: 200 }));
    const r = reporter(server.url, { batchSize: 5 });
    for (let i = 0; i < 5; i++) r.report(opened(i));
    await r.flush();

    expect(server.received.map((req) => req.body.events.length)).toEqual([5, 2, 2, 1]);
    expect(server.received.slice(1).flatMap((req) => req.body.events.map((e) => e.reason))).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(r.stats).toEqual({ sent: 5, dropped: 0, failedBatches: 0, buffered: 0 });
  });
});

describe('report()', () => {
  it('never throws, whatever it is given, and keeps bad transitions out of the batch', async () => {
    const server = await faultline();
    const errors: BreakerReportError[] = [];
    const r = reporter(server.url, {
      onError: (e) => {
        errors.push(e);
        throw new Error('a broken onError must not reach the host either');
      },
    });
    const garbage: unknown[] = [
      undefined,
      null,
      42,
      'open',
      {},
      { breaker: '', to: 'open' },
      { breaker: '   ', to: 'open' },
      { breaker: 'x', to: 'OPEN' },
      { breaker: 42, to: 'open' },
      { breaker: 'x', to: 'open', at: 'yesterday' },
      { breaker: 'x', to: 'open', at: 1_700_000_000 },
      { breaker: 'x', to: 'open', at: Date.now() + 3 * 86_400_000 },
      { breaker: 'x', to: 'open', at: new Date(Number.NaN) },
      { breaker: 'x', to: 'open', at: {} },
      new Proxy({}, { get: () => { throw new Error('hostile getter'); } }),
      Object.defineProperty({ to: 'open' }, 'breaker', { get: () => { throw new Error('hostile getter'); }, enumerable: true }),
    ];
    for (const g of garbage) expect(() => r.report(g as BreakerTransition)).not.toThrow();
    r.report({
      breaker: `  ${'b'.repeat(300)}  `,
      dependency: '   ',
      from: 'bogus' as never,
      to: 'forced_open',
      at: 1_700_000_000_000,
      failureRate: 250,
      slowCallRate: Number.NaN,
      reason: 'r'.repeat(5000),
      instance: 'other-pod',
    });
    r.report({ breaker: 'y', to: 'closed', at: '2026-11-23T10:00:00.000+01:00', failureRate: -3 });
    await r.flush();

    expect(errors).toHaveLength(garbage.length);
    expect(errors.every((e) => e.kind === 'invalid_transition')).toBe(true);
    expect(errors[10]!.message).toMatch(/epoch seconds/);
    expect(r.stats).toEqual({ sent: 2, dropped: garbage.length, failedBatches: 0, buffered: 0 });
    const [clamped, iso] = server.events();
    expect(clamped).toEqual({
      breaker: 'b'.repeat(256),
      dependency: 'b'.repeat(256),
      to: 'forced_open',
      at: new Date(1_700_000_000_000).toISOString(),
      failureRate: 100,
      reason: 'r'.repeat(4000),
      instance: 'other-pod',
    });
    expect(iso).toEqual({ breaker: 'y', dependency: 'y', to: 'closed', at: '2026-11-23T09:00:00.000Z', failureRate: 0 });
  });
});

describe('close()', () => {
  it('sends what is buffered, then drops later reports', async () => {
    const server = await faultline();
    const r = reporter(server.url);
    for (let i = 0; i < 3; i++) r.report(opened(i));
    await r.close();

    expect(server.events()).toHaveLength(3);
    r.report(opened(3));
    await r.close();
    expect(server.events()).toHaveLength(3);
    expect(r.stats).toEqual({ sent: 3, dropped: 1, failedBatches: 0, buffered: 0 });
  });

  it('returns by its deadline when Faultline does not answer', async () => {
    const server = await faultline(() => 'hang');
    const errors: BreakerReportError[] = [];
    const r = reporter(server.url, { closeTimeoutMs: 200, requestTimeoutMs: 30_000, onError: (e) => errors.push(e) });
    r.report(opened(1));
    const started = Date.now();
    await r.close();

    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(2000);
    expect(server.received).toHaveLength(1);
    expect(r.stats).toMatchObject({ sent: 0, buffered: 1 });
    expect(errors).toMatchObject([{ kind: 'unreachable', transitions: 1, message: expect.stringMatching(/Closed with 1 breaker transitions not delivered/) }]);
  });
});

describe('createBreakerReporter', () => {
  it('refuses, at start-up, options that could never work', () => {
    const base = { endpoint: 'http://localhost:3000', apiKey: 'flk_x', service: 'checkout' };
    expect(() => createBreakerReporter({ ...base, endpoint: 'localhost:3000' })).toThrow(TypeError);
    expect(() => createBreakerReporter({ ...base, endpoint: 'not a url' })).toThrow(/absolute URL/);
    expect(() => createBreakerReporter({ ...base, apiKey: '' })).toThrow(/apiKey/);
    expect(() => createBreakerReporter({ ...base, service: ' ' })).toThrow(/service/);
    expect(() => createBreakerReporter({ ...base, batchSize: 5000 })).toThrow(/batchSize must be an integer from 1 to 1000/);
    expect(() => createBreakerReporter({ ...base, maxBuffer: 0 })).toThrow(/maxBuffer/);
  });
});
