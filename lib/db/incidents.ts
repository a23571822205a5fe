// Incidents and their history (public.incidents, incident_events) and the alert rows grouping
// reads. Writers of grouping run inside inDetectionTransaction (lib/db/alerts.ts).
import type { IncidentStatus, Prisma } from './generated/client';
import { prisma, type DbClient } from './client';
import type { AlertRow, NewHistoryEvent } from './alerts';

export type IncidentRow = Prisma.IncidentGetPayload<object>;
export type IncidentEventRow = Prisma.IncidentEventGetPayload<object>;
export type IncidentWithAlerts = IncidentRow & { alerts: AlertRow[] };

/**
 * Alerts grouping must look at: those in no incident yet (started since `since`), and those of
 * incidents still open or resolved after `reopenSince`.
 */
export async function alertsForGrouping(since: Date, reopenSince: Date, db: DbClient = prisma()): Promise<{ alerts: AlertRow[]; incidents: IncidentRow[] }> {
  const incidents = await db.incident.findMany({ where: { OR: [{ resolvedAt: null }, { resolvedAt: { gte: reopenSince } }] } });
  const alerts = await db.alert.findMany({
    where: { OR: [{ incidentId: null, startedAt: { gte: since } }, { incidentId: { in: incidents.map((i) => i.id) } }] },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
  });
  return { alerts, incidents };
}

export function insertIncidentRow(data: Omit<Prisma.IncidentUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt'>, db: DbClient = prisma()): Promise<IncidentRow> {
  return db.incident.create({ data });
}

export function updateIncidentRow(id: string, data: Prisma.IncidentUncheckedUpdateInput, db: DbClient = prisma()): Promise<IncidentRow> {
  return db.incident.update({ where: { id }, data });
}

/** Moves a state only if the incident is still in one of `fromStates` (compare-and-set). */
export async function transitionIncidentRow(id: string, fromStates: readonly IncidentStatus[], data: Prisma.IncidentUncheckedUpdateInput, db: DbClient = prisma()): Promise<boolean> {
  const { count } = await db.incident.updateMany({ where: { id, status: { in: [...fromStates] } }, data });
  return count === 1;
}

export async function assignAlertsToIncident(alertIds: readonly string[], incidentId: string, db: DbClient = prisma()): Promise<void> {
  if (alertIds.length > 0) await db.alert.updateMany({ where: { id: { in: [...alertIds] } }, data: { incidentId } });
}

/** Folds incident `from` into `into`: its alerts and history move, then it is removed. */
export async function mergeIncidentRows(from: string, into: string, db: DbClient = prisma()): Promise<void> {
  await db.alert.updateMany({ where: { incidentId: from }, data: { incidentId: into } });
  await db.incidentEvent.updateMany({ where: { incidentId: from }, data: { incidentId: into } });
  await db.incident.delete({ where: { id: from } });
}

export interface NewIncidentEvent extends NewHistoryEvent {
  incidentId: string;
}

export async function insertIncidentEvents(events: readonly NewIncidentEvent[], db: DbClient = prisma()): Promise<void> {
  if (events.length > 0) await db.incidentEvent.createMany({ data: [...events] });
}

export function findIncidentWithAlerts(id: string, db: DbClient = prisma()): Promise<IncidentWithAlerts | null> {
  return db.incident.findUnique({ where: { id }, include: { alerts: { orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] } } });
}

export function incidentEventRows(incidentId: string, db: DbClient = prisma()): Promise<IncidentEventRow[]> {
  return db.incidentEvent.findMany({ where: { incidentId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

/** Incidents open at some point in [from, to], open first, then newest first. */
export function listIncidentRows(q: { from: Date; to: Date; statuses?: readonly IncidentStatus[]; limit: number }, db: DbClient = prisma()): Promise<IncidentWithAlerts[]> {
  return db.incident.findMany({
    where: {
      AND: [
        { openedAt: { lte: q.to } },
        { OR: [{ resolvedAt: null }, { resolvedAt: { gte: q.from } }] },
        ...(q.statuses?.length ? [{ status: { in: [...q.statuses] } }] : []),
      ],
    },
    // "open" < "acknowledged" < "resolved" in the enum's order: open ones first.
    orderBy: [{ status: 'asc' }, { openedAt: 'desc' }, { id: 'asc' }],
    take: q.limit,
    include: { alerts: { orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] } },
  });
}

/** Open incidents whose analysis is older than `before` (re-analysed as evidence accumulates). */
export function staleOpenIncidentIds(before: Date, db: DbClient = prisma()): Promise<Array<{ id: string }>> {
  return db.incident.findMany({ where: { status: { not: 'resolved' }, analyzedAt: { lt: before } }, select: { id: true } });
}
