import { describe, expect, it } from 'vitest';
import { resetEnv } from '@/lib/config/env';
import { AppError } from '@/lib/http/errors';
import { authenticateApiKey, createApiKey, listKeys, revokeApiKey } from './api-keys';
import { login } from './login';
import type { Actor } from './permissions';
import { resolveSession } from './sessions';
import { createUserAsSystem, ensureInitialAdmin, updateUser } from './users';

const system: Actor = { kind: 'system', name: 'test' };
const PASSWORD = 'a-long-enough-password';

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('first start', () => {
  it('creates one admin with a random password, only when there are no users', async () => {
    // Several processes starting on one empty database at once: one admin, nobody crashes.
    const racing = await Promise.all([1, 2, 3].map(() => ensureInitialAdmin('first@faultline.test')));
    expect(racing.filter(Boolean)).toHaveLength(1);
    const first = racing.find(Boolean);
    expect(first?.password.length).toBeGreaterThanOrEqual(16);
    const session = await login({ input: { email: 'first@faultline.test', password: first!.password }, ip: '127.0.0.1' });
    expect(session.user.role).toBe('admin');
    expect(await ensureInitialAdmin('second@faultline.test')).toBeNull();
  });
});

describe('login', () => {
  it('gives the same answer for a wrong password and an unknown e-mail', async () => {
    await createUserAsSystem({ email: 'Same.Answer@Faultline.test', role: 'viewer', password: PASSWORD });
    const wrong = await errorOf(login({ input: { email: 'same.answer@faultline.test', password: 'nope' }, ip: '10.0.0.1' }));
    const unknown = await errorOf(login({ input: { email: 'nobody@faultline.test', password: 'nope' }, ip: '10.0.0.1' }));
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.message).toBe(unknown.message);
    // E-mail is matched case-insensitively.
    const ok = await login({ input: { email: 'SAME.answer@faultline.test', password: PASSWORD }, ip: '10.0.0.1' });
    expect(await resolveSession(ok.token)).toMatchObject({ email: 'same.answer@faultline.test', role: 'viewer' });
  });

  it('locks an e-mail out after repeated failures, even with the right password', async () => {
    await createUserAsSystem({ email: 'locked@faultline.test', role: 'viewer', password: PASSWORD });
    for (let i = 0; i < 5; i++) {
      expect((await errorOf(login({ input: { email: 'locked@faultline.test', password: 'bad' }, ip: `10.1.0.${i}` }))).status).toBe(401);
    }
    const limited = await errorOf(login({ input: { email: 'locked@faultline.test', password: PASSWORD }, ip: '10.1.0.99' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('limits failures per client address across e-mails', async () => {
    process.env.LOGIN_MAX_FAILURES_PER_IP = '3';
    resetEnv();
    try {
      for (let i = 0; i < 3; i++) await errorOf(login({ input: { email: `spray${i}@faultline.test`, password: 'x' }, ip: '10.2.0.1' }));
      expect((await errorOf(login({ input: { email: 'spray9@faultline.test', password: 'x' }, ip: '10.2.0.1' }))).status).toBe(429);
      expect((await errorOf(login({ input: { email: 'spray9@faultline.test', password: 'x' }, ip: '10.2.0.2' }))).status).toBe(401);
    } finally {
      delete process.env.LOGIN_MAX_FAILURES_PER_IP;
      resetEnv();
    }
  });
});

describe('sessions and users', () => {
  it('ends sessions when a user is disabled or their role changes', async () => {
    const user = await createUserAsSystem({ email: 'leaver@faultline.test', role: 'editor', password: PASSWORD });
    const first = await login({ input: { email: user.email, password: PASSWORD }, ip: '10.3.0.1' });
    await updateUser({ actor: system, id: user.id, input: { role: 'viewer' } });
    expect(await resolveSession(first.token)).toBeNull();

    const second = await login({ input: { email: user.email, password: PASSWORD }, ip: '10.3.0.1' });
    expect((await resolveSession(second.token))?.role).toBe('viewer');
    await updateUser({ actor: system, id: user.id, input: { disabled: true } });
    expect(await resolveSession(second.token)).toBeNull();
    expect((await errorOf(login({ input: { email: user.email, password: PASSWORD }, ip: '10.3.0.1' }))).status).toBe(401);
  });

  it('expires sessions after the idle limit', async () => {
    const user = await createUserAsSystem({ email: 'idle@faultline.test', role: 'viewer', password: PASSWORD });
    const session = await login({ input: { email: user.email, password: PASSWORD }, ip: '10.4.0.1' });
    const tomorrow = new Date(Date.now() + 25 * 3_600_000);
    expect(await resolveSession(session.token, tomorrow)).toBeNull();
  });

  it('refuses duplicate e-mails with 409 and bad input with the field named', async () => {
    await createUserAsSystem({ email: 'dup@faultline.test', role: 'viewer', password: PASSWORD });
    expect((await errorOf(createUserAsSystem({ email: 'dup@faultline.test', role: 'viewer', password: PASSWORD }))).status).toBe(409);
    await expect(createUserAsSystem({ email: 'short@faultline.test', role: 'viewer', password: 'short' })).rejects.toThrow(/password/);
  });

  it('will not demote or disable the last active admin', async () => {
    const admins = await createUserAsSystem({ email: 'only-admin@faultline.test', role: 'admin', password: PASSWORD });
    const actor: Actor = { kind: 'user', id: admins.id, email: admins.email, role: 'admin' };
    // The first-start admin from another test may exist; disable everyone else first.
    const { listAllUsers } = await import('./users');
    for (const u of await listAllUsers({ actor })) {
      if (u.role === 'admin' && u.id !== admins.id && !u.disabled) await updateUser({ actor, id: u.id, input: { disabled: true } });
    }
    expect((await errorOf(updateUser({ actor, id: admins.id, input: { role: 'viewer' } }))).status).toBe(409);
    expect((await errorOf(updateUser({ actor, id: admins.id, input: { disabled: true } }))).status).toBe(409);
  });

  it('refuses admin verbs to non-admins on the server', async () => {
    const viewer: Actor = { kind: 'user', id: '00000000-0000-0000-0000-000000000000', email: 'v@x.io', role: 'viewer' };
    expect((await errorOf(createApiKey({ actor: viewer, input: { name: 'x', scopes: ['ingest'] } }))).status).toBe(403);
    const target = await createUserAsSystem({ email: 'target@faultline.test', role: 'viewer', password: PASSWORD });
    expect((await errorOf(updateUser({ actor: viewer, id: target.id, input: { role: 'admin' } }))).status).toBe(403);
  });
});

describe('API keys', () => {
  it('authenticates a key until it is revoked, and records its last use', async () => {
    const { key, apiKey } = await createApiKey({ actor: system, input: { name: 'fleet', scopes: ['ingest', 'ingest'] } });
    expect(apiKey.scopes).toEqual(['ingest']);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(await authenticateApiKey(key)).toMatchObject({ kind: 'api_key', name: 'fleet', scopes: ['ingest'] });
    const listed = (await listKeys({ actor: system })).find((k) => k.id === apiKey.id);
    expect(listed?.lastUsedAt).not.toBeNull();
    // The list never carries the key or its hash.
    expect(JSON.stringify(listed)).not.toContain(key);

    await revokeApiKey({ actor: system, id: apiKey.id });
    expect(await authenticateApiKey(key)).toBeNull();
    expect(await authenticateApiKey(`${key}x`)).toBeNull();
    expect(await authenticateApiKey('not-a-key')).toBeNull();
  });
});

describe('housekeeping', () => {
  it('purges expired sessions and keeps live ones', async () => {
    const { purgeExpiredAuthData } = await import('./housekeeping');
    const user = await createUserAsSystem({ email: 'purge@faultline.test', role: 'viewer', password: PASSWORD });
    const session = await login({ input: { email: user.email, password: PASSWORD }, ip: '10.5.0.1' });
    await purgeExpiredAuthData(new Date());
    expect(await resolveSession(session.token)).not.toBeNull();
    await purgeExpiredAuthData(new Date(Date.now() + 8 * 24 * 3_600_000));
    expect(await resolveSession(session.token)).toBeNull();
  });
});
