// One HTTP delivery of a notification: the body in the destination's format, an HMAC signature
// when the destination has a secret, and the outcome as data (never a throw) for the sender.
import { createHmac } from 'node:crypto';
import type { AlertNotification } from './outbox';

export type WebhookFormat = 'json' | 'slack';

const SEVERITY_ICON: Record<string, string> = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' };
const EVENT_VERB: Record<string, string> = { fired: 'Firing', acknowledged: 'Acknowledged', resolved: 'Resolved' };

/** Slack's incoming-webhook shape: text for notifications, blocks for the message itself. */
export function slackMessage(n: AlertNotification): object {
  const a = n.alert;
  const head = `${SEVERITY_ICON[a.severity] ?? ''} *${EVENT_VERB[n.event] ?? n.event}* ${a.severity}: ${a.summary}`.trim();
  const by = n.event === 'fired' ? '' : ` by ${n.actor}`;
  const note = n.note ? `\n> ${n.note.replace(/\n/g, '\n> ')}` : '';
  return {
    text: `${EVENT_VERB[n.event] ?? n.event}: ${a.summary}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${head}${by}${note}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `rule \`${a.rule}\` · service \`${a.service}\`${a.target ? ` → \`${a.target}\`` : ''} · <${a.url}|open in Faultline>` }] },
    ],
  };
}

export function renderBody(format: WebhookFormat, notification: AlertNotification): string {
  return JSON.stringify(format === 'slack' ? slackMessage(notification) : notification);
}

/** `sha256=<hex>` of "<timestamp>.<body>": receivers check it and reject stale timestamps (replays). */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliveryTarget {
  url: string;
  format: WebhookFormat;
  signingSecret: string | null;
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** POSTs once. `signal` aborts it (the sender's timeout policy). */
export async function postNotification(target: DeliveryTarget, deliveryId: string, notification: AlertNotification, signal: AbortSignal): Promise<DeliveryResult> {
  const body = renderBody(target.format, notification);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Faultline-Webhook/1',
    'X-Faultline-Event': notification.event,
    'X-Faultline-Delivery': deliveryId,
    'X-Faultline-Timestamp': timestamp,
  };
  if (target.signingSecret) headers['X-Faultline-Signature'] = signatureOf(target.signingSecret, timestamp, body);
  try {
    const response = await fetch(target.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  } catch (err) {
    if (signal.aborted) return { ok: false, status: null, error: 'timed out' };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, status: null, error: cause?.code ?? cause?.message ?? (err as Error).message };
  }
}
