// Webhook delivery against a real loopback receiver that fails, hangs and recovers: retries with
// backoff until delivered, dead letters after the last attempt, manual retry, a breaker that
// stops hammering a dead receiver, and a healthy destination served while another one hangs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAlertRow, type AlertRow } from '@/lib/db/alerts';
import { prisma } from '@/lib/db/client';
import { insertWebhookRow, listNotificationRows, type WebhookRow } from '@/lib/db/notifications';
import { retryNotification } from './destinations';
import { signatureOf } from './deliver';
import { enqueueAlertEvent } from './outbox';
import { NotificationSender, retryDelayMs } from './sender';

type Behaviour = 'ok' | 'fail' | 'hang';
interface Received {
  path: string;
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
}

const received: Received[] = [];
/** Per path, what the next requests get (the last entry repeats). */
const script = new Map<string, Behaviour[]>();
let server: Server;
let base: string;
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', at: Date.now(), headers: req.headers, body });
      const plan = script.get(req.url ?? '') ?? ['ok'];
      const behaviour = plan.length > 1 ? plan.shift()! : plan[0]!;
      if (behaviour === 'hang') return void hanging.push(res);
      res.writeHead(behaviour === 'ok' ? 204 : 500).end(behaviour === 'ok' ? undefined : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

let alertCount = 0;
async function firingAlert(): Promise<AlertRow> {
  const n = ++alertCount;
  const now = new Date();
  return insertAlertRow({
    fingerprint: `error_rate|service:svc-${n}`,
    openFingerprint: `error_rate|service:svc-${n}`,
    rule: 'error_rate',
    entityType: 'service',
    service: `svc-${n}`,
    severity: 'critical',
    severityRank: 0,
    summary: `svc-${n}: 50% of 100 requests failed`,
    observed: 0.5,
    threshold: 0.05,
    peakObserved: 0.5,
    windowMs: 60_000,
    startedAt: now,
    lastSeenAt: now,
  });
}

async function destination(name: string, path: string, extra: Partial<Parameters<typeof insertWebhookRow>[0]> = {}): Promise<WebhookRow> {
  return insertWebhookRow({ name, url: `${base}${path}`, format: 'json', events: ['fired', 'acknowledged', 'resolved'], minSeverity: 'info', enabled: true, timeoutMs: 300, ...extra });
}

async function enqueue(destinations: WebhookRow[], alert: AlertRow): Promise<void> {
  await prisma().$transaction((tx) => enqueueAlertEvent(tx, { destinations, silences: [], baseUrl: 'http://faultline.test' }, 'fired', alert, 'detector'));
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rowsOf = async (destinationId: string) => listNotificationRows({ destinationId, limit: 100 });
const fast = { initialBackoffMs: 50, maxBackoffMs: 200, pollMs: 50 };

describe('notification sender', () => {
  it('retries a failing then hanging receiver until it recovers, signed, without delaying a healthy one', async () => {
    script.set('/flaky', ['fail', 'fail', 'hang', 'ok']);
    const flaky = await destination('flaky', '/flaky', { signingSecret: 'shh' });
    const healthy = await destination('healthy', '/healthy');
    const alert = await firingAlert();
    await enqueue([flaky, healthy], alert);
    const sender = new NotificationSender({ maxAttempts: 6, breakerFailures: 10, ...fast });
    const started = Date.now();
    sender.start();
    try {
      const healthyRows = await waitFor(() => rowsOf(healthy.id), (r) => r[0]?.status === 'delivered');
      expect(healthyRows[0]).toMatchObject({ status: 'delivered', attempts: 1 });
      // Delivered while the flaky receiver is still failing and hanging.
      expect(received.find((r) => r.path === '/healthy')!.at - started).toBeLessThan(1_000);

      const flakyRows = await waitFor(() => rowsOf(flaky.id), (r) => r[0]?.status === 'delivered');
      expect(flakyRows[0]).toMatchObject({ status: 'delivered', attempts: 4, lastError: null });
      const attempts = received.filter((r) => r.path === '/flaky');
      expect(attempts).toHaveLength(4);
      const last = attempts.at(-1)!;
      expect(last.headers['x-faultline-signature']).toBe(signatureOf('shh', String(last.headers['x-faultline-timestamp']), last.body));
      expect(JSON.parse(last.body)).toMatchObject({ event: 'fired', alert: { id: alert.id, severity: 'critical', url: `http://faultline.test/alerts/${alert.id}` } });
      // Backoff: attempts spread out rather than hammering.
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(25);
    } finally {
      await sender.stop();
    }
  });

  it('dead-letters after the last attempt with the error kept, and sends again when retried by hand', async () => {
    script.set('/dead', ['fail']);
    const dead = await destination('dead', '/dead');
    await enqueue([dead], await firingAlert());
    const sender = new NotificationSender({ maxAttempts: 3, breakerFailures: 10, ...fast });
    sender.start();
    try {
      const [row] = await waitFor(() => rowsOf(dead.id), (r) => r[0]?.status === 'dead');
      expect(row).toMatchObject({ status: 'dead', attempts: 3, lastError: 'attempt 3: HTTP 500: receiver is down' });

      script.set('/dead', ['ok']);
      const requeued = await retryNotification({ actor: { kind: 'system', name: 'test' }, id: row!.id.toString() });
      expect(requeued).toMatchObject({ status: 'pending' });
      const [after] = await waitFor(() => rowsOf(dead.id), (r) => r[0]?.status === 'delivered');
      expect(after).toMatchObject({ status: 'delivered', attempts: 4 });
      await expect(retryNotification({ actor: { kind: 'system', name: 'test' }, id: row!.id.toString() })).rejects.toThrow(/not dead-lettered/);
    } finally {
      await sender.stop();
    }
  });

  it('stops calling a receiver whose breaker opened, and survives a restart of the sender', async () => {
    script.set('/down', ['fail']);
    const down = await destination('down', '/down');
    for (let i = 0; i < 4; i++) await enqueue([down], await firingAlert());
    const first = new NotificationSender({ maxAttempts: 10, breakerFailures: 2, breakerOpenMs: 60_000, ...fast });
    first.start();
    await waitFor(() => rowsOf(down.id), (r) => r.filter((n) => n.lastError?.includes('circuit open')).length === 4, 5_000);
    await first.stop();
    const rows = await rowsOf(down.id);
    const calls = received.filter((r) => r.path === '/down').length;
    // Two failures opened the breaker; since then every notification was handed back without a
    // call and without spending one of its attempts.
    expect(calls).toBe(2);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(2);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);

    // A new process (new sender, new breakers) delivers what is due once the receiver is back.
    script.set('/down', ['ok']);
    await prisma().notification.updateMany({ where: { destinationId: down.id }, data: { nextAttemptAt: new Date() } });
    const second = new NotificationSender({ maxAttempts: 10, breakerFailures: 2, ...fast });
    second.start();
    try {
      const done = await waitFor(() => rowsOf(down.id), (r) => r.every((n) => n.status === 'delivered'));
      expect(done.map((n) => n.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    } finally {
      await second.stop();
    }
  });

  it('backs off exponentially with jitter, capped', () => {
    for (let i = 0; i < 50; i++) {
      const d1 = retryDelayMs(1, 1000, 60_000);
      const d4 = retryDelayMs(4, 1000, 60_000);
      expect(d1).toBeGreaterThanOrEqual(500);
      expect(d1).toBeLessThanOrEqual(1000);
      expect(d4).toBeGreaterThanOrEqual(4000);
      expect(d4).toBeLessThanOrEqual(8000);
      expect(retryDelayMs(30, 1000, 60_000)).toBeLessThanOrEqual(60_000);
    }
  });

  it('delivers each notification once and in order when several senders (replicas) drain one outbox', async () => {
    const shared = await destination('shared', '/shared');
    const alerts: AlertRow[] = [];
    for (let i = 0; i < 30; i++) alerts.push(await firingAlert());
    for (const alert of alerts) await enqueue([shared], alert);
    const senders = [1, 2, 3].map(() => new NotificationSender({ maxAttempts: 3, batch: 4, ...fast }));
    for (const sender of senders) sender.start();
    try {
      const rows = await waitFor(() => rowsOf(shared.id), (r) => r.length === 30 && r.every((n) => n.status === 'delivered'));
      expect(rows.every((n) => n.status === 'delivered' && n.attempts === 1)).toBe(true);
      const deliveries = received.filter((r) => r.path === '/shared').map((r) => String(r.headers['x-faultline-delivery']));
      expect(deliveries).toHaveLength(30);
      expect(new Set(deliveries).size).toBe(30);
      // Oldest first across all senders: delivery ids (outbox row ids) arrive ascending.
      expect(deliveries.map(Number)).toEqual([...deliveries.map(Number)].sort((a, b) => a - b));
    } finally {
      await Promise.all(senders.map((s) => s.stop()));
    }
  });
});
