import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Actor } from './permissions';
import { resolveSession, SESSION_COOKIE } from './sessions';

/** For server-rendered pages: the signed-in user, or a redirect to the login page. */
export async function requirePageUser(): Promise<Extract<Actor, { kind: 'user' }>> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = await resolveSession(token);
  if (!user) redirect('/login');
  return user;
}

/** For the login page: whoever is already signed in, if anyone. */
export async function currentPageUser(): Promise<Extract<Actor, { kind: 'user' }> | null> {
  return resolveSession((await cookies()).get(SESSION_COOKIE)?.value);
}
