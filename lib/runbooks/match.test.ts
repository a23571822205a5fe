import { describe, expect, it } from 'vitest';
import type { RunbookSection } from '@/lib/schemas/runbooks';
import { bestSection, rankRunbooks, type MatchableRunbook } from './match';

const section = (text: string, depth = 2): RunbookSection => ({ depth, id: text.toLowerCase().replace(/\W+/g, '-'), text });

const runbook = (slug: string, over: Partial<MatchableRunbook> = {}): MatchableRunbook => ({
  id: slug,
  slug,
  title: slug,
  ownerTeam: 'SRE',
  services: [],
  ruleKinds: [],
  sections: [],
  ...over,
});

const ALL_KINDS = ['error_rate', 'latency_p99', 'burn_rate', 'probe_failing', 'breaker_open', 'retry_amplification', 'queue_lag', 'traffic_drop'];

describe('rankRunbooks', () => {
  const runbooks = [
    runbook('incident-response', { ruleKinds: ALL_KINDS }),
    runbook('retry-storm', { ruleKinds: ['retry_amplification', 'error_rate', 'latency_p99'] }),
    runbook('checkout-payments', { services: ['checkout'] }),
    runbook('payments', { services: ['payments'] }),
    runbook('unrelated', { services: ['search'], ruleKinds: ['queue_lag'] }),
  ];

  it('puts the service in trouble first, a neighbour next, then specific kinds before the general procedure', () => {
    const ranked = rankRunbooks(runbooks, { primaryServices: ['checkout'], otherServices: ['payments'], primaryKinds: ['retry_amplification'], otherKinds: ['error_rate'] });
    expect(ranked.map((r) => r.slug)).toEqual(['checkout-payments', 'payments', 'retry-storm', 'incident-response']);
    expect(ranked[0]!.reasons).toEqual(['linked to checkout']);
    expect(ranked[2]!.reasons).toEqual(['covers Retry amplification']);
  });

  it('leaves out runbooks that match nothing', () => {
    expect(rankRunbooks(runbooks, { primaryServices: ['cart'], otherServices: [], primaryKinds: [], otherKinds: [] })).toEqual([]);
  });

  it('ranks a kind of the root cause above a kind seen only on symptoms', () => {
    const ranked = rankRunbooks([runbook('queue', { ruleKinds: ['queue_lag'] }), runbook('errors', { ruleKinds: ['error_rate'] })], {
      primaryServices: [],
      otherServices: [],
      primaryKinds: ['queue_lag'],
      otherKinds: ['error_rate'],
    });
    expect(ranked.map((r) => r.slug)).toEqual(['queue', 'errors']);
  });
});

describe('bestSection', () => {
  const sections = [
    section('Detection signs in Faultline'),
    section('Error rate alert', 3),
    section('Retry amplification alert', 3),
    section('Immediate mitigation'),
    section('Checkout: switch the payment provider'),
  ];

  it('prefers a section naming the service in trouble', () => {
    expect(bestSection(sections, ['checkout'], ['retry_amplification'])?.text).toBe('Checkout: switch the payment provider');
  });

  it('opens at the section about the alert kind, by its label', () => {
    expect(bestSection(sections, ['cart'], ['retry_amplification', 'error_rate'])?.text).toBe('Retry amplification alert');
    expect(bestSection(sections, ['cart'], ['error_rate'])?.text).toBe('Error rate alert');
  });

  it('falls back to the mitigation steps, or to nothing', () => {
    expect(bestSection(sections, [], ['queue_lag'])?.text).toBe('Immediate mitigation');
    expect(bestSection([section('Background')], [], ['queue_lag'])).toBeNull();
  });

  it('matches service names as whole words only', () => {
    expect(bestSection([section('Checkouts in general'), section('Mitigation')], ['checkout'], [])?.text).toBe('Mitigation');
  });
});
