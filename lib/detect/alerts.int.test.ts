// Alert lifecycle against the real database: a failure in the data fires one alert, further
// ticks update it in place, it resolves only after the hold-down, replays are deterministic and
// idempotent, and responders' actions are permission-checked, conflict-safe and kept in history.
import { beforeAll, describe, expect, it } from 'vitest';
import { createUserAsSystem } from '@/lib/auth/users';
import { callRoute, SAME_ORIGIN } from '@/lib/http/testing';
import * as login from '@/app/api/auth/login/route';
import * as ackRoute from '@/app/api/alerts/[id]/acknowledge/route';
import * as alertRoute from '@/app/api/alerts/[id]/route';
import * as alertsRoute from '@/app/api/alerts/route';
import * as bulkAck from '@/app/api/alerts/acknowledge/route';
import * as evaluateRoute from '@/app/api/admin/evaluate/route';
import * as rulesRoute from '@/app/api/alert-rules/route';
import * as silencesRoute from '@/app/api/silences/route';
import { listAuditEntries } from '@/lib/db/audit';
import { DEFAULT_RULES } from '@/lib/schemas/alerts';
import { insertWebhookRow, listNotificationRows } from '@/lib/db/notifications';
import { runDetectionTick } from './engine';
import { calls, writeSpans } from './test-spans';

const PASSWORD = 'a-long-enough-password';
const HOLD = 30_000;
// Error-rate rules only where a test counts alerts: the multi-window burn rate fires on the same
// failures and clears on its own (longer) schedule; the replay test covers it.
const ERRORS_ONLY = { ...DEFAULT_RULES, burn_rate: { ...DEFAULT_RULES.burn_rate, enabled: false } };
const cookies: Record<string, string> = {};

async function signIn(email: string): Promise<string> {
  const res = await callRoute(login.POST, { method: 'POST', headers: SAME_ORIGIN, body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

beforeAll(async () => {
  for (const role of ['admin', 'responder', 'viewer'] as const) {
    await createUserAsSystem({ email: `${role}@alerts.test`, role, password: PASSWORD });
    cookies[role] = await signIn(`${role}@alerts.test`);
  }
  await insertWebhookRow({ name: 'pager', url: 'http://127.0.0.1:9/hook', format: 'json', events: ['fired', 'acknowledged', 'resolved'], minSeverity: 'warning', enabled: true, timeoutMs: 1000 });
});

const ack = (id: string, cookie: string, note?: string) =>
  callRoute(ackRoute.POST, { method: 'POST', cookie, headers: SAME_ORIGIN, params: { id }, body: note ? { note } : {} });

describe('live detection', () => {
  it('fires once per fingerprint, updates in place, and resolves only after the hold-down', async () => {
    const t0 = Math.floor(Date.now() / 10_000) * 10_000 - 120_000;
    // Two healthy minutes, then 30 s in which every other call from web to billing fails.
    await writeSpans(calls('web', 'billing', t0, t0 + 90_000, 180));
    await writeSpans(calls('web', 'billing', t0 + 90_000, t0 + 120_000, 60, 2));

    const first = await runDetectionTick(new Date(t0 + 120_000), { holdDownMs: HOLD, rules: ERRORS_ONLY });
    expect(first.fired).toHaveLength(2); // the billing service and the web → billing edge
    const fireAudits = (await listAuditEntries(100)).filter((e) => e.action === 'alert.fire');
    expect(fireAudits.map((e) => e.targetId).sort()).toEqual([...first.fired].sort());
    expect(fireAudits[0]).toMatchObject({ actorType: 'system', actorLabel: 'detector' });
    const again = await runDetectionTick(new Date(t0 + 125_000), { holdDownMs: HOLD, rules: ERRORS_ONLY });
    expect(again).toMatchObject({ fired: [], updated: 2 });

    const list = await callRoute(alertsRoute.GET, { cookie: cookies.viewer, path: '/api/alerts?service=billing&state=firing,acknowledged&severity=critical&rule=error_rate' });
    expect(list.status).toBe(200);
    const alerts = (list.json as { alerts: Array<{ id: string; rule: string; entity: unknown; state: string; observed: number; threshold: number }> }).alerts;
    expect(alerts.map((a) => a.entity)).toEqual(expect.arrayContaining([{ type: 'service', service: 'billing' }, { type: 'edge', source: 'web', target: 'billing' }]));
    expect(alerts.every((a) => a.rule === 'error_rate' && a.state === 'firing' && a.observed > a.threshold)).toBe(true);

    // The failures stop at +120 s. The 60 s window last holds one at +175 s; the alerts resolve
    // at the first evaluation a hold-down after that, and not one tick before.
    await writeSpans(calls('web', 'billing', t0 + 120_000, t0 + 300_000, 360));
    const resolvedAt: number[] = [];
    for (let at = t0 + 130_000; at <= t0 + 260_000; at += 5_000) {
      const tick = await runDetectionTick(new Date(at), { holdDownMs: HOLD, rules: ERRORS_ONLY });
      expect(tick.fired).toEqual([]);
      if (tick.resolved.length > 0) resolvedAt.push(at - t0, tick.resolved.length);
    }
    expect(resolvedAt).toEqual([175_000 + HOLD, 2]);

    const detail = await callRoute(alertRoute.GET, { cookie: cookies.viewer, params: { id: alerts[0]!.id } });
    expect(detail.json).toMatchObject({ state: 'resolved', resolvedBy: 'detector', history: [{ type: 'fired', actor: 'detector' }, { type: 'resolved', actor: 'detector' }] });
    // fired and resolved for each of the two critical alerts reached the outbox.
    const queued = await listNotificationRows({ limit: 50 });
    expect(queued.filter((n) => n.alertId === alerts[0]!.id).map((n) => n.event).sort()).toEqual(['fired', 'resolved']);
  });
});

describe('responders', () => {
  let alertIds: string[] = [];

  beforeAll(async () => {
    const t0 = Math.floor(Date.now() / 10_000) * 10_000 - 60_000;
    await writeSpans(calls('shop', 'stock', t0, t0 + 60_000, 60, 1));
    alertIds = (await runDetectionTick(new Date(t0 + 60_000), { holdDownMs: HOLD, rules: ERRORS_ONLY })).fired;
    expect(alertIds.length).toBeGreaterThan(0);
  });

  it('lets a responder acknowledge with a note, and refuses a viewer with 403', async () => {
    const id = alertIds[0]!;
    expect((await ack(id, cookies.viewer!)).status).toBe(403);
    const done = await ack(id, cookies.responder!, 'looking at the stock service');
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ outcome: 'done', by: 'responder@alerts.test', alert: { state: 'acknowledged', acknowledgedBy: 'responder@alerts.test' } });
    const detail = await callRoute(alertRoute.GET, { cookie: cookies.viewer, params: { id } });
    expect((detail.json as { history: unknown[] }).history).toContainEqual(expect.objectContaining({ type: 'acknowledged', actor: 'responder@alerts.test', note: 'looking at the stock service' }));
  });

  it('gives two people acknowledging at once one success and one "already acknowledged by"', async () => {
    const id = alertIds[1] ?? alertIds[0]!;
    const [a, b] = await Promise.all([ack(id, cookies.admin!), ack(id, cookies.responder!)]);
    const outcomes = [a.json, b.json].map((j) => (j as { outcome: string }).outcome).sort();
    expect([a.status, b.status]).toEqual([200, 200]);
    if (id === alertIds[0]) expect(outcomes).toEqual(['already_acknowledged', 'already_acknowledged']);
    else expect(outcomes).toEqual(['already_acknowledged', 'done']);
    const loser = [a.json, b.json].find((j) => (j as { outcome: string }).outcome === 'already_acknowledged') as { by: string };
    expect(loser.by).toMatch(/@alerts\.test$/);
  });

  it('acknowledges in bulk, naming ids it does not know', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await callRoute(bulkAck.POST, { method: 'POST', cookie: cookies.responder, headers: SAME_ORIGIN, body: { ids: [...alertIds, missing] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ notFound: [missing] });
    expect((await callRoute(bulkAck.POST, { method: 'POST', cookie: cookies.responder, headers: SAME_ORIGIN, body: { ids: [] } })).status).toBe(400);
  });

  it('validates silences and rule edits, which only admins may make', async () => {
    const bad = await callRoute(silencesRoute.POST, { method: 'POST', cookie: cookies.responder, headers: SAME_ORIGIN, body: { durationMinutes: 30, reason: 'deploy' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { message: expect.stringMatching(/rule/) } });
    const ok = await callRoute(silencesRoute.POST, { method: 'POST', cookie: cookies.responder, headers: SAME_ORIGIN, body: { service: 'stock', durationMinutes: 30, reason: 'deploy' } });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ service: 'stock', active: true, createdBy: 'responder@alerts.test' });

    const rules = { ...DEFAULT_RULES, error_rate: { ...DEFAULT_RULES.error_rate, threshold: 1.5 } };
    expect((await callRoute(rulesRoute.PUT, { method: 'PUT', cookie: cookies.responder, headers: SAME_ORIGIN, body: rules })).status).toBe(403);
    const invalid = await callRoute(rulesRoute.PUT, { method: 'PUT', cookie: cookies.admin, headers: SAME_ORIGIN, body: rules });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ error: { message: expect.stringMatching(/error_rate\.threshold/) } });
    const saved = await callRoute(rulesRoute.PUT, { method: 'PUT', cookie: cookies.admin, headers: SAME_ORIGIN, body: { ...DEFAULT_RULES, error_rate: { ...DEFAULT_RULES.error_rate, threshold: 0.2 } } });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ rules: { error_rate: { threshold: 0.2 } }, updatedBy: 'admin@alerts.test' });
    await callRoute(rulesRoute.PUT, { method: 'PUT', cookie: cookies.admin, headers: SAME_ORIGIN, body: DEFAULT_RULES });
  });
});

describe('replay', () => {
  it('finds the same alerts every time, records them once, and needs admin', async () => {
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    await writeSpans(calls('api', 'search', t0, t0 + 300_000, 300));
    await writeSpans(calls('api', 'search', t0 + 300_000, t0 + 360_000, 60, 1));
    await writeSpans(calls('api', 'search', t0 + 360_000, t0 + 900_000, 540));
    const body = { from: new Date(t0).toISOString(), to: new Date(t0 + 900_000).toISOString() };

    expect((await callRoute(evaluateRoute.POST, { method: 'POST', cookie: cookies.responder, headers: SAME_ORIGIN, body })).status).toBe(403);
    const tooLong = await callRoute(evaluateRoute.POST, { method: 'POST', cookie: cookies.admin, headers: SAME_ORIGIN, body: { ...body, to: new Date(t0 + 7 * 3_600_000).toISOString() } });
    expect(tooLong.status).toBe(400);

    const first = await callRoute(evaluateRoute.POST, { method: 'POST', cookie: cookies.admin, headers: SAME_ORIGIN, body });
    expect(first.status).toBe(200);
    type Result = { ticks: number; alerts: Array<{ id: string; fingerprint: string; startedAt: string; resolvedAt: string | null; recorded: string; state: string }> };
    const r1 = first.json as Result;
    expect(r1.ticks).toBe(181);
    const fingerprints = r1.alerts.map((a) => a.fingerprint).sort();
    // A minute of 100% errors also burns a 99.9% budget far faster than 14.4× in both windows.
    expect(fingerprints).toEqual(['burn_rate|service:search', 'error_rate|edge:api->search', 'error_rate|service:search']);
    // The failures start at +300 s; the 10 s rollups let the first evaluation after it fire.
    for (const a of r1.alerts) {
      expect(Date.parse(a.startedAt) - (t0 + 300_000)).toBeLessThanOrEqual(10_000);
      expect(a).toMatchObject({ recorded: 'new', state: 'resolved' });
    }

    const second = (await callRoute(evaluateRoute.POST, { method: 'POST', cookie: cookies.admin, headers: SAME_ORIGIN, body })).json as Result;
    expect(second.alerts.map((a) => [a.id, a.startedAt, a.resolvedAt, a.recorded])).toEqual(r1.alerts.map((a) => [a.id, a.startedAt, a.resolvedAt, 'existing']));
  });
});
