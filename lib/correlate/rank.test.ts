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
        breakers: [{ service: 'checkout', dependency: 'payment', openForMs: 20_000, opens: 1, instances: 1 }],
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

  it('blames the retry storm, not the callee it overloads: the edge where attempts per call exploded', () => {
    const ev = evidence({
      nodes: [node('checkout', [100, 10, 90]), node('inventory', [800, 200, 60], [100, 1, 40])],
      edges: [edge('checkout', 'inventory', [800, 200, 60], [100, 1, 40], { retries: 700 })],
      alerted: ['checkout', 'inventory'],
    });
    expect(top(ev, 1)).toEqual(['edge:checkout->inventory']);
    const analysis = rankRootCauses(ev);
    expect(analysis.rootCause.evidence.join(' ')).toMatch(/8\.0 attempts per call/);
    expect(analysis.symptoms.find((s) => s.service === 'inventory')?.reason).toMatch(/overloaded by a retry storm from checkout/);
  });

  it('keeps a failing callee as the root cause when its callers retry only modestly', () => {
    // One retry per failed call: 1.4 attempts per call is not a storm; inventory fails on its own.
    const ranked = top(
      evidence({
        nodes: [node('checkout', [140, 40, 90], [100, 0, 90]), node('inventory', [140, 80, 40], [100, 0, 40])],
        edges: [edge('checkout', 'inventory', [140, 80, 40], [100, 0, 40], { retries: 40 })],
        alerted: ['checkout', 'inventory'],
      }),
      1,
    );
    expect(ranked).toEqual(['service:inventory']);
  });

  it('follows a breaker failing fast to what it guards, not to the caller whose spans carry the error', () => {
    const analysis = rankRootCauses(
      evidence({
        nodes: [node('checkout', [100, 60, 20], [100, 0, 20]), node('payment', [10, 0, 20], [100, 0, 20])],
        edges: [edge('checkout', 'payment', [10, 8, 2000], [100, 0, 25], { timeouts: 8 })],
        failedTraces: 60,
        origins: [
          { ref: { kind: 'service', service: 'checkout' }, traces: 52, detail: 'circuit open' },
          { ref: { kind: 'edge', source: 'checkout', target: 'payment' }, traces: 8, detail: 'timeout' },
        ],
        breakers: [{ service: 'checkout', dependency: 'payment', openForMs: 60_000, opens: 4, instances: 2 }],
        reachable: ['payment'],
        alerted: ['checkout'],
      }),
    );
    expect(refKey(analysis.rootCause)).toBe('edge:checkout->payment');
    expect(analysis.rootCause.evidence.join(' ')).toMatch(/fail fast at checkout, whose breaker to payment is open/);
    expect(analysis.rootCause.evidence.join(' ')).toMatch(/opened 4 times on 2 instances/);
    expect(analysis.symptoms.map((s) => s.service)).toContain('checkout');
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

  it('follows a timeout against a service that answered down to where that service spent the time', () => {
    // search calls session, session calls documents; documents got slow, search's calls to session time out.
    const analysis = rankRootCauses(
      evidence({
        nodes: [node('search', [300, 30, 1500], [300, 0, 80]), node('session', [300, 0, 1400], [300, 0, 60]), node('documents', [300, 0, 1300], [300, 0, 20])],
        edges: [edge('search', 'session', [300, 30, 1500], [300, 0, 65], { timeouts: 30 }), edge('session', 'documents', [300, 0, 1350], [300, 0, 25])],
        failedTraces: 30,
        origins: [{ ref: { kind: 'service', service: 'session' }, traces: 30, detail: 'timeout' }],
        alerted: ['search', 'session', 'documents'],
      }),
    );
    expect(refKey(analysis.rootCause)).toBe('service:documents');
    expect(analysis.rootCause.evidence.join(' ')).toMatch(/end at documents, below session \(timeout\)/);
  });

  it('does not let a couple of stray failed traces outweigh a clear latency cause', () => {
    const analysis = rankRootCauses(
      evidence({
        nodes: [node('api', [600, 1, 900], [600, 0, 60]), node('profile', [600, 0, 850], [600, 0, 30]), node('billing', [600, 1, 40], [600, 0, 40])],
        edges: [edge('api', 'profile', [600, 0, 860], [600, 0, 35])],
        failedTraces: 1,
        origins: [{ ref: { kind: 'service', service: 'billing' }, traces: 1, detail: 'HTTP 500' }],
        alerted: ['api', 'profile'],
      }),
    );
    expect(refKey(analysis.rootCause)).toBe('service:profile');
  });
});
