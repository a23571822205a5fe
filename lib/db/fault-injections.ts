// Faults switched on in the demo fleet (public.fault_injections): the Chaos panel's history and
// the ground truth root-cause analysis is scored against.
import type { Prisma } from './generated/client';
import { prisma, type DbClient } from './client';

export interface FaultInjectionRow {
  id: string;
  fleetFaultId: string;
  kind: string;
  target: string;
  params: Prisma.JsonValue;
  startedAt: Date;
  endsAt: Date | null;
  endedAt: Date | null;
  source: string;
  actorLabel: string;
  createdAt: Date;
}

export interface NewFaultInjection {
  fleetFaultId: string;
  kind: string;
  target: string;
  params: Prisma.InputJsonObject;
  startedAt: Date;
  endsAt: Date | null;
  source: string;
  actorLabel: string;
}

export function insertFaultInjection(data: NewFaultInjection, db: DbClient = prisma()): Promise<FaultInjectionRow> {
  return db.faultInjection.create({ data });
}

export function findFaultInjection(id: string, db: DbClient = prisma()): Promise<FaultInjectionRow | null> {
  return db.faultInjection.findUnique({ where: { id } });
}

export function markFaultInjectionEnded(id: string, endedAt: Date, db: DbClient = prisma()): Promise<FaultInjectionRow> {
  return db.faultInjection.update({ where: { id }, data: { endedAt } });
}

/**
 * Ends the still-running records of a kind on a target at `at`: the fleet keeps one fault of a
 * kind per target, so a new switch replaces them. Returns how many were ended.
 */
export async function endRunningFaultInjections(
  { kind, target, at }: { kind: string; target: string; at: Date },
  db: DbClient = prisma(),
): Promise<number> {
  const { count } = await db.faultInjection.updateMany({
    where: {
      kind,
      target,
      endedAt: null,
      OR: [{ endsAt: null }, { endsAt: { gt: at } }],
      startedAt: { lte: at },
    },
    data: { endedAt: at },
  });
  return count;
}

/** The newest `limit` switches, newest first. */
export function listRecentFaultInjections(limit: number, db: DbClient = prisma()): Promise<FaultInjectionRow[]> {
  return db.faultInjection.findMany({ orderBy: [{ startedAt: 'desc' }, { createdAt: 'desc' }], take: limit });
}

/** Switches that were on at some point in [from, to], oldest first: started by `to`, not over before `from`. */
export function listFaultInjectionsInRange(
  { from, to, limit }: { from: Date; to: Date; limit: number },
  db: DbClient = prisma(),
): Promise<FaultInjectionRow[]> {
  return db.faultInjection.findMany({
    where: {
      startedAt: { lte: to },
      OR: [{ endedAt: { gte: from } }, { endedAt: null, endsAt: { gte: from } }, { endedAt: null, endsAt: null }],
    },
    orderBy: [{ startedAt: 'asc' }, { createdAt: 'asc' }],
    take: limit,
  });
}

/** Ends every fault still recorded as running (its fleet is gone); returns how many. */
export async function endAllRunningFaultInjections(at: Date, db: DbClient = prisma()): Promise<number> {
  const { count } = await db.faultInjection.updateMany({
    where: { endedAt: null, startedAt: { lte: at }, OR: [{ endsAt: null }, { endsAt: { gt: at } }] },
    data: { endedAt: at },
  });
  return count;
}
