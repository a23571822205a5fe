import { describe, expect, it } from 'vitest';
import type { SpanDto } from '@/lib/schemas/traces';
import { SERVICE_COLORS, buildWaterfall, eventOffsetMs, formatDuration, serviceColorIndex, timeTicks, visibleRows } from './waterfall';

// Above 2^53: a Number could not tell these nanoseconds apart.
const T0 = 1_763_892_000_123_456_789n;

function span(spanId: string, parentSpanId: string | null, startOffsetNs: bigint, durationNs: number, extra: Partial<SpanDto> = {}): SpanDto {
  const startNs = T0 + startOffsetNs;
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId,
    parentSpanId,
    name: `op-${spanId}`,
    kind: 'internal',
    service: 'checkout',
    startTime: new Date(Number(startNs / 1_000_000n)).toISOString(),
    startTimeUnixNano: startNs.toString(),
    durationMs: durationNs / 1e6,
    statusCode: 'unset',
    statusMessage: null,
    attributes: {},
    resource: {},
    events: [],
    links: [],
    scope: { name: null, version: null },
    ...extra,
  };
}

const order = (spans: SpanDto[]) => buildWaterfall(spans).rows.map((r) => `${r.span.spanId}@${r.depth}`);

describe('buildWaterfall', () => {
  it('lists spans depth-first, children by start time whatever order they arrive in', () => {
    const spans = [
      span('c2', 'root', 500n, 100),
      span('g1', 'c1', 150n, 10),
      span('root', null, 0n, 1000),
      span('c1', 'root', 100n, 300),
    ];
    expect(order(spans)).toEqual(['root@0', 'c1@1', 'g1@2', 'c2@1']);
    const model = buildWaterfall(spans);
    expect(model.rows.map((r) => r.hasChildren)).toEqual([true, true, false, false]);
    expect(model.root?.spanId).toBe('root');
    expect(model.depth).toBe(3);
    expect(model.spanCount).toBe(4);
  });

  it('shows spans whose parent is missing at depth 0, flagged, with their own subtree', () => {
    const spans = [span('root', null, 0n, 1000), span('lost', 'gone', 200n, 100), span('kid', 'lost', 250n, 10), span('early', 'gone', 50n, 10)];
    const model = buildWaterfall(spans);
    expect(order(spans)).toEqual(['root@0', 'early@0', 'lost@0', 'kid@1']);
    expect(model.rows.map((r) => r.hasMissingParent)).toEqual([false, true, true, false]);
  });

  it('has no root while the root span is missing, and still draws spans caught in a parent cycle', () => {
    const model = buildWaterfall([span('a', 'b', 0n, 10), span('b', 'a', 5n, 10), span('x', 'nowhere', 20n, 10)]);
    expect(model.root).toBeNull();
    expect(model.rows.map((r) => r.span.spanId).sort()).toEqual(['a', 'b', 'x']);
    expect(model.rows.filter((r) => r.depth === 0).every((r) => r.hasMissingParent)).toBe(true);
  });

  it('draws each span once even when the trace repeats a span id', () => {
    const model = buildWaterfall([span('root', null, 0n, 100), span('dup', 'root', 10n, 10), span('dup', 'root', 20n, 10), span('leaf', 'dup', 30n, 5)]);
    expect(model.rows).toHaveLength(4);
    expect(new Set(model.rows.map((r) => r.key)).size).toBe(4);
  });

  it('computes offsets and widths exactly from nanosecond starts', () => {
    const model = buildWaterfall([span('root', null, 0n, 1000), span('a', 'root', 1n, 1), span('b', 'root', 250n, 750)]);
    const [root, a, b] = model.rows;
    expect(root).toMatchObject({ offset: 0, width: 1, startOffsetMs: 0 });
    expect(a).toMatchObject({ offset: 0.001, width: 0.001, startOffsetMs: 0.000001 });
    expect(b).toMatchObject({ offset: 0.25, width: 0.75 });
    expect(model.durationMs).toBe(0.001);
    expect(model.startTimeUnixNano).toBe(T0.toString());
  });

  it('spans the whole trace when a child outlives its parent or starts before it', () => {
    const model = buildWaterfall([span('root', null, 100n, 100), span('late', 'root', 150n, 250), span('early', 'root', 0n, 50)]);
    expect(model.durationMs).toBe(0.0004);
    expect(model.startTimeUnixNano).toBe(T0.toString());
    expect(model.rows.map((r) => [r.span.spanId, r.offset, r.width])).toEqual([
      ['root', 0.25, 0.25],
      ['early', 0, 0.125],
      ['late', 0.375, 0.625],
    ]);
  });

  it('handles a zero-duration trace and an empty one without dividing by zero', () => {
    const model = buildWaterfall([span('root', null, 0n, 0), span('kid', 'root', 0n, 0)]);
    expect(model.durationMs).toBe(0);
    expect(model.rows.map((r) => [r.offset, r.width])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(model.ticks).toEqual([{ ms: 0, fraction: 0, label: '0ms' }]);

    const empty = buildWaterfall([]);
    expect(empty).toMatchObject({ rows: [], root: null, durationMs: 0, depth: 0, spanCount: 0, errorCount: 0 });
  });

  it('counts errors and spans per service, in order of first appearance', () => {
    const model = buildWaterfall([
      span('root', null, 0n, 1000, { service: 'gateway' }),
      span('a', 'root', 10n, 100, { service: 'payments', statusCode: 'error' }),
      span('b', 'root', 20n, 100, { service: 'gateway', statusCode: 'ok' }),
      span('c', 'a', 30n, 10, { service: 'payments', statusCode: 'error' }),
    ]);
    expect(model.errorCount).toBe(2);
    expect(model.rows.map((r) => r.isError)).toEqual([false, true, true, false]);
    expect(model.services).toEqual([
      { name: 'gateway', spanCount: 2, errorCount: 0, colorIndex: serviceColorIndex('gateway') },
      { name: 'payments', spanCount: 2, errorCount: 2, colorIndex: serviceColorIndex('payments') },
    ]);
  });

  it('gives a service the same colour in every trace, whatever else the trace holds', () => {
    const one = buildWaterfall([span('r', null, 0n, 10, { service: 'payments' }), span('k', 'r', 1n, 1, { service: 'gateway' })]);
    const two = buildWaterfall([span('r', null, 0n, 10, { service: 'gateway' }), span('k', 'r', 1n, 1, { service: 'inventory' })]);
    const colourOf = (m: typeof one, service: string) => m.rows.find((r) => r.span.service === service)?.colorIndex;
    expect(colourOf(one, 'gateway')).toBe(colourOf(two, 'gateway'));
    expect(serviceColorIndex('payments')).toBe(serviceColorIndex('payments'));
    const indices = ['a', 'b', 'gateway', 'checkout', 'payments-service-with-a-long-name', 'µ-svc'].map(serviceColorIndex);
    for (const i of indices) expect(i >= 0 && i < SERVICE_COLORS.length && Number.isInteger(i)).toBe(true);
    // Not everything in one colour.
    expect(new Set(['api-1', 'api-2', 'api-3', 'api-4', 'api-5'].map(serviceColorIndex)).size).toBeGreaterThan(1);
  });
});

describe('visibleRows', () => {
  it('hides the descendants of collapsed rows and nothing else', () => {
    const { rows } = buildWaterfall([
      span('root', null, 0n, 1000),
      span('c1', 'root', 100n, 300),
      span('g1', 'c1', 150n, 10),
      span('g2', 'c1', 160n, 10),
      span('c2', 'root', 500n, 100),
    ]);
    const ids = (collapsed: string[]) => visibleRows(rows, new Set(collapsed)).map((r) => r.span.spanId);
    expect(ids([])).toEqual(['root', 'c1', 'g1', 'g2', 'c2']);
    expect(ids(['c1'])).toEqual(['root', 'c1', 'c2']);
    expect(ids(['root'])).toEqual(['root']);
    expect(ids(['g1'])).toEqual(['root', 'c1', 'g1', 'g2', 'c2']);
  });
});

describe('timeTicks', () => {
  it('picks round steps, at most five ticks, never past the end', () => {
    expect(timeTicks(1000).map((t) => t.ms)).toEqual([0, 250, 500, 750, 1000]);
    expect(timeTicks(1001).map((t) => t.ms)).toEqual([0, 250, 500, 750, 1000]);
    expect(timeTicks(900).map((t) => t.ms)).toEqual([0, 200, 400, 600, 800]);
    expect(timeTicks(37).map((t) => t.ms)).toEqual([0, 10, 20, 30]);
    expect(timeTicks(0.3).map((t) => t.ms)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(timeTicks(12_345).map((t) => t.ms)).toEqual([0, 2500, 5000, 7500, 10_000]);
  });

  it('places ticks as fractions of the duration with readable labels', () => {
    expect(timeTicks(1000)).toEqual([
      { ms: 0, fraction: 0, label: '0ms' },
      { ms: 250, fraction: 0.25, label: '250ms' },
      { ms: 500, fraction: 0.5, label: '500ms' },
      { ms: 750, fraction: 0.75, label: '750ms' },
      { ms: 1000, fraction: 1, label: '1.00s' },
    ]);
  });
});

describe('formatDuration', () => {
  it('uses µs, ms, s and minutes with three significant digits', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(0.00042)).toBe('420ns');
    expect(formatDuration(0.85)).toBe('850µs');
    expect(formatDuration(12.34)).toBe('12.3ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1.5)).toBe('1.50ms');
    expect(formatDuration(1200)).toBe('1.20s');
    expect(formatDuration(125_000)).toBe('2m 05s');
  });

  it('moves to the next unit when rounding reaches it', () => {
    expect(formatDuration(0.99996)).toBe('1.00ms');
    expect(formatDuration(999.7)).toBe('1.00s');
    expect(formatDuration(59_990)).toBe('1m 00s');
  });
});

describe('eventOffsetMs', () => {
  it('measures from the span start to the nanosecond', () => {
    const s = span('root', null, 0n, 1000);
    const at = (offsetNs: bigint) => ({ timeUnixNano: (T0 + offsetNs).toString(), time: s.startTime });
    expect(eventOffsetMs(s, at(1n))).toBe(0.000001);
    expect(eventOffsetMs(s, at(2_500_000n))).toBe(2.5);
  });
});
