import { env } from '@/lib/config/env';
import { inTransaction } from '@/lib/db/client';
import { countRecentFailures, insertLoginAttempt } from '@/lib/db/login-attempts';
import { findUserCredentials } from '@/lib/db/users';
import { tooManyRequests, unauthorized } from '@/lib/http/errors';
import { LoginInput } from '@/lib/schemas/auth';
import { audit } from './audit';
import { burnPasswordCheck, verifyPassword } from './secrets';
import { endSession, startSession } from './sessions';

// One message for an unknown e-mail, a wrong password and a disabled account.
const INVALID = 'Invalid e-mail or password';

export async function login({ input, ip, userAgent }: { input: unknown; ip: string; userAgent?: string }) {
  const { email, password } = LoginInput.parse(input);
  const config = env();
  const since = new Date(Date.now() - config.LOGIN_WINDOW_MINUTES * 60_000);
  const failures = await countRecentFailures(email, ip, since);
  if (failures.byEmail >= config.LOGIN_MAX_FAILURES_PER_EMAIL || failures.byIp >= config.LOGIN_MAX_FAILURES_PER_IP) {
    throw tooManyRequests('Too many failed sign-in attempts: wait a few minutes and try again', config.LOGIN_WINDOW_MINUTES * 60);
  }

  const user = await findUserCredentials(email);
  const isValid = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  if (!user || !isValid || user.disabledAt) {
    await insertLoginAttempt({ email, ip, succeeded: false });
    throw unauthorized(INVALID);
  }
  const actor = { kind: 'user', id: user.id, email: user.email, role: user.role } as const;
  const session = await inTransaction(async (tx) => {
    await insertLoginAttempt({ email, ip, succeeded: true }, tx);
    await audit({ actor, action: 'auth.login', target: { type: 'user', id: user.id }, ip }, tx);
    return startSession(user.id, { ip, userAgent }, tx);
  });
  return { ...session, user: actor };
}

export async function logout({ token }: { token: string | undefined }): Promise<void> {
  await endSession(token);
}
