// GET /api/auth/me — who the caller is and what it may do
import { defineRoute } from '@/lib/http/define-route';
import type { MeDto } from '@/lib/schemas/auth';

export const GET = defineRoute({
  access: { permission: 'read' },
  handler: async ({ actor }): Promise<MeDto> =>
    actor.kind === 'user'
      ? { kind: 'user', id: actor.id, label: actor.email, role: actor.role, scopes: [] }
      : actor.kind === 'api_key'
        ? { kind: 'api_key', id: actor.id, label: actor.name, role: null, scopes: [...actor.scopes] }
        : { kind: 'user', id: 'system', label: actor.name, role: 'admin', scopes: [] },
});
