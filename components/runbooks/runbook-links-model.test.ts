import { describe, expect, it } from 'vitest';
import {
  describeNoMatch,
  newRunbookHref,
  rootCauseKey,
  runbookHref,
  runbookMatchesKey,
  runbookMatchesPath,
  serviceRunbooksPath,
  suggestForAlert,
  suggestForRootCause,
} from './runbook-links-model';

describe('runbookHref', () => {
  it('links to the runbook page', () => {
    expect(runbookHref('retry-storm')).toBe('/runbooks/retry-storm');
    expect(runbookHref('retry-storm', null)).toBe('/runbooks/retry-storm');
  });

  it('opens at the section when there is one', () => {
    expect(runbookHref('retry-storm', { id: 'retry-amplification-alert' })).toBe('/runbooks/retry-storm#retry-amplification-alert');
  });

  it('ignores an empty section id rather than linking to a bare "#"', () => {
    expect(runbookHref('retry-storm', { id: '' })).toBe('/runbooks/retry-storm');
  });

  it('keeps whatever a slug or heading holds inside its own part of the URL', () => {
    expect(runbookHref('a/../b?x=1')).toBe('/runbooks/a%2F..%2Fb%3Fx%3D1');
    expect(runbookHref('db', { id: 'step 1?#/x' })).toBe('/runbooks/db#step%201%3F%23%2Fx');
    expect(runbookHref('db', { id: 'café' })).toBe('/runbooks/db#caf%C3%A9');
  });
});

describe('newRunbookHref', () => {
  it('prefills the service and the rule kind', () => {
    expect(newRunbookHref({ service: 'checkout', ruleKind: 'retry_amplification' })).toBe('/runbooks/new?service=checkout&ruleKind=retry_amplification');
  });

  it('leaves out what is unknown', () => {
    expect(newRunbookHref({ service: 'checkout' })).toBe('/runbooks/new?service=checkout');
    expect(newRunbookHref({ ruleKind: 'queue_lag' })).toBe('/runbooks/new?ruleKind=queue_lag');
    expect(newRunbookHref({ service: '' })).toBe('/runbooks/new');
    expect(newRunbookHref()).toBe('/runbooks/new');
  });

  it('encodes names', () => {
    expect(newRunbookHref({ service: 'pay&ments=1' })).toBe('/runbooks/new?service=pay%26ments%3D1');
  });
});

describe('describeNoMatch', () => {
  it('names the service and the rule by its label', () => {
    expect(describeNoMatch({ service: 'checkout', ruleKind: 'retry_amplification' })).toBe('No runbook covers checkout or Retry amplification yet.');
  });

  it('names what it knows', () => {
    expect(describeNoMatch({ service: 'postgres' })).toBe('No runbook covers postgres yet.');
    expect(describeNoMatch({ ruleKind: 'latency_p99' })).toBe('No runbook covers Latency p99 yet.');
    expect(describeNoMatch({})).toBe('No runbook matches this yet.');
  });
});

describe('suggestForAlert', () => {
  it('uses the service of a service alert', () => {
    expect(suggestForAlert({ rule: 'error_rate', service: 'checkout', entity: { type: 'service', service: 'checkout' } })).toEqual({ service: 'checkout', ruleKind: 'error_rate' });
  });

  it('uses the dependency of a dependency alert', () => {
    expect(suggestForAlert({ rule: 'probe_failing', service: 'orders', entity: { type: 'dependency', service: 'orders', dependency: 'postgres' } })).toEqual({
      service: 'postgres',
      ruleKind: 'probe_failing',
    });
  });

  it('uses the callee of an edge alert', () => {
    expect(suggestForAlert({ rule: 'retry_amplification', service: 'checkout', entity: { type: 'edge', source: 'checkout', target: 'payments' } })).toEqual({
      service: 'payments',
      ruleKind: 'retry_amplification',
    });
  });
});

describe('suggestForRootCause', () => {
  it('uses the service, or the target of a dependency or call', () => {
    expect(suggestForRootCause({ kind: 'service', service: 'checkout' })).toEqual({ service: 'checkout' });
    expect(suggestForRootCause({ kind: 'dependency', service: 'orders', target: 'postgres' })).toEqual({ service: 'postgres' });
    expect(suggestForRootCause({ kind: 'edge', source: 'checkout', target: 'payments' })).toEqual({ service: 'payments' });
  });

  it('suggests nothing when the root cause names nothing', () => {
    expect(suggestForRootCause({ kind: 'service' })).toEqual({});
    expect(suggestForRootCause({ kind: 'edge', source: 'checkout' })).toEqual({});
  });
});

describe('API paths and keys', () => {
  it('asks the alert or the incident for its matches', () => {
    expect(runbookMatchesPath({ kind: 'alert', id: 'a1' })).toBe('/api/alerts/a1/runbooks');
    expect(runbookMatchesPath({ kind: 'incident', id: 'i/1' })).toBe('/api/incidents/i%2F1/runbooks');
    expect(runbookMatchesKey({ kind: 'incident', id: 'i1' })).toEqual(['runbooks', 'matches', 'incident', 'i1']);
  });

  it('lists a service’s runbooks', () => {
    expect(serviceRunbooksPath('redis cache')).toBe('/api/runbooks?service=redis+cache');
  });

  it('tells root causes apart', () => {
    expect(rootCauseKey({ kind: 'service', service: 'a' })).not.toBe(rootCauseKey({ kind: 'service', service: 'b' }));
    expect(rootCauseKey({ kind: 'edge', source: 'a', target: 'b' })).not.toBe(rootCauseKey({ kind: 'dependency', service: 'a', target: 'b' }));
    expect(rootCauseKey({ kind: 'service', service: 'a' })).toBe(rootCauseKey({ kind: 'service', service: 'a' }));
  });
});
