import { describe, expect, it } from 'vitest';
import type { SignalSeriesDto } from '@/lib/schemas/alerts';
import {
  alertsApiPath,
  buildSignalChart,
  describeBulkOutcome,
  describeOutcome,
  describeSeverityChange,
  describeSignalChart,
  describeSilenceScope,
  entityLabel,
  filtersQueryString,
  formatRuleValue,
  hasNarrowingFilters,
  isBreach,
  parseAlertFilters,
  shortcutFor,
  silenceDraftFor,
  silenceStatus,
} from './alert-model';

describe('formatRuleValue', () => {
  it('writes each rule in its own unit', () => {
    expect(formatRuleValue('error_rate', 0.125)).toBe('13%');
    expect(formatRuleValue('latency_p99', 1234)).toBe('1.2 s');
    expect(formatRuleValue('queue_lag', 250)).toBe('250 ms');
    expect(formatRuleValue('burn_rate', 14.4)).toBe('14.4×');
    expect(formatRuleValue('traffic_drop', 0.25)).toBe('0.25 req/s');
    expect(formatRuleValue('retry_amplification', 1.756)).toBe('1.76 attempts/call');
    expect(formatRuleValue('probe_failing', 3)).toBe('3 in a row');
    expect(formatRuleValue('breaker_open', 90_000)).toBe('1.5 min');
  });

  it('shows a dash for a missing reading', () => {
    expect(formatRuleValue('error_rate', null)).toBe('—');
    expect(formatRuleValue('latency_p99', Number.NaN)).toBe('—');
  });
});

describe('entityLabel', () => {
  it('names a service, an edge and a dependency', () => {
    expect(entityLabel({ type: 'service', service: 'checkout' })).toBe('checkout');
    expect(entityLabel({ type: 'edge', source: 'checkout', target: 'payments' })).toBe('checkout → payments');
    expect(entityLabel({ type: 'dependency', service: 'checkout', dependency: 'redis' })).toBe('checkout → redis');
  });
});

describe('filters', () => {
  const params = (qs: string) => new URLSearchParams(qs);

  it('defaults to open alerts and drops unknown values', () => {
    expect(parseAlertFilters(params(''))).toEqual({ state: 'open', severity: '', rule: '', service: '' });
    expect(parseAlertFilters(params('state=bogus&severity=loud&rule=nope&service=%20checkout%20'))).toEqual({ state: 'open', severity: '', rule: '', service: 'checkout' });
  });

  it('round-trips through the URL, leaving defaults out', () => {
    const filters = parseAlertFilters(params('state=all&severity=critical&rule=error_rate&service=checkout'));
    expect(parseAlertFilters(params(filtersQueryString(filters)))).toEqual(filters);
    expect(filtersQueryString({ state: 'open', severity: '', rule: '', service: '' })).toBe('');
    expect(hasNarrowingFilters(parseAlertFilters(params('')))).toBe(false);
    expect(hasNarrowingFilters(parseAlertFilters(params('service=x')))).toBe(true);
  });

  it('asks the API for firing and acknowledged when open, and for no state when all', () => {
    expect(alertsApiPath(parseAlertFilters(params('')))).toBe('/api/alerts?state=firing%2Cacknowledged&limit=200');
    expect(alertsApiPath(parseAlertFilters(params('state=all&service=checkout')))).toBe('/api/alerts?service=checkout&limit=200');
    expect(alertsApiPath(parseAlertFilters(params('state=resolved&rule=queue_lag')))).toBe('/api/alerts?state=resolved&rule=queue_lag&limit=200');
  });
});

describe('outcomes', () => {
  it('says who got there first instead of failing', () => {
    const at = new Date(2026, 0, 5, 10, 2).toISOString();
    const text = describeOutcome({ outcome: 'already_acknowledged', by: 'alice@example.com', at }, 'acknowledge', Date.parse(at));
    expect(text).toMatch(/^Already acknowledged by alice@example\.com at .*02/);
    expect(describeOutcome({ outcome: 'done', by: 'bob', at }, 'resolve', Date.parse(at))).toBe('Resolved.');
  });

  it('sums up a bulk acknowledge', () => {
    const results = [{ outcome: 'done' as const }, { outcome: 'done' as const }, { outcome: 'already_acknowledged' as const }];
    expect(describeBulkOutcome({ results, notFound: ['x'] })).toBe('Acknowledged 2 alerts; 1 already acknowledged; 1 no longer found.');
    expect(describeBulkOutcome({ results: [{ outcome: 'done' }], notFound: [] })).toBe('Acknowledged 1 alert.');
  });

  it('reads a severity change from the event details', () => {
    expect(describeSeverityChange({ from: 'warning', to: 'critical' })).toBe('warning → critical');
    expect(describeSeverityChange(null)).toBe('');
  });
});

describe('shortcutFor', () => {
  const key = (k: string, target: { tagName?: string; isContentEditable?: boolean } | null = { tagName: 'BODY' }, extra = {}) =>
    shortcutFor({ key: k, ctrlKey: false, metaKey: false, altKey: false, repeat: false, target, ...extra });

  it('maps the four keys', () => {
    expect(key('a')).toBe('acknowledge');
    expect(key('r')).toBe('resolve');
    expect(key('n')).toBe('note');
    expect(key('s')).toBe('silence');
    expect(key('x')).toBeNull();
  });

  it('stays out of the way while typing or with modifiers', () => {
    expect(key('a', { tagName: 'TEXTAREA' })).toBeNull();
    expect(key('a', { tagName: 'input' })).toBeNull();
    expect(key('a', { tagName: 'SELECT' })).toBeNull();
    expect(key('a', { tagName: 'DIV', isContentEditable: true })).toBeNull();
    expect(key('r', undefined, { ctrlKey: true })).toBeNull();
    expect(key('a', undefined, { repeat: true })).toBeNull();
    expect(key('A')).toBeNull();
  });
});

describe('buildSignalChart', () => {
  const series: SignalSeriesDto = {
    rule: 'error_rate',
    threshold: 0.05,
    from: '2026-01-05T10:00:00.000Z',
    to: '2026-01-05T10:05:00.000Z',
    stepMs: 60_000,
    points: [
      { at: '2026-01-05T10:00:00.000Z', value: 0.01, threshold: 0.05 },
      { at: '2026-01-05T10:01:00.000Z', value: null, threshold: null },
      { at: '2026-01-05T10:02:00.000Z', value: 0.4, threshold: 0.05 },
      { at: '2026-01-05T10:03:00.000Z', value: 0.2, threshold: null },
    ],
  };

  it('fills missing thresholds, finds the peak and counts breaches', () => {
    const chart = buildSignalChart(series, { startedAt: '2026-01-05T10:02:00.000Z', resolvedAt: null });
    expect(chart.points.map((p) => p.threshold)).toEqual([0.05, 0.05, 0.05, 0.05]);
    expect(chart.thresholdVaries).toBe(false);
    expect(chart.peak).toEqual({ t: Date.parse('2026-01-05T10:02:00.000Z'), value: 0.4 });
    expect(chart.measuredSteps).toBe(3);
    expect(chart.breachedSteps).toBe(2);
    expect(chart.openFrom).toBe(Date.parse('2026-01-05T10:02:00.000Z'));
    expect(chart.openTo).toBe(chart.to);
    expect(chart.resolvedAt).toBeNull();
    expect(describeSignalChart(chart, (t) => new Date(t).toISOString().slice(11, 16))).toBe(
      'Error rate from 10:00 to 10:05: peak 40% at 10:02, threshold 5%; 2 of 3 measured steps past the threshold; 1 without enough traffic to judge.',
    );
  });

  it('clips the open span to the chart and marks a resolution inside it', () => {
    const chart = buildSignalChart(series, { startedAt: '2026-01-05T09:00:00.000Z', resolvedAt: '2026-01-05T10:04:00.000Z' });
    expect(chart.openFrom).toBe(chart.from);
    expect(chart.openTo).toBe(Date.parse('2026-01-05T10:04:00.000Z'));
    expect(chart.resolvedAt).toBe(Date.parse('2026-01-05T10:04:00.000Z'));
  });

  it('treats a traffic drop as breaching below its line', () => {
    expect(isBreach('traffic_drop', 0.1, 0.3)).toBe(true);
    expect(isBreach('traffic_drop', 0.5, 0.3)).toBe(false);
    expect(isBreach('latency_p99', 1000, 1000)).toBe(false);
    expect(isBreach('error_rate', 0.05, 0.05)).toBe(true);
  });
});

describe('silences', () => {
  const now = Date.parse('2026-01-05T10:00:00.000Z');
  const silence = { startsAt: '2026-01-05T09:00:00.000Z', endsAt: '2026-01-05T11:00:00.000Z', endedAt: null };

  it('ages by the clock', () => {
    expect(silenceStatus(silence, now)).toBe('active');
    expect(silenceStatus({ ...silence, startsAt: '2026-01-05T10:30:00.000Z' }, now)).toBe('scheduled');
    expect(silenceStatus({ ...silence, endsAt: '2026-01-05T09:30:00.000Z' }, now)).toBe('expired');
    expect(silenceStatus({ ...silence, endedAt: '2026-01-05T09:45:00.000Z' }, now)).toBe('ended');
  });

  it('prefills from an alert and describes its scope', () => {
    const draft = silenceDraftFor({ rule: 'error_rate', service: 'checkout', entity: { type: 'edge', source: 'checkout', target: 'payments' } });
    expect(draft).toEqual({ rule: 'error_rate', service: 'checkout', target: 'payments', durationMinutes: 60, reason: '' });
    expect(describeSilenceScope({ rule: 'error_rate', service: 'checkout', target: 'payments' })).toBe('Error rate · service checkout · target payments');
    expect(describeSilenceScope({ rule: null, service: 'checkout', target: null })).toBe('Any rule · service checkout');
  });
});
