import { describe, expect, it } from 'vitest';
import { HealthDocument } from '@/lib/schemas/probes';
import { describeObserved, healthDocumentToResults } from './health-document';

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

describe('health statuses', () => {
  it.each(['__proto__', 'constructor', ' Constructor ', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])('refuses %j (an Object.prototype member, not an alias)', (status) => {
    const document = HealthDocument.safeParse({ status });
    expect(document.success).toBe(false);
    expect(document.error?.issues).toMatchObject([{ path: ['status'], message: 'must be pass, warn or fail (or ok/up, error/down)' }]);
    const check = HealthDocument.safeParse({ status: 'pass', checks: { db: [{ status }] } });
    expect(check.error?.issues).toMatchObject([{ path: ['checks', 'db', 0, 'status'] }]);
  });

  it.each([
    ['pass', 'pass'],
    [' OK ', 'pass'],
    ['Up', 'pass'],
    ['WARN', 'warn'],
    ['fail', 'fail'],
    ['Error', 'fail'],
    ['down', 'fail'],
  ])('reads %j as %s', (status, expected) => {
    expect(HealthDocument.parse({ status }).status).toBe(expected);
  });
});

describe('observed values', () => {
  it('writes scalars and small values as JSON, with the unit', () => {
    expect(describeObserved(100, 'connections')).toBe('100 connections');
    expect(describeObserved('ok', undefined)).toBe('ok');
    expect(describeObserved({ used: 3, of: [1, 'x', null, true] }, 'GB')).toBe('{"used":3,"of":[1,"x",null,true]} GB');
    expect(describeObserved(null, 'ms')).toBeNull();
    expect(describeObserved(undefined, 'ms')).toBeNull();
  });

  it('elides nesting past a few levels instead of overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(describeObserved(deep, undefined)).toBe(`${'['.repeat(8)}[…]${']'.repeat(8)}`);
    const objects = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    expect(describeObserved(objects, undefined)).toBe(`${'{"a":'.repeat(8)}{…}${'}'.repeat(8)}`);
  });

  it('stops at 1000 characters however large the value', () => {
    const wide = Array.from({ length: 1_000_000 }, (_, i) => i);
    const text = describeObserved(wide, 'ms')!;
    expect(text).toHaveLength(1000);
    expect(text.startsWith('[0,1,2,3')).toBe(true);
    expect(describeObserved({ k: 'x'.repeat(5_000_000) }, undefined)).toHaveLength(1000);
  });

  it('keeps a __proto__ key as data', () => {
    expect(describeObserved(JSON.parse('{"__proto__":{"a":1}}'), undefined)).toBe('{"__proto__":{"a":1}}');
  });
});
