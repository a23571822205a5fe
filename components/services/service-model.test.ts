import { describe, expect, it } from 'vitest';
import type { BreakerResult } from '@/lib/schemas/breakers';
import type { ProbeResultDto, ProbeSummaryResult } from '@/lib/schemas/probes';
import {
  bucketHistory,
  buildLatencyChart,
  describeCounts,
  formatElapsed,
  formatRatio,
  groupResultsByCheck,
  layoutBands,
  mergeServiceRows,
  niceCeiling,
  parseTimeRange,
} from './service-model';

const RANGE = { from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T11:00:00.000Z' };
const at = (minutes: number) => new Date(Date.parse(RANGE.from) + minutes * 60_000).toISOString();

function result(over: Partial<ProbeResultDto>): ProbeResultDto {
  return {
    service: 'checkout',
    target: 'ready',
    kind: 'readiness',
    status: 'pass',
    latencyMs: 10,
    checkedAt: at(0),
    message: null,
    dependency: null,
    observedValue: null,
    source: 'active',
    ...over,
  };
}

describe('parseTimeRange', () => {
  it('accepts the offered ranges and falls back to an hour for anything else', () => {
    expect(parseTimeRange('15m')).toBe('15m');
    expect(parseTimeRange(['24h', '1h'])).toBe('24h');
    expect(parseTimeRange(undefined)).toBe('1h');
    expect(parseTimeRange('7d')).toBe('1h');
    expect(parseTimeRange('toString')).toBe('1h');
  });
});

describe('mergeServiceRows', () => {
  it('unites probed, breaker-reporting and traced services, sorted by name', () => {
    const probes: ProbeSummaryResult = {
      ...RANGE,
      services: [{ service: 'checkout', status: 'fail', lastChangeAt: at(5), passRatio: 0.5, checks: [] }],
    };
    const breakers: BreakerResult = {
      ...RANGE,
      edges: [
        { service: 'cart', dependency: 'redis', state: 'open', since: at(1), openForMs: 1000, openInstances: 2, instances: 3, breakers: [] },
        { service: 'cart', dependency: 'pricing', state: 'closed', since: at(1), openForMs: null, openInstances: 0, instances: 1, breakers: [] },
      ],
    };
    expect(mergeServiceRows(probes, breakers, ['web', 'checkout'])).toEqual([
      { name: 'cart', status: 'unknown', passRatio: null, lastChangeAt: null, checks: 0, openBreakers: 2, breakers: 4 },
      { name: 'checkout', status: 'fail', passRatio: 0.5, lastChangeAt: at(5), checks: 0, openBreakers: 0, breakers: 0 },
      { name: 'web', status: 'unknown', passRatio: null, lastChangeAt: null, checks: 0, openBreakers: 0, breakers: 0 },
    ]);
  });

  it('lists what it has while a source is still loading', () => {
    expect(mergeServiceRows(undefined, undefined, ['web']).map((r) => r.name)).toEqual(['web']);
  });
});

describe('groupResultsByCheck', () => {
  it('groups by target, kind and dependency, oldest first', () => {
    const groups = groupResultsByCheck([
      result({ checkedAt: at(2) }),
      result({ checkedAt: at(1), dependency: 'postgres' }),
      result({ checkedAt: at(1) }),
    ]);
    expect([...groups.values()].map((list) => list.map((r) => r.checkedAt))).toEqual([[at(1), at(2)], [at(1)]]);
  });
});

describe('bucketHistory', () => {
  it('shows the worst result of each slot and leaves slots without results empty', () => {
    const slots = bucketHistory(
      [result({ checkedAt: at(0) }), result({ checkedAt: at(1), status: 'fail' }), result({ checkedAt: at(59.9), status: 'warn' }), result({ checkedAt: at(61) })],
      RANGE,
      6,
    );
    expect(slots.map((s) => s.status)).toEqual(['fail', null, null, null, null, 'warn']);
    expect(slots[0]!.counts).toEqual({ pass: 1, warn: 0, fail: 1 });
  });

  it('puts a result at the very end of the range in the last slot', () => {
    expect(bucketHistory([result({ checkedAt: RANGE.to })], RANGE, 4).map((s) => s.status)).toEqual([null, null, null, 'pass']);
  });
});

describe('describeCounts', () => {
  it('names only the statuses that occurred', () => {
    expect(describeCounts({ pass: 3, warn: 0, fail: 1 })).toBe('4 results: 3 pass, 1 fail');
    expect(describeCounts({ pass: 1, warn: 0, fail: 0 })).toBe('1 result: 1 pass');
    expect(describeCounts({ pass: 0, warn: 0, fail: 0 })).toBe('no results');
  });
});

describe('buildLatencyChart', () => {
  it('places measured results across the range on a round axis', () => {
    const chart = buildLatencyChart([result({ checkedAt: at(30), latencyMs: 40 }), result({ checkedAt: at(0), latencyMs: 80 }), result({ latencyMs: null })], RANGE)!;
    expect(chart.points).toEqual([
      { t: Date.parse(at(0)), ms: 80 },
      { t: Date.parse(at(30)), ms: 40 },
    ]);
    expect(chart).toMatchObject({ axisMaxMs: 100, medianMs: 40, maxMs: 80 });
  });

  it('draws a lone result as a dot and nothing without measurements', () => {
    expect(buildLatencyChart([result({ checkedAt: at(60), latencyMs: 5 })], RANGE)!.points).toHaveLength(1);
    expect(buildLatencyChart([result({ latencyMs: null })], RANGE)).toBeNull();
  });
});

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 7, 12, 180, 200, 501].map(niceCeiling)).toEqual([1, 0.5, 10, 20, 200, 200, 1000]);
  });
});

describe('layoutBands', () => {
  it('clips segments to the range and runs an ongoing one to its end', () => {
    const bands = layoutBands(
      [
        { state: 'closed', from: RANGE.from, to: at(15) },
        { state: 'open', from: at(15), to: at(45) },
        { state: 'half_open', from: at(45), to: null },
      ],
      RANGE,
    );
    expect(bands.map(({ state, left, width, isOngoing }) => ({ state, left, width, isOngoing }))).toEqual([
      { state: 'closed', left: 0, width: 25, isOngoing: false },
      { state: 'open', left: 25, width: 50, isOngoing: false },
      { state: 'half_open', left: 75, width: 25, isOngoing: true },
    ]);
  });
});

describe('formatting', () => {
  it('formats elapsed time to the unit that matters', () => {
    expect([0, 45_000, 192_000, 2 * 3_600_000 + 5 * 60_000, 76 * 3_600_000].map(formatElapsed)).toEqual(['0s', '45s', '3m 12s', '2h 05m', '3d 4h']);
  });

  it('never rounds a failure up to 100%', () => {
    expect([1, 0.9999, 0.57, 0].map(formatRatio)).toEqual(['100%', '99.9%', '57%', '0%']);
  });
});
