import { describe, expect, it } from 'vitest';
import { peerOf } from '@/lib/rollup/span-facts';
import { CASE_TYPES, FAULT_TYPES, reachOf, type Fault } from './faults';
import { buildPlan } from './plan';
import { generateTopology, TOPOLOGY_SHAPES } from './topology';
import { FleetTraffic, SPAN_KIND, type SimSpan } from './traffic';

const T0 = Date.UTC(2026, 10, 20, 0);
const MIN = 60_000;

function run(topologyShape: (typeof TOPOLOGY_SHAPES)[number], faults: Fault[], minutes: number, seed = 7) {
  const topology = generateTopology(topologyShape, 11);
  const traffic = new FleetTraffic(topology, faults, seed, 1, T0);
  const out = traffic.advance(T0 + minutes * MIN);
  return { topology, ...out };
}

const fault = (over: Partial<Fault> & Pick<Fault, 'type' | 'service'>): Fault => ({ rate: 1, extraMs: 0, startMs: T0 + 2 * MIN, endMs: T0 + 4 * MIN, ...over });
const during = (s: SimSpan) => s.startMs >= T0 + 2 * MIN && s.startMs < T0 + 4 * MIN;

describe('RCA scenario generator', () => {
  it('is deterministic: the same seed gives the same fleet, plan and telemetry', () => {
    expect(generateTopology('layered', 3)).toEqual(generateTopology('layered', 3));
    expect(buildPlan({ casesPerType: 2, seed: 5, startMs: T0 })).toEqual(buildPlan({ casesPerType: 2, seed: 5, startMs: T0 }));
    const a = run('shop', [], 2);
    const b = run('shop', [], 2);
    expect(a.spans.length).toBeGreaterThan(1000);
    expect(a.spans).toEqual(b.spans);
    expect(run('shop', [], 2, 8).spans).not.toEqual(a.spans);
  });

  it('names every leaf the way the dependency map will (server.address, db system/namespace)', () => {
    for (const shape of TOPOLOGY_SHAPES) {
      for (const leaf of generateTopology(shape, 4).leaves) expect(peerOf({ attributes: leaf.attributes }).peer).toBe(leaf.id);
    }
  });

  it('plans at least 60 cases over every fault type, two unrelated faults at once among them', () => {
    const sessions = buildPlan({ casesPerType: 7, seed: 1, startMs: T0 });
    const cases = sessions.flatMap((s) => s.cases);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const type of CASE_TYPES) expect(cases.filter((c) => c.type === type).length).toBe(7);
    for (const s of sessions) {
      for (const c of s.cases.filter((x) => x.type === 'two_faults')) {
        const [a, b] = c.faults.map((f) => reachOf(s.topology, f));
        expect([...a!].filter((n) => b!.has(n))).toEqual([]);
      }
      // Cases never overlap, and each leaves a healthy stretch behind it.
      s.cases.forEach((c, i) => {
        if (i > 0) expect(Math.min(...c.faults.map((f) => f.startMs))).toBeGreaterThanOrEqual(s.cases[i - 1]!.healthyUntilMs);
      });
    }
    expect(new Set(cases.flatMap((c) => c.faults.map((f) => f.type)))).toEqual(new Set(FAULT_TYPES));
  });

  it('partitions an edge: the caller times out, the callee never sees those calls and stays healthy to its probe', () => {
    const { spans, probes } = run('shop', [fault({ type: 'partition', service: 'checkout', target: 'payment' })], 5);
    const calls = spans.filter((s) => during(s) && s.service === 'checkout' && s.kind === SPAN_KIND.client && s.attributes['peer.service'] === 'payment');
    expect(calls.length).toBeGreaterThan(5);
    // The breaker stops most calls; those made time out, and no payment SERVER span answers them.
    expect(calls.every((c) => c.error?.includes('ETIMEDOUT'))).toBe(true);
    const answered = new Set(spans.filter((s) => s.service === 'payment' && s.kind === SPAN_KIND.server).map((s) => s.parentSpanId));
    expect(calls.some((c) => answered.has(c.spanId))).toBe(false);
    expect(probes.filter((p) => p.service === 'payment' && p.kind === 'liveness').every((p) => p.status === 'pass')).toBe(true);
  });

  it('opens and closes each caller instance\u2019s breaker as the fault starts and ends', () => {
    const { breakers } = run('shop', [fault({ type: 'partition', service: 'checkout', target: 'payment' })], 8);
    const opened = breakers.filter((b) => b.to === 'open');
    expect(opened.length).toBeGreaterThan(0);
    for (const instance of new Set(opened.map((b) => b.instance))) {
      const last = breakers.filter((b) => b.instance === instance).at(-1)!;
      expect(last.to).toBe('closed');
    }
  });

  it('crashes a service: callers are refused, its liveness probe fails, it reports nothing', () => {
    const { spans, probes } = run('shop', [fault({ type: 'crash', service: 'inventory' })], 5);
    expect(spans.filter((s) => during(s) && s.service === 'inventory')).toEqual([]);
    expect(spans.some((s) => during(s) && s.kind === SPAN_KIND.client && s.error?.includes('ECONNREFUSED inventory'))).toBe(true);
    expect(probes.some((p) => p.service === 'inventory' && p.status === 'fail')).toBe(true);
  });

  it('stalls a consumer: the publish→process lag grows through the stall and drains after it', () => {
    const { spans } = run('shop', [fault({ type: 'queue_stall', service: 'shipping' })], 10);
    const lagAt = (fromMin: number, toMin: number) =>
      Math.max(0, ...spans.filter((s) => s.service === 'shipping' && s.kind === SPAN_KIND.consumer && s.startMs >= T0 + fromMin * MIN && s.startMs < T0 + toMin * MIN).map((s) => Number(s.attributes['messaging.message.publish_lag_ms'])));
    expect(lagAt(0, 2)).toBeLessThan(1_000);
    expect(lagAt(3, 4)).toBeGreaterThan(30_000);
    expect(lagAt(9, 10)).toBeLessThan(1_000);
  });

  it('turns a retry storm into attempts marked as resends, overloading the callee', () => {
    const { spans } = run('shop', [fault({ type: 'retry_storm', service: 'gateway', target: 'cart', rate: 0.7 })], 5);
    const attempts = spans.filter((s) => during(s) && s.service === 'gateway' && s.attributes['peer.service'] === 'cart');
    const resends = attempts.filter((s) => Number(s.attributes['http.request.resend_count'] ?? 0) > 0);
    expect(resends.length / attempts.length).toBeGreaterThan(0.4);
  });

  it('fails one replica only', () => {
    const { spans } = run('shop', [fault({ type: 'bad_replica', service: 'inventory', instance: 'inventory-3', rate: 0.9 })], 5);
    const served = spans.filter((s) => during(s) && s.service === 'inventory' && s.kind === SPAN_KIND.server);
    const rate = (instance: string) => served.filter((s) => s.instance === instance && s.error).length / served.filter((s) => s.instance === instance).length;
    expect(rate('inventory-3')).toBeGreaterThan(0.7);
    expect(rate('inventory-1')).toBeLessThan(0.05);
  });
});
