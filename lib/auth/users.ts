import { inTransaction, isUniqueViolation } from '@/lib/db/client';
import { deleteSessionsOfUser } from '@/lib/db/sessions';
import { countActiveAdmins, countUsers, findUserById, findUserCredentials, insertUser, listUsers, updateUserRow, type UserRow } from '@/lib/db/users';
import { conflict, notFound } from '@/lib/http/errors';
import { CreateUserInput, UpdateUserInput, type Role, type UserDto } from '@/lib/schemas/auth';
import { audit } from './audit';
import { requirePermission } from './guard';
import type { Actor } from './permissions';
import { hashPassword, randomPassword } from './secrets';

function toDto(row: UserRow): UserDto {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabledAt !== null, createdAt: row.createdAt.toISOString() };
}

export async function createUser({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<UserDto> {
  requirePermission(actor, 'admin');
  const { email, name, role, password } = CreateUserInput.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    const row = await inTransaction(async (tx) => {
      const created = await insertUser({ email, name, role, passwordHash }, tx);
      await audit({ actor, action: 'user.create', target: { type: 'user', id: created.id }, details: { email, role }, ip }, tx);
      return created;
    });
    return toDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A user with e-mail ${email} already exists`);
    throw err;
  }
}

export async function listAllUsers({ actor }: { actor: Actor }): Promise<UserDto[]> {
  requirePermission(actor, 'admin');
  return (await listUsers()).map(toDto);
}

export async function updateUser({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<UserDto> {
  requirePermission(actor, 'admin');
  const change = UpdateUserInput.parse(input);
  const row = await inTransaction(async (tx) => {
    const existing = await findUserById(id, tx);
    if (!existing) throw notFound(`User ${id} not found`);
    const losesAdmin = existing.role === 'admin' && !existing.disabledAt && ((change.role && change.role !== 'admin') || change.disabled === true);
    // Nobody could manage users or keys any more.
    if (losesAdmin && (await countActiveAdmins(tx)) <= 1) throw conflict('This is the last active admin: make another admin first');
    const updated = await updateUserRow(
      id,
      { role: change.role, disabledAt: change.disabled === undefined ? undefined : change.disabled ? (existing.disabledAt ?? new Date()) : null },
      tx,
    );
    // A disabled user or a demoted admin must not keep a session carrying the old rights.
    if (change.disabled || (change.role && change.role !== existing.role)) await deleteSessionsOfUser(id, tx);
    await audit({ actor, action: 'user.update', target: { type: 'user', id }, details: { ...change, email: existing.email }, ip }, tx);
    return updated;
  });
  return toDto(row);
}

/**
 * On first start there is nobody to sign in as: creates an admin with a random password and
 * returns the credentials to print once. Returns null when users already exist.
 */
export async function ensureInitialAdmin(email = 'admin@faultline.local'): Promise<{ email: string; password: string } | null> {
  if ((await countUsers()) > 0) return null;
  const password = randomPassword();
  const passwordHash = await hashPassword(password);
  try {
    await inTransaction(async (tx) => {
      const row = await insertUser({ email, role: 'admin', passwordHash }, tx);
      await audit({ actor: { kind: 'system', name: 'faultline' }, action: 'user.create_initial_admin', target: { type: 'user', id: row.id }, details: { email } }, tx);
    });
  } catch (err) {
    // Two processes starting on an empty database at once: the other one made (and printed) the admin.
    if (isUniqueViolation(err)) return null;
    throw err;
  }
  return { email, password };
}

/** For the CLI and seeds: creates (or fails on an existing) user as the system. */
export async function createUserAsSystem(input: { email: string; role: Role; password: string; name?: string }): Promise<UserDto> {
  return createUser({ actor: { kind: 'system', name: 'cli' }, input });
}

/**
 * For the demo: makes sure an account exists with this role and a fresh random password (enabled,
 * other sessions ended), and returns the password to print. Never used for real accounts.
 */
export async function resetDemoUser(email: string, role: Role): Promise<{ email: string; password: string; role: Role }> {
  const password = randomPassword();
  const passwordHash = await hashPassword(password);
  const actor = { kind: 'system', name: 'demo' } as const;
  const existing = await findUserCredentials(email);
  await inTransaction(async (tx) => {
    if (existing) {
      await updateUserRow(existing.id, { role, disabledAt: null, passwordHash }, tx);
      await deleteSessionsOfUser(existing.id, tx);
      await audit({ actor, action: 'user.demo_reset', target: { type: 'user', id: existing.id }, details: { email, role } }, tx);
    } else {
      const row = await insertUser({ email, role, passwordHash }, tx);
      await audit({ actor, action: 'user.create', target: { type: 'user', id: row.id }, details: { email, role } }, tx);
    }
  });
  return { email, password, role };
}
