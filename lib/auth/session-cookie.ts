import { env } from '@/lib/config/env';
import { SESSION_COOKIE } from './sessions';

/** Set-Cookie value for a session: httpOnly, SameSite=Lax, Secure over https (or when forced). */
export function sessionCookie(token: string, expiresAt: Date, isHttpsRequest: boolean): string {
  const setting = env().SECURE_COOKIES;
  const secure = setting === 'auto' ? isHttpsRequest : setting;
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
