import { describe, expect, it } from 'vitest';
import { HealthDocument } from '@/lib/schemas/probes';
import { healthDocumentToResults } from './health-document';

const ctx = { service: 'inventory', target: 'health', checkedAt: new Date('2026-11-23T10:00:00Z'), latencyMs: 12, source: 'push' as const, probeTargetId: null };

describe('health+json documents as probe results', () => {
  it('turns each check into a dependency result and the document into the service result', () => {
    const doc = HealthDocument.parse({
      status: 'fail',
      checks: {
        'postgres:connections': [{ componentId: 'pg-1', status: 'fail', observedValue: 100, observedUnit: 'connections', output: 'pool exhausted', time: '2026-11-23T09:59:58Z' }],
        'cache:responseTime': [{ status: 'pass', observedValue: 3, observedUnit: 'ms' }],
      },
    });
    const results = healthDocumentToResults(doc, ctx);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ kind: 'readiness', target: 'health', status: 'fail', dependency: null, latencyMs: 12 });
    expect(results[0]!.message).toMatch(/postgres:connections fail: pool exhausted/);
    expect(results[1]).toMatchObject({
      kind: 'dependency',
      target: 'postgres:connections#pg-1',
      dependency: 'postgres',
      status: 'fail',
      message: 'pool exhausted',
      observedValue: '100 connections',
      checkedAt: new Date('2026-11-23T09:59:58Z'),
    });
    expect(results[2]).toMatchObject({ dependency: 'cache', status: 'pass', latencyMs: 3, checkedAt: ctx.checkedAt });
  });

  it('reads checks of componentType "system" as the service itself, not a dependency', () => {
    const results = healthDocumentToResults(HealthDocument.parse({ status: 'pass', checks: { uptime: [{ componentType: 'system', observedValue: 42, observedUnit: 's' }] } }), ctx);
    expect(results[1]).toMatchObject({ kind: 'liveness', dependency: null, target: 'uptime', observedValue: '42 s' });
  });

  it('accepts the older up/down and ok/error spellings', () => {
    expect(HealthDocument.parse({ status: 'UP' }).status).toBe('pass');
    expect(HealthDocument.parse({ status: 'down' }).status).toBe('fail');
    expect(HealthDocument.safeParse({ status: 'sideways' }).success).toBe(false);
  });

  it('lets a check without a status inherit the document status', () => {
    const results = healthDocumentToResults(HealthDocument.parse({ status: 'warn', checks: { 'disk:free': [{ observedValue: 5 }] } }), ctx);
    expect(results[1]).toMatchObject({ status: 'warn', dependency: 'disk' });
  });
});
