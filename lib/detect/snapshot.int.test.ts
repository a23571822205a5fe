// Detection inputs from the real stores: spans written through the ingest write path (so the
// rollups are the live ones), probe results and breaker transitions, evaluated by the rules.
import { describe, expect, it } from 'vitest';
import { insertBreakerEvents } from '@/lib/db/breaker-events';
import { insertProbeResults } from '@/lib/db/probe-results';
import type { SpanRow } from '@/lib/otlp/span-row';
import { DEFAULT_RULES } from '@/lib/schemas/alerts';
import { evaluateRules } from './rules';
import { buildSnapshot } from './snapshot';
import { call, writeSpans } from './test-spans';

describe('detection snapshot', () => {
  it('turns rollups, probes and breakers into the signals the rules expect', async () => {
    const at = new Date();
    const spans: SpanRow[] = [];
    // The last half minute: checkout → payment fails half the time; cart is healthy.
    for (let i = 0; i < 40; i++) spans.push(...call('checkout', 'payment', at.getTime() - 30_000 + i * 500, i % 2 === 0));
    for (let i = 0; i < 40; i++) spans.push(...call('checkout', 'cart', at.getTime() - 30_000 + i * 500, false));
    await writeSpans(spans);
    await insertProbeResults(
      [3, 2, 1].map((ago) => ({
        service: 'inventory',
        target: 'postgres:connections',
        kind: 'dependency' as const,
        status: 'fail' as const,
        latencyMs: null,
        checkedAt: new Date(at.getTime() - ago * 10_000),
        message: 'pool exhausted',
        dependency: 'postgres',
        observedValue: null,
        source: 'push' as const,
        probeTargetId: null,
      })),
    );
    await insertBreakerEvents([
      { service: 'checkout', instance: 'c-1', breaker: 'payment', dependency: 'payment', from: 'closed', to: 'open', at: new Date(at.getTime() - 60_000), failureRate: 50, slowCallRate: null, reason: 'upstream 503', source: 'api' },
    ]);

    const snapshot = await buildSnapshot(at, DEFAULT_RULES);
    expect(snapshot.services.find((s) => s.service === 'payment')!.errors).toMatchObject({ requests: 40, errors: 20 });
    expect(snapshot.edges.find((e) => e.source === 'checkout' && e.target === 'payment')!.errors).toMatchObject({ requests: 40, errors: 20 });
    expect(snapshot.probes).toEqual([{ service: 'inventory', target: 'postgres:connections', consecutiveFailures: 3, lastMessage: 'pool exhausted' }]);
    expect(snapshot.breakers).toMatchObject([{ service: 'checkout', dependency: 'payment', open: true }]);

    const fired = evaluateRules(snapshot, DEFAULT_RULES).map((s) => s.fingerprint);
    expect(fired).toEqual([
      'breaker_open|dependency:checkout->payment',
      'error_rate|edge:checkout->payment',
      'error_rate|service:payment',
      'probe_failing|dependency:inventory->postgres:connections',
    ]);
  });
});
