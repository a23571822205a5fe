// What responders do with alerts: list, read, acknowledge, resolve, annotate. Every transition is
// a compare-and-set, so two people acting at once get a clear "already done by X", and each one
// lands in the alert's history, the audit log and (for ack/resolve) the notification outbox.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import {
  activeSilenceRows,
  alertHistoryRows,
  countOpenAlerts,
  findAlertRow,
  inDetectionTransaction,
  insertAlertEvents,
  listAlertRows,
  transitionAlertRow,
  type AlertEventRow,
  type AlertRow,
} from '@/lib/db/alerts';
import type { DbClient } from '@/lib/db/client';
import { listWebhookRows } from '@/lib/db/notifications';
import { notFound } from '@/lib/http/errors';
import { enqueueAlertEvent } from '@/lib/notify/outbox';
import { wakeNotificationSender } from '@/lib/notify/sender';
import {
  AcknowledgeInput,
  type AlertListQuery,
  AlertNoteInput,
  BulkAcknowledgeInput,
  ResolveInput,
  type AlertActionOutcome,
  type AlertDetailDto,
  type AlertDto,
  type AlertEntity,
  type AlertEventDto,
  type AlertListDto,
  type RuleKind,
  type Severity,
} from '@/lib/schemas/alerts';
import { resolveRange } from '@/lib/schemas/common';
import { publicBaseUrl } from './engine';

function entityOf(row: AlertRow): AlertEntity {
  if (row.entityType === 'edge') return { type: 'edge', source: row.service, target: row.target ?? '' };
  if (row.entityType === 'dependency') return { type: 'dependency', service: row.service, dependency: row.target ?? '' };
  return { type: 'service', service: row.service };
}

export function toAlertDto(row: AlertRow): AlertDto {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    rule: row.rule as RuleKind,
    entity: entityOf(row),
    service: row.service,
    severity: row.severity as Severity,
    state: row.state,
    summary: row.summary,
    observed: row.observed,
    threshold: row.threshold,
    peakObserved: row.peakObserved,
    windowMs: row.windowMs,
    startedAt: row.startedAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy,
    silenceId: row.silenceId,
    replayed: row.replayed,
    incidentId: row.incidentId,
  };
}

function toEventDto(row: AlertEventRow): AlertEventDto {
  return { id: row.id.toString(), at: row.at.toISOString(), type: row.type as AlertEventDto['type'], actor: row.actorLabel, note: row.note, details: row.details ?? null };
}

const DEFAULT_LIST_WINDOW_MS = 24 * 3_600_000;

/**
 * Alerts matching the filters. Without a state filter or range: everything open, plus what
 * resolved in the last 24 hours.
 */
export async function listAlerts({ actor, query: q }: { actor: Actor; query: AlertListQuery }): Promise<AlertListDto> {
  requirePermission(actor, 'read');
  const { from, to } = resolveRange(q, DEFAULT_LIST_WINDOW_MS);
  const [rows, counts] = await Promise.all([
    listAlertRows({ states: q.state, severities: q.severity, rules: q.rule, service: q.service, from, to: q.to ? to : undefined, limit: q.limit }),
    countOpenAlerts(),
  ]);
  return { alerts: rows.map(toAlertDto), counts };
}

export async function getAlert({ actor, id }: { actor: Actor; id: string }): Promise<AlertDetailDto> {
  requirePermission(actor, 'read');
  const row = await findAlertRow(id);
  if (!row) throw notFound(`No alert with id ${id}`);
  return { ...toAlertDto(row), history: (await alertHistoryRows([id])).map(toEventDto) };
}

export async function alertRow(id: string): Promise<AlertRow> {
  const row = await findAlertRow(id);
  if (!row) throw notFound(`No alert with id ${id}`);
  return row;
}

function actorColumns(actor: Actor) {
  return { actorType: actor.kind, actorId: actor.kind === 'system' ? undefined : actor.id, actorLabel: describeActor(actor) };
}

async function notifyContext(tx: DbClient) {
  return { destinations: await listWebhookRows(tx), silences: await activeSilenceRows(new Date(), tx), baseUrl: publicBaseUrl() };
}

async function acknowledgeOne(tx: DbClient, actor: Actor, id: string, note: string | undefined, ip: string | undefined): Promise<AlertActionOutcome | null> {
  const now = new Date();
  const who = describeActor(actor);
  const done = await transitionAlertRow(id, ['firing'], { state: 'acknowledged', acknowledgedAt: now, acknowledgedBy: who }, tx);
  const row = await findAlertRow(id, tx);
  if (!row) return null;
  if (!done) {
    // Someone got there first (or it resolved meanwhile): say who, do not fail.
    return row.state === 'resolved'
      ? { id, outcome: 'already_resolved', by: row.resolvedBy, at: row.resolvedAt?.toISOString() ?? null, alert: toAlertDto(row) }
      : { id, outcome: 'already_acknowledged', by: row.acknowledgedBy, at: row.acknowledgedAt?.toISOString() ?? null, alert: toAlertDto(row) };
  }
  await insertAlertEvents([{ alertId: id, at: now, type: 'acknowledged', ...actorColumns(actor), note: note || null }], tx);
  await audit({ actor, action: 'alert.acknowledge', target: { type: 'alert', id }, details: { note: note ?? null, summary: row.summary }, ip }, tx);
  await enqueueAlertEvent(tx, await notifyContext(tx), 'acknowledged', row, who, note ?? null);
  return { id, outcome: 'done', by: who, at: now.toISOString(), alert: toAlertDto(row) };
}

export async function acknowledgeAlert({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<AlertActionOutcome> {
  requirePermission(actor, 'acknowledge');
  const { note } = AcknowledgeInput.parse(input);
  const outcome = await inDetectionTransaction((tx) => acknowledgeOne(tx, actor, id, note, ip));
  if (!outcome) throw notFound(`No alert with id ${id}`);
  wakeNotificationSender();
  return outcome;
}

export async function acknowledgeAlerts({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }) {
  requirePermission(actor, 'acknowledge');
  const { ids, note } = BulkAcknowledgeInput.parse(input);
  const unique = [...new Set(ids)];
  const result = await inDetectionTransaction(async (tx) => {
    const results: AlertActionOutcome[] = [];
    const missing: string[] = [];
    for (const id of unique) {
      const outcome = await acknowledgeOne(tx, actor, id, note, ip);
      if (outcome) results.push(outcome);
      else missing.push(id);
    }
    return { results, notFound: missing };
  });
  wakeNotificationSender();
  return result;
}

/**
 * Resolves by hand (firing or acknowledged). If the condition still holds, the detector opens a
 * new alert at its next evaluation: a manual resolve says "fixed", and the data gets the last word.
 */
export async function resolveAlert({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<AlertActionOutcome> {
  requirePermission(actor, 'acknowledge');
  const { note } = ResolveInput.parse(input);
  const outcome = await inDetectionTransaction(async (tx): Promise<AlertActionOutcome | null> => {
    const now = new Date();
    const who = describeActor(actor);
    const done = await transitionAlertRow(id, ['firing', 'acknowledged'], { state: 'resolved', openFingerprint: null, resolvedAt: now, resolvedBy: who }, tx);
    const row = await findAlertRow(id, tx);
    if (!row) return null;
    if (!done) return { id, outcome: 'already_resolved', by: row.resolvedBy, at: row.resolvedAt?.toISOString() ?? null, alert: toAlertDto(row) };
    await insertAlertEvents([{ alertId: id, at: now, type: 'resolved', ...actorColumns(actor), note: note || null }], tx);
    await audit({ actor, action: 'alert.resolve', target: { type: 'alert', id }, details: { note: note ?? null, summary: row.summary }, ip }, tx);
    await enqueueAlertEvent(tx, await notifyContext(tx), 'resolved', row, who, note ?? null);
    return { id, outcome: 'done', by: who, at: now.toISOString(), alert: toAlertDto(row) };
  });
  if (!outcome) throw notFound(`No alert with id ${id}`);
  wakeNotificationSender();
  return outcome;
}

export async function addAlertNote({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<AlertEventDto> {
  requirePermission(actor, 'acknowledge');
  const { note } = AlertNoteInput.parse(input);
  await alertRow(id);
  await inDetectionTransaction(async (tx) => {
    await insertAlertEvents([{ alertId: id, type: 'note', ...actorColumns(actor), note }], tx);
    await audit({ actor, action: 'alert.note', target: { type: 'alert', id }, details: { note }, ip }, tx);
  });
  const history = await alertHistoryRows([id]);
  return toEventDto(history.at(-1)!);
}

