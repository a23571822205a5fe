import { describe, expect, it } from 'vitest';
import { rankRootCauses, refKey, type EdgeEvidence, type NodeEvidence, type RcaEvidence } from './rank';

const stats = (requests: number, errors: number, p95: number | null) => ({ requests, errors, p95 });
const node = (name: string, now: [number, number, number | null], before: [number, number, number | null] = [now[0], 0, 50], kind: NodeEvidence['kind'] = 'service'): NodeEvidence => ({
  name,
  kind,
  now: stats(...now),
  before: stats(...before),
});
const edge = (source: string, target: string, now: [number, number, number | null], before: [number, number, number | null] = [now[0], 0, 40], extra: Partial<EdgeEvidence['now']> = {}, targetKind: EdgeEvidence['targetKind'] = 'service'): EdgeEvidence => ({
  source,
  target,
  targetKind,
  now: { ...stats(...now), timeouts: 0, retries: 0, lagP95: null, ...extra },
  before: { ...stats(...before), timeouts: 0, retries: 0, lagP95: null },
});
const evidence = (over: Partial<RcaEvidence>): RcaEvidence => ({ nodes: [], edges: [], failedTraces: 0, origins: [], breakers: [], probes: [], reachable: [], alerted: [], ...over });
const top = (ev: RcaEvidence, n = 1) => rankRootCauses(ev).candidates.slice(0, n).map(refKey);

describe('rankRootCauses', () => {
  it('puts a failing service above the callers whose errors it explains, and names them symptoms', () => {
    const analysis = rankRootCauses(
      evidence({
        nodes: [node('gateway', [200, 60, 80]), node('checkout', [200, 60, 70]), node('payment', [200, 100, 20])],
        edges: [edge('gateway', 'checkout', [200, 60, 75]), edge('checkout', 'payment', [200, 100, 25])],
        failedTraces: 60,
        origins: [{ ref: { kind: 'service', service: 'payment' }, traces: 55, detail: 'HTTP 500' }],
        alerted: ['gateway', 'checkout', 'payment'],
      }),
    );
    expect(analysis.rootCause).toMatchObject({ kind: 'service', service: 'payment' });
    expect(analysis.rootCause.evidence[0]).toBe('92% of failed traces end at payment (HTTP 500)');
    expect(analysis.symptoms.map((s) => s.service)).toEqual(['checkout', 'gateway']);
    expect(analysis.symptoms.find((s) => s.service === 'checkout')!.reason).toMatch(/follow its calls to payment/);
  });

  it('blames the edge for a partition even when the callee has no other caller, as long as its probe reaches it', () => {
    const partitioned = evidence({
      nodes: [node('checkout', [100, 40, 3000]), node('payment', [0, 0, null], [100, 0, 20])],
      edges: [edge('checkout', 'payment', [100, 40, 3000], [100, 0, 25], { timeouts: 40 })],
      failedTraces: 40,
      origins: [{ ref: { kind: 'edge', source: 'checkout', target: 'payment' }, traces: 40, detail: 'timeout' }],
      alerted: ['checkout'],
    });
    expect(top({ ...partitioned, reachable: ['payment'] })).toEqual(['edge:checkout->payment']);
    // Without a probe saying payment is up, silence looks like payment being down.
    expect(top(partitioned)).toEqual(['service:payment']);
  });

  it('blames the edge, not the callee, for a partition: calls time out while the callee answers others', () => {
    const analysis = rankRootCauses(
      evidence({
        nodes: [node('checkout', [100, 40, 3000]), node('payment', [50, 0, 20]), node('refunds', [50, 0, 30])],
        edges: [edge('checkout', 'payment', [100, 40, 3000], [100, 0, 25], { timeouts: 40 }), edge('refunds', 'payment', [50, 0, 25])],
        failedTraces: 40,
        origins: [{ ref: { kind: 'edge', source: 'checkout', target: 'payment' }, traces: 40, detail: 'connect timeout, no answer' }],
        breakers: [{ service: 'checkout', dependency: 'payment', openForMs: 20_000 }],
        alerted: ['checkout'],
      }),
    );
    expect(analysis.rootCause).toMatchObject({ kind: 'edge', source: 'checkout', target: 'payment' });
    expect(analysis.rootCause.evidence).toContain("40% of checkout's calls to payment fail, mostly timeouts, while payment itself answers normally");
  });

  it('blames a callee that went silent and whose probe fails (down, not partitioned)', () => {
    const ranked = top(
      evidence({
        nodes: [node('checkout', [100, 50, 40]), node('payment', [0, 0, null], [100, 0, 20])],
        edges: [edge('checkout', 'payment', [100, 50, 30], [100, 0, 25])],
        probes: [{ service: 'payment', target: 'payment /health', dependency: null, message: 'connection refused' }],
        alerted: ['checkout', 'payment'],
      }),
    );
    expect(ranked).toEqual(['service:payment']);
  });

  it('names the retry storm: the edge where attempts per call exploded', () => {
    const ranked = top(
      evidence({
        nodes: [node('checkout', [100, 10, 90]), node('inventory', [800, 200, 60], [100, 1, 40])],
        edges: [edge('checkout', 'inventory', [800, 200, 60], [100, 1, 40], { retries: 700 })],
        alerted: ['checkout', 'inventory'],
      }),
      2,
    );
    expect(ranked).toContain('edge:checkout->inventory');
    expect(ranked).toContain('service:inventory');
  });

  it('blames the dependency when a database or external API fails behind a service', () => {
    const ranked = top(
      evidence({
        nodes: [node('payment', [100, 0, 900], [100, 0, 40])],
        edges: [edge('payment', 'bank-adapter', [100, 100, 5000], [100, 0, 100], { timeouts: 100 }, 'external')],
        alerted: ['payment'],
      }),
    );
    expect(ranked).toEqual(['dependency:payment->bank-adapter']);
  });

  it('follows latency down to where it is spent', () => {
    const analysis = rankRootCauses(
      evidence({
        nodes: [node('gateway', [100, 0, 2700]), node('checkout', [100, 0, 2650]), node('inventory', [100, 0, 2550], [100, 0, 30])],
        edges: [edge('gateway', 'checkout', [100, 0, 2660]), edge('checkout', 'inventory', [100, 0, 2560])],
        alerted: ['gateway', 'checkout', 'inventory'],
      }),
    );
    expect(analysis.rootCause).toMatchObject({ kind: 'service', service: 'inventory' });
    expect(analysis.symptoms.map((s) => s.service)).toEqual(['checkout', 'gateway']);
  });

  it('points at a stalled queue consumer', () => {
    const ranked = top(
      evidence({
        nodes: [node('shipping', [10, 0, 30], [100, 0, 30])],
        edges: [edge('orders', 'shipping', [10, 0, 20], [100, 0, 20], { lagP95: 45_000 })],
        alerted: ['shipping'],
      }),
    );
    expect(ranked).toEqual(['service:shipping']);
  });
});
