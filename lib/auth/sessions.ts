import { env } from '@/lib/config/env';
import type { DbClient } from '@/lib/db/client';
import { deleteSession, findSession, insertSession, touchSession } from '@/lib/db/sessions';
import type { Actor } from './permissions';
import { randomSecret, sha256 } from './secrets';

export const SESSION_COOKIE = 'faultline_session';

// lastSeenAt is written at most once a minute per session, not on every request.
const TOUCH_INTERVAL_MS = 60_000;

export async function startSession(
  userId: string,
  meta: { ip?: string; userAgent?: string },
  tx?: DbClient,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomSecret();
  const expiresAt = new Date(Date.now() + env().SESSION_TTL_HOURS * 3_600_000);
  await insertSession({ id: sha256(token), userId, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) }, tx);
  return { token, expiresAt };
}

/** The signed-in user behind a session cookie, or null if it is unknown, expired, idle or disabled. */
export async function resolveSession(token: string | undefined, now = new Date()): Promise<Extract<Actor, { kind: 'user' }> | null> {
  if (!token || token.length > 200) return null;
  const id = sha256(token);
  const session = await findSession(id);
  if (!session) return null;
  const idleLimit = env().SESSION_IDLE_HOURS * 3_600_000;
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > idleLimit || session.user.disabledAt) {
    await deleteSession(id);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await touchSession(id, now);
  return { kind: 'user', id: session.user.id, email: session.user.email, role: session.user.role };
}

export async function endSession(token: string | undefined): Promise<void> {
  if (token) await deleteSession(sha256(token));
}
