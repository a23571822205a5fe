import { forbidden } from '@/lib/http/errors';
import { can, describeActor, type Actor, type Permission } from './permissions';

const NEEDS: Record<Permission, string> = {
  read: 'a signed-in user or an API key with the read scope',
  acknowledge: 'the responder, editor or admin role',
  edit_runbooks: 'the editor or admin role',
  admin: 'the admin role or an API key with the admin scope',
  ingest: 'an API key with the ingest scope',
};

/** Throws 403 unless the actor holds the permission. Every verb calls this before acting. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    throw forbidden(`${describeActor(actor)} may not do this: it needs ${NEEDS[permission]}`);
  }
}
