// Incidents against the real database: spans through the ingest write path, alerts from the live
// detector, grouping and analysis by the correlator, and the stable incidents API.
import { beforeAll, describe, expect, it } from 'vitest';
import * as login from '@/app/api/auth/login/route';
import * as incidentAck from '@/app/api/incidents/[id]/acknowledge/route';
import * as incidentRoute from '@/app/api/incidents/[id]/route';
import * as incidentsRoute from '@/app/api/incidents/route';
import { createUserAsSystem } from '@/lib/auth/users';
import { insertProbeResults } from '@/lib/db/probe-results';
import { runDetectionTick } from '@/lib/detect/engine';
import { chainTrace, writeSpans } from '@/lib/detect/test-spans';
import { callRoute, SAME_ORIGIN } from '@/lib/http/testing';
import { DEFAULT_RULES } from '@/lib/schemas/alerts';
import type { IncidentDetailDto, IncidentDto } from '@/lib/schemas/incidents';
import { correlateAlerts } from './engine';

const PASSWORD = 'a-long-enough-password';
const cookies: Record<string, string> = {};
const RULES = { ...DEFAULT_RULES, burn_rate: { ...DEFAULT_RULES.burn_rate, enabled: false }, traffic_drop: { ...DEFAULT_RULES.traffic_drop, enabled: false } };

beforeAll(async () => {
  for (const role of ['responder', 'viewer'] as const) {
    await createUserAsSystem({ email: `${role}@incidents.test`, role, password: PASSWORD });
    const res = await callRoute(login.POST, { method: 'POST', headers: SAME_ORIGIN, body: { email: `${role}@incidents.test`, password: PASSWORD } });
    cookies[role] = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }
});

/** Ten minutes of healthy traffic, then `faultySeconds` of the fault, one request every 250 ms per chain. */
async function scenario(chains: Array<{ chain: string[]; fault: Parameters<typeof chainTrace>[2] }>, t0: number, faultySeconds: number): Promise<number> {
  const faultAt = t0 + 600_000;
  for (const { chain, fault } of chains) {
    const spans = [];
    for (let t = t0; t < faultAt + faultySeconds * 1000; t += 250) spans.push(...chainTrace(chain, t, t >= faultAt ? fault : {}));
    await writeSpans(spans);
  }
  return faultAt;
}

async function detectThrough(from: number, to: number): Promise<void> {
  for (let at = from; at <= to; at += 5_000) {
    await runDetectionTick(new Date(at), { rules: RULES, holdDownMs: 60_000 });
    await correlateAlerts(new Date(at));
  }
}

const incidentsTouching = async (service: string) =>
  ((await callRoute(incidentsRoute.GET, { cookie: cookies.viewer, path: `/api/incidents?from=${new Date(Date.now() - 7_200_000).toISOString()}` })).json as IncidentDto[]).filter((i) =>
    [i.rootCause.service, i.rootCause.source, i.rootCause.target, ...i.symptoms.map((s) => s.service)].includes(service),
  );

describe('incidents', () => {
  it('groups a cascade into one incident with the failing service as root cause and its callers as symptoms', async () => {
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    const faultAt = await scenario([{ chain: ['web', 'gateway', 'orders', 'billing'], fault: { failAt: 3 } }], t0, 60);
    await detectThrough(faultAt, faultAt + 60_000);

    const [incident, ...others] = await incidentsTouching('billing');
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ status: 'open', severity: 'critical', rootCause: { kind: 'service', service: 'billing' } });
    expect(incident!.rootCause.evidence[0]).toMatch(/^\d+% of failed traces end at billing \(HTTP 500\)$/);
    expect(incident!.symptoms.map((s) => s.service)).toEqual(['gateway', 'orders', 'web']);
    expect(Date.parse(incident!.openedAt)).toBeGreaterThanOrEqual(faultAt);
    expect(Date.parse(incident!.openedAt)).toBeLessThan(faultAt + 15_000);

    const detail = (await callRoute(incidentRoute.GET, { cookie: cookies.viewer, params: { id: incident!.id } })).json as IncidentDetailDto;
    expect(detail.alertIds.length).toBeGreaterThanOrEqual(4);
    expect(detail.timeline.filter((e) => e.type === 'alert_fired').length).toBe(detail.alertIds.length);
    expect(detail.timeline.map((e) => e.at)).toEqual([...detail.timeline.map((e) => e.at)].sort());

    expect((await callRoute(incidentAck.POST, { method: 'POST', cookie: cookies.viewer, headers: SAME_ORIGIN, params: { id: incident!.id }, body: {} })).status).toBe(403);
    const acked = await callRoute(incidentAck.POST, { method: 'POST', cookie: cookies.responder, headers: SAME_ORIGIN, params: { id: incident!.id }, body: { note: 'rolling back billing' } });
    expect(acked.json).toMatchObject({ outcome: 'done', incident: { status: 'acknowledged' } });
    const after = (await callRoute(incidentRoute.GET, { cookie: cookies.viewer, params: { id: incident!.id } })).json as IncidentDetailDto;
    expect(after.timeline.filter((e) => e.type === 'alert_acknowledged').length).toBe(after.alertIds.length);
    const again = await callRoute(incidentAck.POST, { method: 'POST', cookie: cookies.responder, headers: SAME_ORIGIN, params: { id: incident!.id }, body: {} });
    expect(again.json).toMatchObject({ outcome: 'already_acknowledged', by: 'responder@incidents.test' });
  });

  it('blames the edge for a partition when the callee is still reachable by its probe', async () => {
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000;
    const faultAt = await scenario([{ chain: ['shop', 'basket', 'pricing'], fault: { unreachableAt: 2 } }], t0, 60);
    await insertProbeResults(
      Array.from({ length: 8 }, (_, i) => ({ service: 'pricing', target: 'pricing /health', kind: 'liveness' as const, status: 'pass' as const, latencyMs: 3, checkedAt: new Date(faultAt + i * 10_000), message: null, dependency: null, observedValue: null, source: 'active' as const, probeTargetId: null })),
    );
    await detectThrough(faultAt, faultAt + 60_000);
    const [incident, ...others] = await incidentsTouching('basket');
    expect(others).toEqual([]);
    expect(incident!.rootCause).toMatchObject({ kind: 'edge', source: 'basket', target: 'pricing' });
    expect(incident!.candidates.map((c) => c.kind)).toContain('edge');
  });
});
