// Webhook destinations that are down (connection refused), hanging (accept, never answer) and
// flapping (500 / 204 in turn) while alerts fire: deliveries are retried with back-off,
// dead-lettered after the last attempt, delivered once the receiver answers, and detection is
// never held up by them (alerts fire as fast as with a healthy receiver).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosDatabase, type ChaosDatabase } from './chaos-database';
import { reportFigures } from './figures';
import { sleep } from './scenario';
import { OtlpLoad } from './otlp-load';
import { startReplica } from './replica';
import type { AppProcess } from '@/lib/bench/app';
import { WebhookReceiver } from './webhook-receiver';

const MAX_ATTEMPTS = 3;

let db: ChaosDatabase;
let app: AppProcess;
let sql: pg.Client;
const receivers = { down: new WebhookReceiver(), hanging: new WebhookReceiver(), flapping: new WebhookReceiver(), healthy: new WebhookReceiver() };

beforeAll(async () => {
  db = await startChaosDatabase('webhooks');
  for (const r of Object.values(receivers)) await r.start();
  await receivers.down.setMode('down');
  await receivers.hanging.setMode('hang');
  await receivers.flapping.setMode('flap');
  app = await startReplica({ label: 'webhooks', databaseUrl: db.url, env: {
      PROBER_ENABLED: 'false',
      NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      NOTIFY_RETRY_BASE_SECONDS: '1',
      NOTIFY_BREAKER_OPEN_SECONDS: '3',
      DETECTION_INTERVAL_SECONDS: '2',
    }, });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await app?.stop();
  for (const r of Object.values(receivers)) await r.close();
  await db?.stop();
});

async function createWebhook(name: string, url: string): Promise<string> {
  const response = await fetch(`${app.url}/api/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${db.adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, url, timeoutMs: 1_000, events: ['fired'] }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Fails half the requests of `service` until an error-rate alert for it fires; returns how long that took. */
async function timeToAlert(service: string): Promise<number> {
  const load = new OtlpLoad({ target: app.url, ingestKey: db.ingestKey, service, lanes: 2, spansPerExport: 50, exportsPerSecondPerLane: 4, errorEvery: 2 });
  const started = Date.now();
  load.start();
  try {
    while (Date.now() - started < 90_000) {
      const { rowCount } = await sql.query(`SELECT 1 FROM alerts WHERE service = $1`, [service]);
      if (rowCount) return Date.now() - started;
      await sleep(250);
    }
    throw new Error(`no alert for ${service} within 90 s`);
  } finally {
    await load.stop();
  }
}

describe('webhook destinations down, hanging and flapping', () => {
  it('retries, dead-letters and delivers without ever delaying detection', async () => {
    // Reference: detection time with only a healthy destination.
    const healthyId = await createWebhook('healthy', receivers.healthy.url);
    const reference = await timeToAlert('chaos-reference');

    const ids = {
      down: await createWebhook('down', receivers.down.url),
      hanging: await createWebhook('hanging', receivers.hanging.url),
      flapping: await createWebhook('flapping', receivers.flapping.url),
    };
    // Alerts fire while three of four destinations misbehave.
    const withBadReceivers = [await timeToAlert('chaos-webhooks-1'), await timeToAlert('chaos-webhooks-2')];

    // Wait for the outbox to settle: every notification delivered or dead-lettered.
    const settleDeadline = Date.now() + 120_000;
    const statuses = async () =>
      (await sql.query<{ destination: string; status: string; attempts: number; id: string }>(`SELECT destination_id::text AS destination, status::text, attempts, id::text FROM notifications`)).rows;
    while (Date.now() < settleDeadline && (await statuses()).some((n) => n.status === 'pending')) await sleep(1_000);
    const rows = await statuses();
    const of = (id: string) => rows.filter((r) => r.destination === id);

    const flapDelivered = receivers.flapping.deliveredIds();
    reportFigures('webhooks down / hanging / flapping', {
      detectionMsHealthyOnly: reference,
      detectionMsWithBadReceivers: Math.max(...withBadReceivers),
      notifications: rows.length,
      downDead: of(ids.down).filter((r) => r.status === 'dead').length,
      downAttempts: of(ids.down).map((r) => r.attempts).join('/'),
      hangingDead: of(ids.hanging).filter((r) => r.status === 'dead').length,
      hangingRequestsSeen: receivers.hanging.deliveries.length,
      flappingDelivered: of(ids.flapping).filter((r) => r.status === 'delivered').length,
      flappingRequestsSeen: receivers.flapping.deliveries.length,
      healthyDelivered: of(healthyId).filter((r) => r.status === 'delivered').length,
    });
    // Detection is not held up by destinations (generous bound: the machine is shared).
    expect(Math.max(...withBadReceivers)).toBeLessThan(Math.max(2 * reference, reference + 10_000));
    // Every alert fired after a destination was added was queued for it (each failing service trips several rules).
    const alertsFired = Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM alerts`)).rows[0]!.n);
    const queued = of(ids.down).length;
    expect(queued).toBeGreaterThanOrEqual(2);
    for (const id of [ids.hanging, ids.flapping]) expect(of(id).length).toBe(queued);
    expect(of(healthyId).length).toBe(alertsFired);
    // Down and hanging: every notification tried MAX_ATTEMPTS times (the hanging one timed out each time), then dead-lettered.
    for (const id of [ids.down, ids.hanging]) for (const n of of(id)) expect(n).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
    expect(receivers.hanging.deliveries.length).toBe(queued * MAX_ATTEMPTS);
    // Flapping: all delivered in the end, and the receiver accepted each delivery exactly once.
    expect(of(ids.flapping).every((n) => n.status === 'delivered')).toBe(true);
    expect(new Set(flapDelivered).size).toBe(queued);
    expect(flapDelivered.length).toBe(queued);
    // The healthy destination got every alert, once each, at the first attempt.
    expect(of(healthyId).every((n) => n.status === 'delivered' && n.attempts === 1)).toBe(true);
    expect(receivers.healthy.deliveredIds().length).toBe(of(healthyId).length);
    expect(new Set(receivers.healthy.deliveredIds()).size).toBe(of(healthyId).length);
  });
});
