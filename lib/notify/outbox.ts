// Turning alert transitions into outbox rows, in the transaction that records the transition:
// the notification exists exactly when the transition does, and survives a restart.
import type { AlertRow, SilenceRow } from '@/lib/db/alerts';
import type { DbClient } from '@/lib/db/client';
import { enqueueNotifications, type WebhookRow } from '@/lib/db/notifications';
import { severityRank, type Severity } from '@/lib/schemas/alerts';
import type { NotifyEvent } from '@/lib/schemas/notify';

/** The generic JSON body of a notification (Slack destinations get it rendered as a message). */
export interface AlertNotification {
  version: 1;
  event: NotifyEvent;
  at: string;
  actor: string;
  note: string | null;
  alert: {
    id: string;
    rule: string;
    severity: string;
    state: string;
    service: string;
    target: string | null;
    summary: string;
    observed: number;
    threshold: number;
    startedAt: string;
    resolvedAt: string | null;
    url: string;
  };
}

/** Whether a silence covers an alert: every field it sets must match. */
type SilenceableAlert = { rule: string; service: string; target?: string | null };

export function silenceMatches(silence: Pick<SilenceRow, 'rule' | 'service' | 'target'>, alert: SilenceableAlert): boolean {
  if (silence.rule && silence.rule !== alert.rule) return false;
  if (silence.service && silence.service !== alert.service && silence.service !== alert.target) return false;
  if (silence.target && silence.target !== alert.target) return false;
  return true;
}

export function matchingSilence(silences: readonly SilenceRow[], alert: SilenceableAlert): SilenceRow | null {
  return silences.find((s) => silenceMatches(s, alert)) ?? null;
}

export function alertNotification(event: NotifyEvent, alert: AlertRow, actor: string, note: string | null, baseUrl: string): AlertNotification {
  return {
    version: 1,
    event,
    at: new Date().toISOString(),
    actor,
    note,
    alert: {
      id: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      state: alert.state,
      service: alert.service,
      target: alert.target,
      summary: alert.summary,
      observed: alert.observed,
      threshold: alert.threshold,
      startedAt: alert.startedAt.toISOString(),
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      url: `${baseUrl.replace(/\/$/, '')}/alerts/${alert.id}`,
    },
  };
}

/**
 * Queues `event` of `alert` for every enabled destination that wants it, unless a silence in
 * `silences` covers the alert (then it is recorded but nobody is paged).
 */
export async function enqueueAlertEvent(
  tx: DbClient,
  ctx: { destinations: readonly WebhookRow[]; silences: readonly SilenceRow[]; baseUrl: string },
  event: NotifyEvent,
  alert: AlertRow,
  actor: string,
  note: string | null = null,
): Promise<void> {
  if (matchingSilence(ctx.silences, alert)) return;
  const wanted = ctx.destinations.filter(
    (d) => d.enabled && d.events.includes(event) && severityRank(alert.severity as Severity) <= severityRank(d.minSeverity as Severity),
  );
  if (wanted.length === 0) return;
  const payload = alertNotification(event, alert, actor, note, ctx.baseUrl);
  await enqueueNotifications(
    wanted.map((d) => ({ destinationId: d.id, alertId: alert.id, event, payload: payload as unknown as Parameters<typeof enqueueNotifications>[0][number]['payload'] })),
    tx,
  );
}
