// Alerts, their history, silences and rule settings (public.alerts, alert_events, silences,
// alert_rules). Detection writes go through `inDetectionTransaction`, which serializes the live
// detector and replays across replicas.
import type { AlertState, Prisma } from './generated/client';
import { prisma, type DbClient } from './client';

/** Transaction-level advisory lock shared by every writer of detector transitions ("ALERTS"). */
const DETECTION_WRITE_LOCK = 0x414c45525453n;

export type AlertRow = Prisma.AlertGetPayload<object>;
export type AlertEventRow = Prisma.AlertEventGetPayload<object>;
export type SilenceRow = Prisma.SilenceGetPayload<object>;

/** Runs `work` in a transaction that holds the detection write lock. */
export function inDetectionTransaction<T>(work: (tx: DbClient) => Promise<T>): Promise<T> {
  return prisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DETECTION_WRITE_LOCK})`;
    return work(tx);
  });
}

export function openAlertRows(db: DbClient = prisma()): Promise<AlertRow[]> {
  return db.alert.findMany({ where: { openFingerprint: { not: null } }, orderBy: { fingerprint: 'asc' } });
}

export type NewAlert = Omit<Prisma.AlertUncheckedCreateInput, 'id' | 'createdAt' | 'events' | 'notifications'>;

export function insertAlertRow(data: NewAlert, db: DbClient = prisma()): Promise<AlertRow> {
  return db.alert.create({ data });
}

export function updateAlertRow(id: string, data: Prisma.AlertUncheckedUpdateInput, db: DbClient = prisma()): Promise<AlertRow> {
  return db.alert.update({ where: { id }, data });
}

/**
 * Moves an alert from one of `fromStates` to `data.state`, only if it is still in one of them
 * (a compare-and-set: of two people acknowledging at once, exactly one succeeds).
 */
export async function transitionAlertRow(id: string, fromStates: readonly AlertState[], data: Prisma.AlertUncheckedUpdateInput, db: DbClient = prisma()): Promise<boolean> {
  const { count } = await db.alert.updateMany({ where: { id, state: { in: [...fromStates] } }, data });
  return count === 1;
}

/** One entry of an alert's or incident's history: who did what, when, with an optional note. */
export interface NewHistoryEvent {
  at?: Date;
  type: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId?: string;
  actorLabel: string;
  note?: string | null;
  details?: Prisma.InputJsonValue;
}

export interface NewAlertEvent extends NewHistoryEvent {
  alertId: string;
}

export async function insertAlertEvents(events: readonly NewAlertEvent[], db: DbClient = prisma()): Promise<void> {
  if (events.length > 0) await db.alertEvent.createMany({ data: [...events] });
}

export function findAlertRow(id: string, db: DbClient = prisma()): Promise<AlertRow | null> {
  return db.alert.findUnique({ where: { id } });
}

export function findAlertRows(ids: readonly string[], db: DbClient = prisma()): Promise<AlertRow[]> {
  return db.alert.findMany({ where: { id: { in: [...ids] } } });
}

/** The history of these alerts, oldest first. */
export function alertHistoryRows(alertIds: readonly string[], db: DbClient = prisma()): Promise<AlertEventRow[]> {
  return db.alertEvent.findMany({ where: { alertId: { in: [...alertIds] } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

export interface AlertFilter {
  states?: readonly AlertState[];
  severities?: readonly string[];
  rules?: readonly string[];
  service?: string;
  /** Alerts open at some point in [from, to] (started before `to`, not resolved before `from`). */
  from?: Date;
  to?: Date;
  limit: number;
}

/** Matching alerts, most severe first, then youngest first (what just broke is what to look at). */
export function listAlertRows(filter: AlertFilter, db: DbClient = prisma()): Promise<AlertRow[]> {
  const and: Prisma.AlertWhereInput[] = [];
  if (filter.states?.length) and.push({ state: { in: [...filter.states] } });
  if (filter.severities?.length) and.push({ severity: { in: [...filter.severities] } });
  if (filter.rules?.length) and.push({ rule: { in: [...filter.rules] } });
  if (filter.service) and.push({ OR: [{ service: filter.service }, { target: filter.service }] });
  if (filter.to) and.push({ startedAt: { lte: filter.to } });
  if (filter.from) and.push({ OR: [{ resolvedAt: null }, { resolvedAt: { gte: filter.from } }] });
  return db.alert.findMany({ where: { AND: and }, orderBy: [{ severityRank: 'asc' }, { startedAt: 'desc' }, { id: 'asc' }], take: filter.limit });
}

export async function countOpenAlerts(db: DbClient = prisma()): Promise<{ firing: number; acknowledged: number }> {
  const groups = await db.alert.groupBy({ by: ['state'], where: { state: { in: ['firing', 'acknowledged'] } }, _count: { _all: true } });
  const of = (state: AlertState) => groups.find((g) => g.state === state)?._count._all ?? 0;
  return { firing: of('firing'), acknowledged: of('acknowledged') };
}

/** Alerts of these fingerprints that were open at some point in [from, to] (a replay's merge). */
export function alertsOverlapping(fingerprints: readonly string[], from: Date, to: Date, db: DbClient = prisma()): Promise<AlertRow[]> {
  if (fingerprints.length === 0) return Promise.resolve([]);
  return db.alert.findMany({
    where: { fingerprint: { in: [...fingerprints] }, startedAt: { lte: to }, OR: [{ resolvedAt: null }, { resolvedAt: { gte: from } }] },
    orderBy: { startedAt: 'asc' },
  });
}

// Silences

export function insertSilenceRow(data: Omit<Prisma.SilenceUncheckedCreateInput, 'id' | 'createdAt'>, db: DbClient = prisma()): Promise<SilenceRow> {
  return db.silence.create({ data });
}

export function listSilenceRows(includeExpiredSince: Date, db: DbClient = prisma()): Promise<SilenceRow[]> {
  return db.silence.findMany({ where: { endsAt: { gte: includeExpiredSince } }, orderBy: [{ endsAt: 'desc' }] });
}

/** Silences in force at `at` (started, not yet ended or ended early). */
export function activeSilenceRows(at: Date, db: DbClient = prisma()): Promise<SilenceRow[]> {
  return db.silence.findMany({ where: { startsAt: { lte: at }, endsAt: { gt: at }, endedAt: null } });
}

export function findSilenceRow(id: string, db: DbClient = prisma()): Promise<SilenceRow | null> {
  return db.silence.findUnique({ where: { id } });
}

export async function endSilenceRow(id: string, at: Date, db: DbClient = prisma()): Promise<boolean> {
  const { count } = await db.silence.updateMany({ where: { id, endedAt: null, endsAt: { gt: at } }, data: { endedAt: at } });
  return count === 1;
}

// Rule settings

export function ruleSettingRows(db: DbClient = prisma()) {
  return db.alertRule.findMany();
}

export async function saveRuleSettingRows(rows: ReadonlyArray<{ kind: string; settings: Prisma.InputJsonValue }>, updatedBy: string, db: DbClient = prisma()): Promise<void> {
  for (const row of rows) {
    await db.alertRule.upsert({ where: { kind: row.kind }, create: { kind: row.kind, settings: row.settings, updatedBy }, update: { settings: row.settings, updatedBy } });
  }
}
