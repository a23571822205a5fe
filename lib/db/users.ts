import type { Role } from '@/lib/schemas/auth';
import { prisma, type DbClient } from './client';

const publicUser = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;

export type UserRow = { id: string; email: string; name: string | null; role: Role; disabledAt: Date | null; createdAt: Date };

export function countUsers(): Promise<number> {
  return prisma().user.count();
}

export function listUsers(): Promise<UserRow[]> {
  return prisma().user.findMany({ select: publicUser, orderBy: { createdAt: 'asc' } });
}

export function findUserById(id: string, db: DbClient = prisma()): Promise<UserRow | null> {
  return db.user.findUnique({ where: { id }, select: publicUser });
}

/** The only read that returns the password hash: for the login check. */
export function findUserCredentials(email: string): Promise<(UserRow & { passwordHash: string }) | null> {
  return prisma().user.findUnique({ where: { email }, select: { ...publicUser, passwordHash: true } });
}

export function insertUser(data: { email: string; name?: string; role: Role; passwordHash: string }, db: DbClient = prisma()): Promise<UserRow> {
  return db.user.create({ data, select: publicUser });
}

export function updateUserRow(id: string, data: { role?: Role; disabledAt?: Date | null; passwordHash?: string }, db: DbClient = prisma()): Promise<UserRow> {
  return db.user.update({ where: { id }, data, select: publicUser });
}

export function countActiveAdmins(db: DbClient = prisma()): Promise<number> {
  return db.user.count({ where: { role: 'admin', disabledAt: null } });
}
