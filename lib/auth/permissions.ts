import type { ApiKeyScope, Role } from '@/lib/schemas/auth';

/** What an actor may do. Routes and verbs ask for a permission, never for a role. */
export type Permission =
  | 'read' // view the map, incidents, alerts, runbooks, traces
  | 'acknowledge' // acknowledge and resolve alerts and incidents
  | 'edit_runbooks'
  | 'admin' // users, API keys, rules, probes, settings
  | 'ingest'; // send telemetry to /v1/*

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  responder: ['read', 'acknowledge'],
  editor: ['read', 'acknowledge', 'edit_runbooks'],
  admin: ['read', 'acknowledge', 'edit_runbooks', 'admin'],
};

// Keys are for machines: ingest keys only send data; admin keys also read.
const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  ingest: ['ingest'],
  read: ['read'],
  admin: ['read', 'admin'],
};

export type Actor =
  | { kind: 'user'; id: string; email: string; role: Role }
  | { kind: 'api_key'; id: string; name: string; scopes: readonly ApiKeyScope[] }
  | { kind: 'system'; name: string };

export function permissionsOf(actor: Actor): ReadonlySet<Permission> {
  switch (actor.kind) {
    case 'user':
      return new Set(ROLE_PERMISSIONS[actor.role]);
    case 'api_key':
      return new Set(actor.scopes.flatMap((s) => SCOPE_PERMISSIONS[s]));
    case 'system':
      return new Set<Permission>(['read', 'acknowledge', 'edit_runbooks', 'admin', 'ingest']);
  }
}

export function can(actor: Actor, permission: Permission): boolean {
  return permissionsOf(actor).has(permission);
}

export function describeActor(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.email;
    case 'api_key':
      return `api key "${actor.name}"`;
    case 'system':
      return actor.name;
  }
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
