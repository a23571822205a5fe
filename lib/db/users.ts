import type { Role } from '@/lib/schemas/auth';
import { prisma } from './client';

const publicUser = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;

export type UserRow = { id: string; email: string; name: string | null; role: Role; disabledAt: Date | null; createdAt: Date };

export function countUsers(): Promise<number> {
  return prisma().user.count();
}

export function listUsers(): Promise<UserRow[]> {
  return prisma().user.findMany({ select: publicUser, orderBy: { createdAt: 'asc' } });
}

export function findUserById(id: string): Promise<UserRow | null> {
  return prisma().user.findUnique({ where: { id }, select: publicUser });
}

/** The only read that returns the password hash: for the login check. */
export function findUserCredentials(email: string): Promise<(UserRow & { passwordHash: string }) | null> {
  return prisma().user.findUnique({ where: { email }, select: { ...publicUser, passwordHash: true } });
}

export function insertUser(data: { email: string; name?: string; role: Role; passwordHash: string }): Promise<UserRow> {
  return prisma().user.create({ data, select: publicUser });
}

export function updateUserRow(id: string, data: { role?: Role; disabledAt?: Date | null }): Promise<UserRow> {
  return prisma().user.update({ where: { id }, data, select: publicUser });
}

export function countActiveAdmins(): Promise<number> {
  return prisma().user.count({ where: { role: 'admin', disabledAt: null } });
}
