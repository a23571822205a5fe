import type { ApiKeyScope } from '@/lib/schemas/auth';
import { prisma, type DbClient } from './client';

const keySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { email: true } },
} as const;

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { email: string } | null;
};

export function insertApiKey(data: { name: string; prefix: string; keyHash: string; scopes: ApiKeyScope[]; createdById?: string }, db: DbClient = prisma()): Promise<ApiKeyRow> {
  return db.apiKey.create({ data, select: keySelect });
}

export function listApiKeys(): Promise<ApiKeyRow[]> {
  return prisma().apiKey.findMany({ select: keySelect, orderBy: { createdAt: 'desc' } });
}

export function findApiKeyByHash(keyHash: string): Promise<ApiKeyRow | null> {
  return prisma().apiKey.findUnique({ where: { keyHash }, select: keySelect });
}

export function findApiKeyById(id: string, db: DbClient = prisma()): Promise<ApiKeyRow | null> {
  return db.apiKey.findUnique({ where: { id }, select: keySelect });
}

export async function markApiKeyUsed(id: string, at: Date): Promise<void> {
  await prisma().apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
}

export function revokeApiKeyRow(id: string, at: Date, db: DbClient = prisma()): Promise<ApiKeyRow> {
  return db.apiKey.update({ where: { id }, data: { revokedAt: at }, select: keySelect });
}
