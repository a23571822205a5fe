import { describe, expect, it } from 'vitest';
import type { BreakerEventRow } from '@/lib/db/breaker-events';
import { deriveBreakerEdges } from './state';

const range = { from: new Date('2026-11-23T10:00:00Z'), to: new Date('2026-11-23T11:00:00Z') };

function event(to: BreakerEventRow['to'], at: string, over: Partial<BreakerEventRow> = {}): BreakerEventRow {
  return { service: 'checkout', instance: 'a', breaker: 'payment-cb', dependency: 'payment', to, at: new Date(at), failureRate: null, reason: null, ...over };
}

describe('deriveBreakerEdges', () => {
  it('starts the bands at the range start with the state carried in from before it', () => {
    const [edge] = deriveBreakerEdges(
      [event('open', '2026-11-23T09:50:00Z'), event('half_open', '2026-11-23T10:10:00Z'), event('closed', '2026-11-23T10:10:05Z')],
      range,
    );
    expect(edge!.breakers[0]!.segments).toEqual([
      { state: 'open', from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T10:10:00.000Z' },
      { state: 'half_open', from: '2026-11-23T10:10:00.000Z', to: '2026-11-23T10:10:05.000Z' },
      { state: 'closed', from: '2026-11-23T10:10:05.000Z', to: null },
    ]);
    expect(edge).toMatchObject({ state: 'closed', since: '2026-11-23T10:10:05.000Z', openForMs: null, openInstances: 0, instances: 1 });
  });

  it('reports how long an edge has been open, from the real opening time even before the range', () => {
    const [edge] = deriveBreakerEdges([event('open', '2026-11-23T09:30:00Z', { reason: 'timeouts' })], range);
    expect(edge).toMatchObject({ state: 'open', since: '2026-11-23T09:30:00.000Z', openForMs: 90 * 60_000 });
    expect(edge!.breakers[0]).toMatchObject({ reason: 'timeouts', segments: [{ state: 'open', from: '2026-11-23T10:00:00.000Z', to: null }] });
  });

  it('merges repeated reports of the same state into one band and keeps the first time as "since"', () => {
    const [edge] = deriveBreakerEdges([event('open', '2026-11-23T10:05:00Z'), event('open', '2026-11-23T10:06:00Z')], range);
    expect(edge!.breakers[0]!.segments).toHaveLength(1);
    expect(edge!.since).toBe('2026-11-23T10:05:00.000Z');
  });

  it('takes the worst state of an edge across instances and counts the open ones', () => {
    const edges = deriveBreakerEdges(
      [
        event('open', '2026-11-23T10:20:00Z', { instance: 'a' }),
        event('closed', '2026-11-23T10:00:00Z', { instance: 'b' }),
        event('half_open', '2026-11-23T10:30:00Z', { instance: 'c' }),
        event('open', '2026-11-23T10:25:00Z', { instance: 'd' }),
        event('closed', '2026-11-23T10:00:00Z', { service: 'cart', dependency: 'redis', breaker: 'redis-cb' }),
      ],
      range,
    );
    const payment = edges.find((e) => e.dependency === 'payment')!;
    expect(payment).toMatchObject({ state: 'open', since: '2026-11-23T10:20:00.000Z', openInstances: 2, instances: 4 });
    expect(edges.find((e) => e.dependency === 'redis')).toMatchObject({ service: 'cart', state: 'closed', openInstances: 0 });
  });

  it('treats forced_open as open and disabled as harmless', () => {
    const [edge] = deriveBreakerEdges(
      [event('forced_open', '2026-11-23T10:40:00Z', { instance: 'a' }), event('disabled', '2026-11-23T10:00:00Z', { instance: 'b' })],
      range,
    );
    expect(edge).toMatchObject({ state: 'forced_open', openInstances: 1, openForMs: 20 * 60_000 });
  });

  it('counts a breaker cycling through half-open and back to open as open since it first opened', () => {
    const [edge] = deriveBreakerEdges(
      [event('open', '2026-11-23T10:00:00Z'), event('half_open', '2026-11-23T10:00:10Z'), event('open', '2026-11-23T10:00:12Z'), event('half_open', '2026-11-23T10:00:22Z')],
      range,
    );
    expect(edge).toMatchObject({ state: 'half_open', openForMs: 60 * 60_000 });
    const [closed] = deriveBreakerEdges([event('open', '2026-11-23T10:00:00Z'), event('half_open', '2026-11-23T10:00:10Z'), event('closed', '2026-11-23T10:00:11Z')], range);
    expect(closed).toMatchObject({ state: 'closed', openForMs: null });
  });
});
