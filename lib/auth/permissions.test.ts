import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/http/errors';
import { requirePermission } from './guard';
import { can, type Actor } from './permissions';

const user = (role: 'viewer' | 'responder' | 'editor' | 'admin'): Actor => ({ kind: 'user', id: 'u', email: `${role}@x.io`, role });
const key = (...scopes: ('ingest' | 'read' | 'admin')[]): Actor => ({ kind: 'api_key', id: 'k', name: 'k', scopes });

describe('permissions', () => {
  it('gives each role the rights of the roles below it', () => {
    expect([can(user('viewer'), 'read'), can(user('viewer'), 'acknowledge')]).toEqual([true, false]);
    expect([can(user('responder'), 'acknowledge'), can(user('responder'), 'edit_runbooks')]).toEqual([true, false]);
    expect([can(user('editor'), 'edit_runbooks'), can(user('editor'), 'admin')]).toEqual([true, false]);
    expect(can(user('admin'), 'admin')).toBe(true);
  });

  it('keeps people from ingesting and ingest keys from reading', () => {
    expect(can(user('admin'), 'ingest')).toBe(false);
    expect(can(key('ingest'), 'ingest')).toBe(true);
    expect(can(key('ingest'), 'read')).toBe(false);
    expect(can(key('read'), 'admin')).toBe(false);
    expect(can(key('admin'), 'read')).toBe(true);
    expect(can(key('admin'), 'acknowledge')).toBe(false);
  });

  it('refuses with a 403 that says what is needed', () => {
    expect(() => requirePermission(user('viewer'), 'admin')).toThrow(AppError);
    const refusal = (() => {
      try {
        requirePermission(key('read'), 'admin');
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(refusal?.status).toBe(403);
    expect(refusal?.message).toMatch(/needs the admin role or an API key with the admin scope/);
    expect(() => requirePermission(user('admin'), 'admin')).not.toThrow();
  });
});
