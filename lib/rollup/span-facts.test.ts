import { describe, expect, it } from 'vitest';
import { MAX_RESEND_COUNT, edgesFromPairs, isTimeoutSpan, peerOf, resendOf, rollupInputsOf, type RollupSpan } from './span-facts';

const MINUTE = 60_000n * 1_000_000n;
const T0 = 1_700_000_040_000n * 1_000_000n; // a minute boundary

function span(over: Partial<RollupSpan> & { service?: string }): RollupSpan {
  const { service = 'checkout', ...rest } = over;
  return {
    traceId: 'a'.repeat(32),
    spanId: '1'.repeat(16),
    parentSpanId: null,
    kind: 2,
    statusCode: 0,
    statusMessage: null,
    startTimeUnixNano: T0,
    endTimeUnixNano: T0 + 5_000_000n,
    attributes: {},
    events: [],
    resource: { serviceName: service },
    ...rest,
  };
}

/** Pairs callers and callees the way the worker's SQL does (span id = parent span id, same trace). */
/** Pairs waiting callers with stored callees the way the worker does (callee's parent = caller's span). */
function pairAll(spans: RollupSpan[][]) {
  const inputs = spans.map((batch) => rollupInputsOf(batch));
  const callees = new Map(spans.flat().filter((s) => s.kind === 2 && s.parentSpanId).map((s) => [s.traceId + s.parentSpanId, s.resource.serviceName]));
  const paired = edgesFromPairs(inputs.flatMap((i) => i.candidates).map((caller) => ({ caller, calleeService: callees.get(caller.traceId + caller.spanId) ?? null })));
  return [...inputs.flatMap((i) => i.edges), ...paired];
}

describe('edge pairing', () => {
  const client = span({ kind: 3, spanId: 'c'.repeat(16), parentSpanId: 'r'.repeat(16), attributes: { 'server.address': '10.0.0.7' } });
  const server = span({ kind: 2, service: 'payment', spanId: 's'.repeat(16), parentSpanId: 'c'.repeat(16) });

  it('pairs halves in one batch at once, leaving nothing to wait in the database', () => {
    expect(rollupInputsOf([client, server]).candidates).toEqual([]);
  });

  it('pairs a caller with its callee across batches, in either order', () => {
    for (const batches of [[[client], [server]], [[server], [client]], [[client, server]]]) {
      expect(pairAll(batches)).toMatchObject([{ source: 'checkout', target: 'payment', targetKind: 'service', requests: 1 }]);
    }
  });

  it('names a leaf when the callee never answers (missing server span)', () => {
    expect(pairAll([[client]])).toMatchObject([{ target: '10.0.0.7', targetKind: 'external' }]);
  });

  it('takes the callee from peer.service at once, without waiting to pair', () => {
    const named = span({ kind: 3, attributes: { 'peer.service': 'bank-adapter', 'server.address': 'bank.internal' } });
    const inputs = rollupInputsOf([named]);
    expect(inputs.candidates).toEqual([]);
    expect(inputs.edges).toMatchObject([{ target: 'bank-adapter', targetKind: 'service', requests: 1 }]);
  });

  it('never leaves a callee waiting: the worker finds callees among stored spans', () => {
    expect(rollupInputsOf([server]).candidates).toEqual([]);
    expect(rollupInputsOf([client]).candidates).toMatchObject([{ role: 1, spanId: 'c'.repeat(16) }]);
  });

  it('counts retries and timeouts per attempt', () => {
    const attempts = [0, 1, 2].map((n) =>
      span({ kind: 3, spanId: `${n}`.repeat(16), attributes: { 'peer.service': 'payment', ...(n ? { 'http.request.resend_count': n } : {}) }, statusCode: n < 2 ? 2 : 0, statusMessage: n < 2 ? 'ETIMEDOUT' : null }),
    );
    expect(pairAll([attempts])).toMatchObject([{ requests: 3, retries: 2, timeouts: 2, errors: 2 }]);
  });

  it('puts a late span in the 10 s bucket it started in, not when it arrived', () => {
    const startedNs = T0 - 3n * MINUTE + 17_500_000_000n;
    const late = span({ kind: 2, startTimeUnixNano: startedNs, endTimeUnixNano: startedNs + 1_000_000n });
    expect(rollupInputsOf([late]).services[0]!.bucket).toBe(Number((T0 - 3n * MINUTE) / 1_000_000n) + 10_000);
  });

  it('draws database and cache calls as leaf edges at once, without waiting to pair', () => {
    const inputs = rollupInputsOf([
      span({ kind: 3, attributes: { 'db.system': 'postgresql', 'db.namespace': 'inventory' } }),
      span({ kind: 3, spanId: '2'.repeat(16), attributes: { 'db.system.name': 'redis', 'server.address': 'redis' } }),
    ]);
    expect(inputs.candidates).toEqual([]);
    expect(inputs.edges.map((e) => [e.target, e.targetKind])).toEqual([
      ['postgresql/inventory', 'database'],
      ['redis', 'cache'],
    ]);
  });

  it('tells timeouts from other failures', () => {
    expect(isTimeoutSpan(span({ statusCode: 2, statusMessage: 'Operation timed out after 1500ms' }))).toBe(true);
    expect(isTimeoutSpan(span({ statusCode: 2, attributes: { 'error.type': 'TimeoutError' } }))).toBe(true);
    expect(isTimeoutSpan(span({ statusCode: 2, events: [{ name: 'exception', attributes: { 'exception.message': 'connect ETIMEDOUT' } }] }))).toBe(true);
    expect(isTimeoutSpan(span({ statusCode: 2, statusMessage: 'ECONNREFUSED' }))).toBe(false);
    expect(isTimeoutSpan(span({ statusCode: 0, statusMessage: 'timeout' }))).toBe(false);
    expect(peerOf(span({ kind: 3 })).peer).toBe('unknown');
  });
});

describe('http.request.resend_count', () => {
  const resend = (value: unknown) => resendOf({ attributes: value === undefined ? {} : { 'http.request.resend_count': value as never } });

  it('reads whole numbers, numeric strings and fractions rounded down', () => {
    expect(resend(2)).toBe(2);
    expect(resend('3')).toBe(3);
    expect(resend(' 4 ')).toBe(4);
    expect(resend(1.9)).toBe(1);
    expect(resend('2.5')).toBe(2);
  });

  it('caps absurd counts well inside a PostgreSQL integer', () => {
    expect(MAX_RESEND_COUNT).toBeLessThan(2 ** 31);
    for (const huge of [3_000_000_000, '3000000000', '1e12', 1e300, Number.MAX_VALUE, '9223372036854775807', '18446744073709551616']) {
      expect(resend(huge), String(huge)).toBe(MAX_RESEND_COUNT);
    }
  });

  it('reads anything else as no resend', () => {
    for (const other of [undefined, null, 0, -1, -1e300, 0.5, '', ' ', 'abc', '0x10', '-5', 'NaN', 'Infinity', '-Infinity', NaN, Infinity, true, [3], { n: 3 }]) {
      expect(resend(other), String(other)).toBe(0);
    }
  });

  it('counts a capped resend as one retry of the edge', () => {
    const caller = span({ kind: 3, attributes: { 'peer.service': 'payment', 'http.request.resend_count': '1e12' } });
    const [edge] = rollupInputsOf([caller]).edges;
    expect(edge).toMatchObject({ target: 'payment', requests: 1, retries: 1 });
    const waiting = span({ kind: 3, attributes: { 'http.request.resend_count': 3_000_000_000 } });
    expect(rollupInputsOf([waiting]).candidates).toMatchObject([{ resend: MAX_RESEND_COUNT }]);
  });
});
