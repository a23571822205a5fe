import { describe, expect, it } from 'vitest';
import type { Fault } from '@/lib/sim/rca/faults';
import { highestErrorRate, personalizedPageRank } from './baselines';
import { matchIncidents, nodeMatches, rankOf, sameRef, summarize, type FaultOutcome } from './score';
import type { GraphResult } from '@/lib/schemas/graph';

const fault = (over: Partial<Fault>): Fault => ({ type: 'service_errors', service: 'payment', rate: 0.5, extraMs: 0, startMs: 600_000, endMs: 780_000, ...over });

describe('RCA scoring', () => {
  it('matches a candidate to the truth by what it names; a dependency is the thing depended on', () => {
    expect(sameRef({ kind: 'service', service: 'payment' }, { kind: 'service', service: 'payment' })).toBe(true);
    expect(sameRef({ kind: 'service', service: 'payment' }, { kind: 'edge', source: 'checkout', target: 'payment' })).toBe(false);
    expect(sameRef({ kind: 'edge', source: 'payment', target: 'checkout' }, { kind: 'edge', source: 'checkout', target: 'payment' })).toBe(false);
    expect(sameRef({ kind: 'dependency', service: 'inventory', target: 'orders-db' }, { kind: 'dependency', service: 'checkout', target: 'orders-db' })).toBe(true);
    // Node-level baselines: strictly, a node is never an edge; leniently, either end counts.
    expect(nodeMatches('payment', { kind: 'edge', source: 'checkout', target: 'payment' })).toBe(false);
    expect(nodeMatches('payment', { kind: 'edge', source: 'checkout', target: 'payment' }, true)).toBe(true);
    expect(nodeMatches('orders-db', { kind: 'dependency', service: 'checkout', target: 'orders-db' })).toBe(true);
    expect(nodeMatches('checkout', { kind: 'dependency', service: 'checkout', target: 'orders-db' })).toBe(false);
    expect(nodeMatches('checkout', { kind: 'dependency', service: 'checkout', target: 'orders-db' }, true)).toBe(true);
    expect(rankOf(['a', 'b', 'c'], (x) => x === 'c')).toBe(3);
    expect(rankOf(['a'], (x) => x === 'z')).toBeNull();
  });

  it('computes AC@k and Avg@5 as RCAEval defines them, with incidents per fault and detection delay', () => {
    const outcome = (rank: number | null, incidents: number, delayMs: number | null): FaultOutcome => ({ caseId: 'c', caseType: 'latency', fault: fault({}), incidents, ranks: { m: rank }, delayMs });
    const s = summarize([outcome(1, 1, 5_000), outcome(2, 1, 10_000), outcome(4, 2, 15_000), outcome(null, 0, null)], ['m']);
    expect(s.ac.m).toEqual([0.25, 0.5, 0.5, 0.75, 0.75]);
    expect(s.avg5.m).toBeCloseTo(0.55);
    expect(s.exactlyOneIncident).toBe(0.5);
    expect(s.missed).toBe(1);
    expect(s.delayP50Ms).toBe(10_000);
    expect(s.delayP95Ms).toBe(15_000);
  });

  it('attributes incidents to the running fault whose reach covers them; the rest are spurious', () => {
    const faults = [
      { key: 'a', fault: fault({ service: 'payment' }), reach: new Set(['payment', 'checkout']) },
      { key: 'b', fault: fault({ service: 'reports', startMs: 620_000 }), reach: new Set(['reports', 'admin']) },
    ];
    const { byFault, spurious } = matchIncidents(
      [
        { id: 'i1', openedAt: 605_000, nodes: ['checkout', 'payment'] },
        { id: 'i2', openedAt: 625_000, nodes: ['admin'] },
        { id: 'i3', openedAt: 3_600_000, nodes: ['payment'] },
        { id: 'i4', openedAt: 610_000, nodes: ['elsewhere'] },
      ],
      faults,
    );
    expect(byFault.get('a')!.map((i) => i.id)).toEqual(['i1']);
    expect(byFault.get('b')!.map((i) => i.id)).toEqual(['i2']);
    expect(spurious.map((i) => i.id)).toEqual(['i3', 'i4']);
  });
});

const node = (id: string, kind: 'service' | 'database', requests: number, errorRate: number, p95: number) => ({ id, kind, requests, rps: requests / 60, errorRate, p50: p95 / 2, p95, p99: p95, health: 'ok' as const, reasons: [], instances: 1 });
const edge = (source: string, target: string, errorRate: number, p95: number) => ({ source, target, requests: 100, rps: 1, errorRate, p50: p95 / 2, p95, p99: p95, retryRate: 0, timeoutRate: 0 });
const graph = (nodes: GraphResult['nodes'], edges: GraphResult['edges']): GraphResult => ({ from: '', to: '', slo: { latencyP99Ms: 1000, errorRate: 0.05 }, nodes, edges });

describe('RCA baselines', () => {
  const before = graph(
    [node('web', 'service', 600, 0, 100), node('api', 'service', 600, 0, 80), node('ledger', 'service', 600, 0, 20), node('ledger-db', 'database', 600, 0, 5)],
    [edge('web', 'api', 0, 90), edge('api', 'ledger', 0, 25), edge('ledger', 'ledger-db', 0, 5)],
  );
  // The ledger's database slowed; everything above it got slow and started failing.
  const now = graph(
    [node('web', 'service', 600, 0.3, 2100), node('api', 'service', 600, 0.35, 2000), node('ledger', 'service', 600, 0.2, 1900), node('ledger-db', 'database', 600, 0.2, 1800)],
    [edge('web', 'api', 0.35, 2000), edge('api', 'ledger', 0.2, 1900), edge('ledger', 'ledger-db', 0.2, 1800)],
  );

  it('ranks services by error rate', () => {
    expect(highestErrorRate(now)).toEqual(['api', 'web', 'ledger']);
  });

  it('walks the anomalous subgraph downstream to where the anomaly converges (personalized PageRank)', () => {
    expect(personalizedPageRank(now, before)[0]).toBe('ledger-db');
    expect(personalizedPageRank(before, before)).toEqual([]);
  });
});
