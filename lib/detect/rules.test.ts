import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type RuleConfig } from '@/lib/schemas/alerts';
import { evaluateRules, type DetectionSnapshot, type ServiceWindow } from './rules';

const at = new Date('2026-11-23T10:00:00Z');
/** The same minute seen by every windowed rule. */
const recent = (requests: number, errors: number, p99: number | null) => ({
  errors: { requests, errors, seconds: 60 },
  latency: { requests, p99 },
  traffic: { requests, errors, seconds: 60 },
});
const quietService = (over: Partial<ServiceWindow> = {}): ServiceWindow => ({
  service: 'checkout',
  ...recent(100, 0, 50),
  burnShort: { requests: 500, errors: 0, seconds: 300 },
  burnLong: { requests: 6000, errors: 0, seconds: 3600 },
  baselineRps: 1.6,
  ...over,
});
const snapshot = (over: Partial<DetectionSnapshot> = {}): DetectionSnapshot => ({ at, services: [quietService()], edges: [], probes: [], breakers: [], ...over });
const rules = (over: Partial<RuleConfig> = {}): RuleConfig => ({ ...DEFAULT_RULES, ...over });
const kinds = (s: DetectionSnapshot, r = rules()) => evaluateRules(s, r).map((x) => `${x.rule} ${x.fingerprint.split('|')[1]}`);

describe('built-in rules', () => {
  it('raise nothing on a healthy snapshot', () => {
    expect(evaluateRules(snapshot(), rules())).toEqual([]);
  });

  it('error rate: fires at the threshold, not below it, and not on too few requests', () => {
    expect(kinds(snapshot({ services: [quietService({ ...recent(100, 5, 50) })] }))).toEqual(['error_rate service:checkout']);
    expect(kinds(snapshot({ services: [quietService({ ...recent(100, 4, 50) })] }))).toEqual([]);
    expect(kinds(snapshot({ services: [quietService({ ...recent(9, 9, 50), baselineRps: null })] }))).toEqual([]);
    const [edge] = evaluateRules(snapshot({ edges: [{ source: 'checkout', target: 'payment', errors: { requests: 20, errors: 20, seconds: 60 }, attempts: { requests: 20, retries: 0 }, lagP95: null }] }), rules());
    expect(edge).toMatchObject({ rule: 'error_rate', entity: { type: 'edge', source: 'checkout', target: 'payment' }, observed: 1, threshold: 0.05, severity: 'critical' });
    expect(edge!.summary).toBe('checkout → payment: 100% of 20 calls failed in 1 min (threshold 5.0%)');
  });

  it('latency: fires above the SLO only', () => {
    expect(kinds(snapshot({ services: [quietService({ ...recent(100, 0, 1001) })] }))).toEqual(['latency_p99 service:checkout']);
    expect(kinds(snapshot({ services: [quietService({ ...recent(100, 0, 1000) })] }))).toEqual([]);
  });

  it('burn rate: needs both windows burning at the factor', () => {
    const budget = 1 - DEFAULT_RULES.burn_rate.objective; // 0.1% errors allowed
    const burning = (shortRate: number, longRate: number) =>
      quietService({ burnShort: { requests: 1000, errors: Math.round(1000 * shortRate), seconds: 300 }, burnLong: { requests: 10_000, errors: Math.round(10_000 * longRate), seconds: 3600 } });
    expect(kinds(snapshot({ services: [burning(budget * 15, budget * 15)] }))).toEqual(['burn_rate service:checkout']);
    expect(kinds(snapshot({ services: [burning(budget * 15, budget * 10)] }))).toEqual([]); // a past blip
    expect(kinds(snapshot({ services: [burning(budget * 10, budget * 15)] }))).toEqual([]); // already over
  });

  it('traffic drop: fires when requests fall below the share of the baseline', () => {
    expect(kinds(snapshot({ services: [quietService({ ...recent(20, 0, 50), baselineRps: 1.6 })] }))).toEqual(['traffic_drop service:checkout']);
    expect(kinds(snapshot({ services: [quietService({ ...recent(40, 0, 50), baselineRps: 1.6 })] }))).toEqual([]);
    // A quiet service has no baseline worth comparing with.
    expect(kinds(snapshot({ services: [quietService({ ...recent(0, 0, null), baselineRps: 0.1 })] }))).toEqual([]);
  });

  it('retry amplification and queue lag on edges', () => {
    const edge = (retries: number, lagP95: number | null) => ({ source: 'a', target: 'b', errors: { requests: 30, errors: 0, seconds: 60 }, attempts: { requests: 30, retries }, lagP95 });
    expect(kinds(snapshot({ edges: [edge(10, null)] }))).toEqual(['retry_amplification edge:a->b']); // 30 attempts for 20 calls = 1.5
    expect(kinds(snapshot({ edges: [edge(9, null)] }))).toEqual([]);
    expect(kinds(snapshot({ edges: [edge(0, 10_001)] }))).toEqual(['queue_lag edge:a->b']);
    expect(kinds(snapshot({ edges: [edge(0, 10_000)] }))).toEqual([]);
    // Growing: the second half of the window at 3× the first, once above the floor.
    const trend = (firstHalfP95: number, secondHalfP95: number) => ({ ...edge(0, secondHalfP95), lagTrend: { firstHalfP95, secondHalfP95 } });
    const [growing] = evaluateRules(snapshot({ edges: [trend(800, 2_400)] }), rules());
    expect(growing).toMatchObject({ rule: 'queue_lag', observed: 2_400, threshold: 2_400 });
    expect(growing!.summary).toBe('a → b: publish→process lag growing, p95 800 → 2400 ms within 1 min (alert at 3× once above 2000 ms)');
    expect(kinds(snapshot({ edges: [trend(800, 2_300)] }))).toEqual([]); // not 3×
    expect(kinds(snapshot({ edges: [trend(500, 1_900)] }))).toEqual([]); // 3.8× but under the floor
  });

  it('probes failing in a row and breakers open too long', () => {
    expect(kinds(snapshot({ probes: [{ service: 'inventory', target: 'postgres', consecutiveFailures: 3, lastMessage: 'pool exhausted' }] }))).toEqual(['probe_failing dependency:inventory->postgres']);
    expect(kinds(snapshot({ probes: [{ service: 'inventory', target: 'postgres', consecutiveFailures: 2, lastMessage: null }] }))).toEqual([]);
    expect(kinds(snapshot({ breakers: [{ service: 'checkout', dependency: 'payment', open: true, openForMs: 10_000 }] }))).toEqual(['breaker_open dependency:checkout->payment']);
    expect(kinds(snapshot({ breakers: [{ service: 'checkout', dependency: 'payment', open: true, openForMs: 9_999 }] }))).toEqual([]);
  });

  it('respects disabled rules', () => {
    const failing = snapshot({ services: [quietService({ ...recent(100, 50, 50) })] });
    expect(kinds(failing, rules({ error_rate: { ...DEFAULT_RULES.error_rate, enabled: false } }))).toEqual([]);
  });
});
