import { describe, expect, it } from 'vitest';
import type { FineServiceRow } from '@/lib/db/detection';
import { emptyHistogram } from '@/lib/rollup/histogram';
import { DEFAULT_RULES } from '@/lib/schemas/alerts';
import { episodesOf } from './engine';
import type { Signal } from './rules';
import { snapshotAt, type DetectionInputs } from './snapshot';

const T = Date.UTC(2026, 10, 23, 10, 0, 0);
const row = (offsetS: number, requests: number, errors: number): FineServiceRow => ({ bucket: T + offsetS * 1000, service: 'api', requests, errors, hist: emptyHistogram() });
const inputs = (rows: FineServiceRow[], minutes: DetectionInputs['minutes'] = new Map()): DetectionInputs => ({
  services: new Map([['api', rows]]),
  edges: new Map(),
  minutes,
  probes: new Map(),
  breakerEvents: [],
});

describe('snapshotAt', () => {
  it('counts the buckets that started inside the window, the current partial one included', () => {
    const rows = [row(-80, 10, 10), row(-70, 10, 0), row(-60, 10, 0), row(-10, 10, 0), row(0, 4, 4), row(10, 50, 50)];
    const api = snapshotAt(inputs(rows), new Date(T + 5_000), DEFAULT_RULES).services[0]!;
    // [T−60 s, T+5 s): the buckets at −60, −10 and the one at 0 that is still filling; not −70, not +10.
    expect(api.errors).toEqual({ requests: 24, errors: 4, seconds: 65 });
  });

  it('takes the baseline from whole minutes before the traffic window', () => {
    const minutes = new Map([['api', Array.from({ length: 20 }, (_, i) => ({ minute: T - (20 - i) * 60_000, service: 'api', requests: i < 18 ? 120 : 0, errors: 0 }))]]);
    const api = snapshotAt(inputs([row(-10, 2, 0)], minutes), new Date(T), DEFAULT_RULES).services[0]!;
    // Window [T−60 s, T); baseline = the 15 minutes before T−60 s: 14 at 2/s and one empty one.
    expect(api.baselineRps).toBeCloseTo((14 * 120) / 900);
    expect(api.traffic.requests).toBe(2);
  });

  it('still evaluates a service that went silent', () => {
    const minutes = new Map([['api', [{ minute: T - 300_000, service: 'api', requests: 600, errors: 0 }]]]);
    expect(snapshotAt(inputs([], minutes), new Date(T), DEFAULT_RULES).services.map((s) => s.service)).toEqual(['api']);
  });
});

const sig = (fingerprint: string, observed: number): Signal => ({ fingerprint, rule: 'error_rate', entity: { type: 'service', service: fingerprint }, severity: 'critical', observed, threshold: 0.05, windowMs: 60_000, summary: fingerprint });

describe('episodesOf', () => {
  it('turns ticks into episodes with start, last seen, resolution after the hold-down and the peak', () => {
    const ticks = [0, 5, 10, 15, 20, 25, 30, 35, 40].map((s) => ({
      at: new Date(T + s * 1000),
      signals: s >= 5 && s <= 15 ? [sig('a', s / 100)] : s === 25 ? [sig('a', 0.5)] : [],
    }));
    const [episode, ...rest] = episodesOf(ticks, 10_000);
    expect(rest).toEqual([]);
    // The blip at 25 s falls inside the hold-down: one episode, resolved 10 s after it.
    expect(episode).toMatchObject({ startedAt: new Date(T + 5_000), lastSeenAt: new Date(T + 25_000), resolvedAt: new Date(T + 35_000), peak: 0.5 });
  });
});
