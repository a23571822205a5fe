// /api/chaos through the real route handlers, the real control server and database; only the
// fleet behind the control server is a stand-in that remembers what it was told.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as chaosById from '@/app/api/chaos/[id]/route';
import * as injections from '@/app/api/chaos/injections/route';
import * as chaos from '@/app/api/chaos/route';
import * as login from '@/app/api/auth/login/route';
import { createApiKey } from '@/lib/auth/api-keys';
import { createUserAsSystem } from '@/lib/auth/users';
import { resetEnv } from '@/lib/config/env';
import { pool } from '@/lib/db/client';
import { callRoute, SAME_ORIGIN } from '@/lib/http/testing';
import type { ChaosState, FaultInjectionDto, FaultInjectionList, FaultInput } from '@/lib/schemas/chaos';
import { FaultTargetError, startControlServer, type ControlServer, type FaultApplier } from '@/lib/sim/control-server';

const system = { kind: 'system', name: 'test' } as const;
const PASSWORD = 'a-long-enough-password';

const SERVICES = [
  { name: 'checkout', role: 'api', calls: ['payment', 'cart'] },
  { name: 'payment', role: 'api', calls: [] },
  { name: 'cart', role: 'api', calls: [] },
];

/** Stands in for the fleet: refuses unknown services as the real one does and keeps what is switched on. */
class RecordingApplier implements FaultApplier {
  applied: FaultInput[] = [];
  reverted: FaultInput[] = [];
  describe() {
    return {
      services: SERVICES.map((s) => ({ ...s, instances: [{ service: s.name, instance: `${s.name}-1`, url: `http://127.0.0.1:0/${s.name}`, external: false }] })),
      rps: 5,
    };
  }
  async apply(fault: FaultInput) {
    for (const name of fault.target.split(':')) {
      if (!SERVICES.some((s) => s.name === name)) throw new FaultTargetError(`body.target: no service named ${name} in the fleet`);
    }
    this.applied.push(fault);
  }
  async revert(fault: FaultInput) {
    this.reverted.push(fault);
  }
  get active() {
    return this.applied.filter((f) => !this.reverted.includes(f));
  }
}

let applier: RecordingApplier;
let fleet: ControlServer;
let admin: Record<string, string>;
let reader: Record<string, string>;
let ingest: Record<string, string>;
let viewerCookie: string;

function pointAt(server: { url: string; token: string } | null) {
  if (server) {
    process.env.FAULTLINE_CHAOS_URL = server.url;
    process.env.FAULTLINE_CHAOS_TOKEN = server.token;
  } else {
    delete process.env.FAULTLINE_CHAOS_URL;
    delete process.env.FAULTLINE_CHAOS_TOKEN;
  }
  resetEnv();
}

const bearer = async (name: string, scope: 'admin' | 'read' | 'ingest') => ({
  authorization: `Bearer ${(await createApiKey({ actor: system, input: { name, scopes: [scope] } })).key}`,
});

beforeAll(async () => {
  applier = new RecordingApplier();
  fleet = await startControlServer({ applier });
  admin = await bearer('chaos-admin', 'admin');
  reader = await bearer('chaos-reader', 'read');
  ingest = await bearer('chaos-ingest', 'ingest');
  await createUserAsSystem({ email: 'viewer@chaos.test', role: 'viewer', password: PASSWORD });
  const signedIn = await callRoute(login.POST, { method: 'POST', headers: SAME_ORIGIN, body: { email: 'viewer@chaos.test', password: PASSWORD } });
  viewerCookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
});

beforeEach(() => pointAt(fleet));

afterAll(async () => {
  pointAt(null);
  await fleet.close();
});

const inject = (body: unknown, headers: Record<string, string> = admin) => callRoute(chaos.POST, { method: 'POST', path: '/api/chaos', headers, body });
const clear = (id: string, headers: Record<string, string> = admin) =>
  callRoute(chaosById.DELETE, { method: 'DELETE', path: `/api/chaos/${id}`, headers, params: { id } });
const state = async () => {
  const res = await callRoute(chaos.GET, { path: '/api/chaos', headers: admin });
  expect(res.status).toBe(200);
  return res.json as ChaosState;
};
const messageOf = (res: { json: unknown }) => (res.json as { error: { message: string } }).error.message;

async function auditOf(id: string) {
  const { rows } = await pool().query<{ action: string; actor_label: string; details: Record<string, unknown> }>(
    `SELECT action, actor_label, details FROM audit_log WHERE target_type = 'fault_injection' AND target_id = $1 ORDER BY id`,
    [id],
  );
  return rows;
}

describe('POST /api/chaos', () => {
  it('switches the fault on in the fleet and records it with who, from where and when', async () => {
    const before = Date.now();
    const res = await inject({ kind: 'error-burst', target: 'payment', rate: 0.3, durationMs: 120_000, source: 'cli' });
    expect(res.status).toBe(201);
    const record = res.json as FaultInjectionDto;
    expect(record).toMatchObject({
      kind: 'error-burst',
      target: 'payment',
      params: { rate: 0.3, durationMs: 120_000 },
      source: 'cli',
      actor: 'api key "chaos-admin"',
      status: 'active',
      endedAt: null,
    });
    expect(Date.parse(record.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(record.endsAt!) - Date.parse(record.startedAt)).toBe(120_000);
    expect(applier.active).toContainEqual({ kind: 'error-burst', target: 'payment', rate: 0.3, durationMs: 120_000 });
    expect(fleet.active().map((f) => f.id)).toContain(record.fleetFaultId);

    const entries = await auditOf(record.id);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'chaos.inject',
        actor_label: 'api key "chaos-admin"',
        details: expect.objectContaining({ kind: 'error-burst', target: 'payment', source: 'cli', fleetFaultId: record.fleetFaultId }),
      }),
    ]);
  });

  it('counts a switch without a source as made through the API', async () => {
    const res = await inject({ kind: 'partition', target: 'checkout:cart', ms: 500 });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ source: 'api', target: 'checkout:cart', params: { ms: 500 }, endsAt: null });
  });

  it('ends the record of a fault that a new switch of the same kind and target replaced', async () => {
    const first = (await inject({ kind: 'latency', target: 'cart', ms: 200 })).json as FaultInjectionDto;
    const second = (await inject({ kind: 'latency', target: 'cart', ms: 900 })).json as FaultInjectionDto;
    const injectionsNow = (await state()).injections;
    expect(injectionsNow.find((i) => i.id === first.id)).toMatchObject({ status: 'ended', endedAt: second.startedAt });
    expect(injectionsNow.find((i) => i.id === second.id)).toMatchObject({ status: 'active', endedAt: null });
  });

  it.each([
    ['an unknown kind', { kind: 'meteor', target: 'cart' }, /body\.kind: must be one of error-burst, latency/],
    ['partition on a single service', { kind: 'partition', target: 'checkout' }, /body\.target: must name two services as caller:callee/],
    ['a rate above 1', { kind: 'error-burst', target: 'cart', rate: 1.5 }, /body\.rate: must be between 0\.01 and 1/],
    ['a too short duration', { kind: 'latency', target: 'cart', durationMs: 10 }, /body\.durationMs: must be at least 1000/],
    ['an unknown source', { kind: 'latency', target: 'cart', source: 'cron' }, /body\.source: must be one of panel, cli, scenario, api/],
    ['a service the fleet does not run', { kind: 'latency', target: 'ledger' }, /body\.target: no service named ledger in the fleet/],
  ])('refuses %s with a 400 naming the field, and records nothing', async (_case, body, message) => {
    const applied = applier.applied.length;
    const { rows: before } = await pool().query(`SELECT count(*)::int AS n FROM fault_injections`);
    const res = await inject(body);
    expect(res.status).toBe(400);
    expect(messageOf(res)).toMatch(message);
    expect(applier.applied.length).toBe(applied);
    const { rows: after } = await pool().query(`SELECT count(*)::int AS n FROM fault_injections`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('answers 409 pointing at `npm run demo` when Faultline was not started by the demo', async () => {
    pointAt(null);
    const res = await inject({ kind: 'latency', target: 'cart' });
    expect(res.status).toBe(409);
    expect(messageOf(res)).toMatch(/npm run demo/);
    const disabled = await state();
    expect(disabled).toMatchObject({ enabled: false, fleet: null });
    expect(disabled.injections.length).toBeGreaterThan(0);
  });

  it('answers 503 when the control server is down', async () => {
    const gone = await startControlServer({ applier: new RecordingApplier() });
    await gone.close();
    pointAt(gone);
    const res = await inject({ kind: 'latency', target: 'cart' });
    expect(res.status).toBe(503);
    expect(messageOf(res)).toBe('the demo fleet is not reachable: is `npm run demo` running?');
    const down = await state();
    expect(down).toMatchObject({ enabled: true, fleet: null, fleetError: 'the demo fleet is not reachable: is `npm run demo` running?' });
  });

  it('needs the admin role or an admin key', async () => {
    const body = { kind: 'latency', target: 'cart' };
    expect((await inject(body, {})).status).toBe(401);
    expect((await inject(body, reader)).status).toBe(403);
    expect((await inject(body, ingest)).status).toBe(403);
    expect((await callRoute(chaos.POST, { method: 'POST', cookie: viewerCookie, headers: SAME_ORIGIN, body })).status).toBe(403);
    expect((await callRoute(chaos.GET, { cookie: viewerCookie })).status).toBe(403);
    expect((await callRoute(chaos.GET, { headers: reader })).status).toBe(403);
  });
});

describe('GET /api/chaos', () => {
  it('describes the fleet for the panel and lists the switches newest first', async () => {
    const current = await state();
    expect(current.enabled).toBe(true);
    expect(current.fleet?.services.map((s) => s.name)).toEqual(['checkout', 'payment', 'cart']);
    expect(current.fleet?.faults.length).toBe(fleet.active().length);
    const started = current.injections.map((i) => Date.parse(i.startedAt));
    expect(started).toEqual([...started].sort((a, b) => b - a));
  });
});

describe('DELETE /api/chaos/:id', () => {
  it('switches the fault off in the fleet and records when', async () => {
    const record = (await inject({ kind: 'slow-db', target: 'checkout', ms: 1500, source: 'panel' })).json as FaultInjectionDto;
    const res = await clear(record.id);
    expect(res.status).toBe(200);
    const cleared = res.json as FaultInjectionDto;
    expect(cleared).toMatchObject({ status: 'ended', source: 'panel' });
    expect(Date.parse(cleared.endedAt!)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
    expect(applier.reverted).toContainEqual({ kind: 'slow-db', target: 'checkout', ms: 1500 });
    expect(fleet.active().map((f) => f.id)).not.toContain(record.fleetFaultId);
    expect((await auditOf(record.id)).map((e) => e.action)).toEqual(['chaos.inject', 'chaos.clear']);

    // Clearing again changes nothing and is not audited twice.
    const again = await clear(record.id);
    expect(again.status).toBe(200);
    expect((again.json as FaultInjectionDto).endedAt).toBe(cleared.endedAt);
    expect((await auditOf(record.id)).length).toBe(2);
  });

  it('marks a fault that already reverted by its duration as ended at its scheduled end', async () => {
    const record = (await inject({ kind: 'stall-consumer', target: 'cart', durationMs: 1000 })).json as FaultInjectionDto;
    await expect.poll(() => applier.reverted.some((f) => f.kind === 'stall-consumer'), { timeout: 5000 }).toBe(true);
    expect((await state()).injections.find((i) => i.id === record.id)?.status).toBe('scheduled-end-passed');

    const res = await clear(record.id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ended', endedAt: record.endsAt });
    const [, cleared] = await auditOf(record.id);
    expect(cleared).toMatchObject({ action: 'chaos.clear', details: expect.objectContaining({ alreadyEnded: true }) });
  });

  it('answers 404 for an unknown record, 400 for a malformed id, 403 without admin', async () => {
    expect((await clear('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(messageOf(await clear('not-a-uuid'))).toMatch(/params\.id: must be a UUID/);
    const record = (await inject({ kind: 'bad-replica', target: 'payment' })).json as FaultInjectionDto;
    expect((await clear(record.id, reader)).status).toBe(403);
    expect((await clear(record.id, ingest)).status).toBe(403);
  });

  it('answers 503 and leaves the record open while the control server is down', async () => {
    const record = (await inject({ kind: 'external-outage', target: 'payment' })).json as FaultInjectionDto;
    const gone = await startControlServer({ applier: new RecordingApplier() });
    await gone.close();
    pointAt(gone);
    expect((await clear(record.id)).status).toBe(503);
    pointAt(fleet);
    expect((await state()).injections.find((i) => i.id === record.id)).toMatchObject({ status: 'active', endedAt: null });
  });
});

describe('GET /api/chaos/injections', () => {
  it('lists the switches that were on in the range, oldest first, for readers', async () => {
    const since = new Date().toISOString();
    const record = (await inject({ kind: 'retry-storm', target: 'checkout:payment', durationMs: 60_000, source: 'scenario' })).json as FaultInjectionDto;
    const res = await callRoute(injections.GET, { path: `/api/chaos/injections?from=${since}`, headers: reader });
    expect(res.status).toBe(200);
    const list = res.json as FaultInjectionList;
    // Faults still on from earlier tests overlap the range too; ones that ended before it do not.
    expect(list.injections.map((i) => i.id)).toContain(record.id);
    expect(list.injections.every((i) => !i.endedAt || i.endedAt >= since)).toBe(true);
    const started = list.injections.map((i) => Date.parse(i.startedAt));
    expect(started).toEqual([...started].sort((a, b) => a - b));

    const past = await callRoute(injections.GET, { path: '/api/chaos/injections?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z', headers: reader });
    expect((past.json as FaultInjectionList).injections).toEqual([]);
  });

  it('validates the range and needs read access', async () => {
    const bad = await callRoute(injections.GET, { path: '/api/chaos/injections?from=yesterday', headers: reader });
    expect(bad.status).toBe(400);
    expect(messageOf(bad)).toMatch(/query\.from/);
    expect((await callRoute(injections.GET, { path: '/api/chaos/injections', headers: ingest })).status).toBe(403);
    expect((await callRoute(injections.GET, { path: '/api/chaos/injections' })).status).toBe(401);
  });
});
