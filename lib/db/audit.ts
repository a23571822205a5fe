import type { ActorType, Prisma } from './generated/client';
import { prisma, type DbClient } from './client';

/** Any JSON value: what the audit entry records about the change. */
export type AuditDetails = Prisma.InputJsonValue;

export interface AuditEntry {
  actorType: ActorType;
  actorId?: string;
  actorLabel: string;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
  ip?: string;
}

export async function insertAuditEntry(entry: AuditEntry, db: DbClient = prisma()): Promise<void> {
  await db.auditLog.create({ data: entry });
}

export function listAuditEntries(limit: number) {
  return prisma().auditLog.findMany({ orderBy: { id: 'desc' }, take: limit });
}
