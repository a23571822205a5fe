import { prisma, type DbClient } from './client';

export async function insertLoginAttempt(data: { email: string; ip: string; succeeded: boolean }, db: DbClient = prisma()): Promise<void> {
  await db.loginAttempt.create({ data });
}

/** Failed attempts since `since` for this e-mail and for this client address. */
export async function countRecentFailures(email: string, ip: string, since: Date): Promise<{ byEmail: number; byIp: number }> {
  const [byEmail, byIp] = await Promise.all([
    prisma().loginAttempt.count({ where: { email, succeeded: false, at: { gte: since } } }),
    prisma().loginAttempt.count({ where: { ip, succeeded: false, at: { gte: since } } }),
  ]);
  return { byEmail, byIp };
}

export async function deleteLoginAttemptsBefore(before: Date): Promise<void> {
  await prisma().loginAttempt.deleteMany({ where: { at: { lt: before } } });
}
