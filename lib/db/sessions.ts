import type { Role } from '@/lib/schemas/auth';
import { prisma, type DbClient } from './client';

export function insertSession(data: { id: string; userId: string; expiresAt: Date; ip?: string; userAgent?: string }, db: DbClient = prisma()) {
  return db.session.create({ data, select: { id: true } });
}

export interface SessionWithUser {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
  user: { id: string; email: string; role: Role; disabledAt: Date | null };
}

export function findSession(id: string): Promise<SessionWithUser | null> {
  return prisma().session.findUnique({
    where: { id },
    select: { id: true, expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, role: true, disabledAt: true } } },
  });
}

export async function touchSession(id: string, at: Date): Promise<void> {
  await prisma().session.updateMany({ where: { id }, data: { lastSeenAt: at } });
}

export async function deleteSession(id: string): Promise<void> {
  await prisma().session.deleteMany({ where: { id } });
}

export async function deleteSessionsOfUser(userId: string, db: DbClient = prisma()): Promise<void> {
  await db.session.deleteMany({ where: { userId } });
}

export async function deleteExpiredSessions(now: Date): Promise<number> {
  const { count } = await prisma().session.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
