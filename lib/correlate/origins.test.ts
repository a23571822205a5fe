import { describe, expect, it } from 'vitest';
import type { FailingSpanRow } from '@/lib/db/rca';
import { failureDetail, traceOrigins } from './origins';

const span = (traceId: string, over: Partial<FailingSpanRow>): FailingSpanRow => ({ traceId, service: 'checkout', kind: 2, statusMessage: null, attributes: {}, childService: null, childFailed: false, ...over });

describe('traceOrigins', () => {
  it('finds where each failed trace starts failing, counting a trace once per origin', () => {
    const origins = traceOrigins([
      // t1: gateway fails because checkout fails because payment's own handler fails.
      span('t1', { service: 'gateway', childFailed: true }),
      span('t1', { service: 'checkout', kind: 3, childService: 'payment', childFailed: true }),
      span('t1', { service: 'payment', attributes: { 'http.response.status_code': 500 } }),
      span('t1', { service: 'payment', attributes: { 'http.response.status_code': 500 } }),
      // t2: checkout's call to payment never got an answer.
      span('t2', { service: 'checkout', kind: 3, statusMessage: 'connect ETIMEDOUT 10.0.0.7:8080', attributes: { 'peer.service': 'payment' } }),
      // t3: inventory's database call failed.
      span('t3', { service: 'inventory', kind: 3, statusMessage: 'too many clients already', attributes: { 'db.system': 'postgresql', 'db.namespace': 'inventory' } }),
      // t4: the callee answered, too late for the caller.
      span('t4', { service: 'checkout', kind: 3, statusMessage: 'Request timed out', childService: 'inventory' }),
    ]);
    expect(origins).toEqual([
      { ref: { kind: 'dependency', service: 'inventory', target: 'postgresql/inventory' }, traces: 1, detail: 'too many clients already' },
      { ref: { kind: 'edge', source: 'checkout', target: 'payment' }, traces: 1, detail: 'timeout' },
      { ref: { kind: 'service', service: 'inventory' }, traces: 1, detail: 'timeout' },
      { ref: { kind: 'service', service: 'payment' }, traces: 1, detail: 'HTTP 500' },
    ]);
  });

  it('describes failures briefly', () => {
    expect(failureDetail({ statusMessage: 'connect ECONNREFUSED 127.0.0.1:9', attributes: {} })).toBe('connection refused');
    expect(failureDetail({ statusMessage: null, attributes: { 'error.type': 'ENOTFOUND' } })).toBe('DNS failure');
    expect(failureDetail({ statusMessage: null, attributes: {} })).toBeNull();
  });
});
