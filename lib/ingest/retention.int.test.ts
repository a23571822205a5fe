// Retention drops whole daily partitions past FAULTLINE_RETENTION_DAYS and keeps the retained range intact.
import { describe, expect, it } from 'vitest';
import { prepareSpans, writeSpanBatch } from '@/lib/db/spans';
import type { SpanRow } from '@/lib/otlp/span-row';
import { getTrace, searchTraces } from '@/lib/traces/queries';
import { maintainSpanPartitions } from './retention';

const DAY_MS = 86_400_000;
const system = { kind: 'system', name: 'test' } as const;
const resource = { serviceName: 'retention-test', attributes: { 'service.name': 'retention-test' }, droppedAttributesCount: 0 };

function span(traceId: string, atMs: number): SpanRow {
  const start = BigInt(atMs) * 1_000_000n;
  return {
    traceId, spanId: '1'.repeat(16), parentSpanId: null, traceState: null, flags: 0, name: 'op', kind: 2,
    startTimeUnixNano: start, endTimeUnixNano: start + 1_000_000n, statusCode: 0, statusMessage: null,
    attributes: {}, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0,
    scopeName: null, scopeVersion: null, resource,
  };
}

describe('span retention', () => {
  it('drops partitions older than the retention and keeps the rest', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const old = span('0'.repeat(31) + '1', now.getTime() - 9 * DAY_MS);
    const kept = span('0'.repeat(31) + '2', now.getTime() - 6 * DAY_MS);
    await writeSpanBatch([prepareSpans([old, kept])]);
    expect((await getTrace({ actor: system, traceId: old.traceId })).spans).toHaveLength(1);

    const { dropped } = await maintainSpanPartitions(now);
    expect(dropped).toEqual(['spans_p20261114']);
    await expect(getTrace({ actor: system, traceId: old.traceId })).rejects.toThrow(/not found/);
    expect((await getTrace({ actor: system, traceId: kept.traceId })).spans).toHaveLength(1);
    const found = await searchTraces({ actor: system, query: { from: new Date(now.getTime() - 10 * DAY_MS).toISOString(), to: now.toISOString(), limit: 10 } });
    expect(found.traces.map((t) => t.traceId)).toEqual([kept.traceId]);
  });
});
