// What the incidents API and pages do: list, read with the failure timeline, acknowledge (the
// incident and its firing alerts), resolve, and keep notes. Conflicts answer with who got there
// first, as for alerts.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { alertHistoryRows, inDetectionTransaction } from '@/lib/db/alerts';
import { breakerEventsForRange } from '@/lib/db/breaker-events';
import { readProbeRuns } from '@/lib/db/detection';
import { listFaultInjectionsInRange } from '@/lib/db/fault-injections';
import { findIncidentWithAlerts, incidentEventRows, insertIncidentEvents, listIncidentRows, transitionIncidentRow, updateIncidentRow, type IncidentWithAlerts } from '@/lib/db/incidents';
import { acknowledgeAlert, resolveAlert } from '@/lib/detect/alerts';
import { alertNodes } from './engine';
import { notFound } from '@/lib/http/errors';
import type { Severity } from '@/lib/schemas/alerts';
import { resolveRange } from '@/lib/schemas/common';
import { IncidentActionInput, type IncidentActionOutcome, IncidentAnalysis, IncidentNotesInput, type IncidentDetailDto, type IncidentDto, type IncidentListQuery, type TimelineEntry } from '@/lib/schemas/incidents';

const DEFAULT_WINDOW_MS = 7 * 24 * 3_600_000;
const TIMELINE_PAD_MS = 5 * 60_000;

export function toIncidentDto(row: IncidentWithAlerts): IncidentDto {
  const analysis = IncidentAnalysis.parse(row.analysis);
  return {
    id: row.id,
    status: row.status,
    title: row.title,
    severity: row.severity as Severity,
    openedAt: row.openedAt.toISOString(),
    ...(row.acknowledgedAt ? { acknowledgedAt: row.acknowledgedAt.toISOString() } : {}),
    ...(row.resolvedAt ? { resolvedAt: row.resolvedAt.toISOString() } : {}),
    rootCause: analysis.rootCause,
    candidates: analysis.candidates,
    symptoms: analysis.symptoms,
    alertIds: row.alerts.map((a) => a.id),
  };
}

export async function listIncidents({ actor, query }: { actor: Actor; query: IncidentListQuery }): Promise<IncidentDto[]> {
  requirePermission(actor, 'read');
  const { from, to } = resolveRange(query, DEFAULT_WINDOW_MS);
  const rows = await listIncidentRows({ from, to, statuses: query.status, limit: query.limit });
  return rows.map(toIncidentDto);
}

async function incidentOrThrow(id: string): Promise<IncidentWithAlerts> {
  const row = await findIncidentWithAlerts(id);
  if (!row) throw notFound(`No incident with id ${id}`);
  return row;
}

/** The failure as it unfolded: alerts, breaker transitions, probe failures and recoveries, injected faults, notes. */
async function timelineOf(incident: IncidentWithAlerts): Promise<TimelineEntry[]> {
  const from = new Date(incident.openedAt.getTime() - TIMELINE_PAD_MS);
  const to = new Date((incident.resolvedAt ?? new Date()).getTime() + TIMELINE_PAD_MS);
  const services = new Set(incident.alerts.flatMap(alertNodes));
  const entries: TimelineEntry[] = [];

  const byAlert = new Map(incident.alerts.map((a) => [a.id, a]));
  for (const e of await alertHistoryRows(incident.alerts.map((a) => a.id))) {
    const type = e.type === 'fired' ? 'alert_fired' : e.type === 'acknowledged' ? 'alert_acknowledged' : e.type === 'resolved' ? 'alert_resolved' : e.type === 'note' ? 'note' : null;
    if (!type) continue;
    const a = byAlert.get(e.alertId)!;
    const who = e.actorLabel === 'detector' ? '' : ` by ${e.actorLabel}`;
    const summary = type === 'alert_fired' ? a.summary : type === 'note' ? `${e.actorLabel}: ${e.note ?? ''}` : `${a.summary} — ${type === 'alert_acknowledged' ? 'acknowledged' : 'resolved'}${who}${e.note ? `: ${e.note}` : ''}`;
    entries.push({ at: e.at.toISOString(), type, service: a.service, ...(a.target ? { target: a.target } : {}), summary });
  }

  for (const b of await breakerEventsForRange({ from, to })) {
    if (b.at < from || (!services.has(b.service) && !services.has(b.dependency))) continue;
    entries.push({ at: b.at.toISOString(), type: 'breaker_transition', service: b.service, target: b.dependency, summary: `${b.service}'s breaker to ${b.dependency} (${b.instance}) → ${b.to.replace('_', ' ')}${b.reason ? `: ${b.reason}` : ''}` });
  }

  // Probe results become entries where a check changes between failing and passing.
  const last = new Map<string, string>();
  for (const r of await readProbeRuns(from, to)) {
    if (!services.has(r.service)) continue;
    const key = `${r.service}\u0000${r.target}`;
    const failing = r.status === 'fail';
    const was = last.get(key);
    last.set(key, failing ? 'fail' : 'ok');
    if (was === undefined ? !failing : (was === 'fail') === failing) continue;
    entries.push({
      at: new Date(r.checkedAt).toISOString(),
      type: failing ? 'probe_failed' : 'probe_recovered',
      service: r.service,
      target: r.target,
      summary: failing ? `probe ${r.target} of ${r.service} fails${r.message ? `: ${r.message}` : ''}` : `probe ${r.target} of ${r.service} passes again`,
    });
  }

  for (const f of await listFaultInjectionsInRange({ from, to, limit: 100 })) {
    const [source, target] = f.target.split(':');
    if (!services.has(source!) && !(target && services.has(target))) continue;
    entries.push({ at: f.startedAt.toISOString(), type: 'fault_injected', service: source!, ...(target ? { target } : {}), summary: `chaos: ${f.kind} on ${f.target} switched on by ${f.actorLabel}` });
  }

  for (const e of await incidentEventRows(incident.id)) {
    if (e.type !== 'note' && e.type !== 'acknowledged' && e.type !== 'resolved' && e.type !== 'reopened') continue;
    entries.push({ at: e.at.toISOString(), type: 'note', summary: e.type === 'note' ? `${e.actorLabel}: ${e.note ?? ''}` : `incident ${e.type} by ${e.actorLabel}${e.note ? `: ${e.note}` : ''}` });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at) || a.type.localeCompare(b.type));
}

export async function getIncident({ actor, id }: { actor: Actor; id: string }): Promise<IncidentDetailDto> {
  requirePermission(actor, 'read');
  const row = await incidentOrThrow(id);
  return {
    ...toIncidentDto(row),
    timeline: await timelineOf(row),
    notes: row.notes,
    ...(row.notesUpdatedAt ? { notesUpdatedAt: row.notesUpdatedAt.toISOString() } : {}),
    ...(row.notesUpdatedBy ? { notesUpdatedBy: row.notesUpdatedBy } : {}),
    ...(row.acknowledgedBy ? { acknowledgedBy: row.acknowledgedBy } : {}),
    ...(row.resolvedBy ? { resolvedBy: row.resolvedBy } : {}),
  };
}

/** Acknowledges the incident and every alert of it still firing (each alert's own history and notifications follow). */
export async function acknowledgeIncident({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<IncidentActionOutcome> {
  requirePermission(actor, 'acknowledge');
  const { note } = IncidentActionInput.parse(input);
  const who = describeActor(actor);
  const now = new Date();
  const done = await inDetectionTransaction(async (tx) => {
    const ok = await transitionIncidentRow(id, ['open'], { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: who }, tx);
    if (ok) {
      await insertIncidentEvents([{ incidentId: id, at: now, type: 'acknowledged', actorType: actor.kind, actorId: actor.kind === 'system' ? undefined : actor.id, actorLabel: who, note: note || null }], tx);
      await audit({ actor, action: 'incident.acknowledge', target: { type: 'incident', id }, details: { note: note ?? null }, ip }, tx);
    }
    return ok;
  });
  const row = await incidentOrThrow(id);
  if (done) {
    for (const alert of row.alerts.filter((a) => a.state === 'firing')) await acknowledgeAlert({ actor, id: alert.id, input: { note: note ?? `incident acknowledged` }, ip });
  }
  const fresh = await incidentOrThrow(id);
  if (done) return { id, outcome: 'done', by: who, at: now.toISOString(), incident: toIncidentDto(fresh) };
  return fresh.status === 'resolved'
    ? { id, outcome: 'already_resolved', by: fresh.resolvedBy, at: fresh.resolvedAt?.toISOString() ?? null, incident: toIncidentDto(fresh) }
    : { id, outcome: 'already_acknowledged', by: fresh.acknowledgedBy, at: fresh.acknowledgedAt?.toISOString() ?? null, incident: toIncidentDto(fresh) };
}

/** Resolves the incident and its open alerts by hand. */
export async function resolveIncident({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<IncidentActionOutcome> {
  requirePermission(actor, 'acknowledge');
  const { note } = IncidentActionInput.parse(input);
  const who = describeActor(actor);
  const now = new Date();
  const before = await incidentOrThrow(id);
  if (before.status === 'resolved') return { id, outcome: 'already_resolved', by: before.resolvedBy, at: before.resolvedAt?.toISOString() ?? null, incident: toIncidentDto(before) };
  for (const alert of before.alerts.filter((a) => a.state !== 'resolved')) await resolveAlert({ actor, id: alert.id, input: { note: note ?? 'incident resolved' }, ip });
  const done = await inDetectionTransaction(async (tx) => {
    const ok = await transitionIncidentRow(id, ['open', 'acknowledged'], { status: 'resolved', resolvedAt: now, resolvedBy: who }, tx);
    if (ok) {
      await insertIncidentEvents([{ incidentId: id, at: now, type: 'resolved', actorType: actor.kind, actorId: actor.kind === 'system' ? undefined : actor.id, actorLabel: who, note: note || null }], tx);
      await audit({ actor, action: 'incident.resolve', target: { type: 'incident', id }, details: { note: note ?? null }, ip }, tx);
    }
    return ok;
  });
  const fresh = await incidentOrThrow(id);
  if (done) return { id, outcome: 'done', by: who, at: now.toISOString(), incident: toIncidentDto(fresh) };
  return { id, outcome: 'already_resolved', by: fresh.resolvedBy, at: fresh.resolvedAt?.toISOString() ?? null, incident: toIncidentDto(fresh) };
}

/** Replaces the markdown notes / postmortem (last write wins; every version is in the audit log). */
export async function saveIncidentNotes({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<IncidentDetailDto> {
  requirePermission(actor, 'acknowledge');
  const { notes } = IncidentNotesInput.parse(input);
  await incidentOrThrow(id);
  const who = describeActor(actor);
  await inDetectionTransaction(async (tx) => {
    await updateIncidentRow(id, { notes, notesUpdatedAt: new Date(), notesUpdatedBy: who }, tx);
    await insertIncidentEvents([{ incidentId: id, type: 'notes_updated', actorType: actor.kind, actorId: actor.kind === 'system' ? undefined : actor.id, actorLabel: who }], tx);
    await audit({ actor, action: 'incident.notes', target: { type: 'incident', id }, details: { notes }, ip }, tx);
  });
  return getIncident({ actor, id });
}

