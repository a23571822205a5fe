import { describe, expect, it } from 'vitest';
import { renderBody, signatureOf, slackMessage } from './deliver';
import { silenceMatches, type AlertNotification } from './outbox';

const alert = { rule: 'error_rate', service: 'checkout', target: 'payment' };
const none = { rule: null, service: null, target: null };

describe('silences', () => {
  it('match on every field they set, and a service on either end of an edge', () => {
    expect(silenceMatches({ ...none, rule: 'error_rate' }, alert)).toBe(true);
    expect(silenceMatches({ ...none, rule: 'latency_p99' }, alert)).toBe(false);
    expect(silenceMatches({ ...none, service: 'payment' }, alert)).toBe(true);
    expect(silenceMatches({ ...none, service: 'cart' }, alert)).toBe(false);
    expect(silenceMatches({ rule: 'error_rate', service: 'checkout', target: 'bank' }, alert)).toBe(false);
    expect(silenceMatches({ rule: 'error_rate', service: 'checkout', target: 'payment' }, alert)).toBe(true);
  });
});

const notification: AlertNotification = {
  version: 1,
  event: 'acknowledged',
  at: '2026-11-23T10:00:00.000Z',
  actor: 'alice@example.com',
  note: 'on it\nrolling back',
  alert: { id: 'a1', rule: 'error_rate', severity: 'critical', state: 'acknowledged', service: 'checkout', target: 'payment', summary: 'checkout → payment: 40% of 200 calls failed', observed: 0.4, threshold: 0.05, startedAt: '2026-11-23T09:58:00.000Z', resolvedAt: null, url: 'https://faultline.example/alerts/a1' },
};

describe('webhook bodies', () => {
  it('send the generic JSON as is', () => {
    expect(JSON.parse(renderBody('json', notification))).toEqual(notification);
  });

  it('render Slack messages with who, the note quoted and a link back', () => {
    const message = slackMessage(notification) as { text: string; blocks: Array<{ text?: { text: string }; elements?: Array<{ text: string }> }> };
    expect(message.text).toBe('Acknowledged: checkout → payment: 40% of 200 calls failed');
    expect(message.blocks[0]!.text!.text).toBe(':red_circle: *Acknowledged* critical: checkout → payment: 40% of 200 calls failed by alice@example.com\n> on it\n> rolling back');
    expect(message.blocks[1]!.elements![0]!.text).toContain('<https://faultline.example/alerts/a1|open in Faultline>');
  });

  it('sign the timestamp and body together', () => {
    expect(signatureOf('k', '1700000000', '{}')).toBe(signatureOf('k', '1700000000', '{}'));
    expect(signatureOf('k', '1700000000', '{}')).not.toBe(signatureOf('k', '1700000001', '{}'));
    expect(signatureOf('k', '1', 'x')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
