// DELETE /api/api-keys/:id — revoke a key (admin); it stops working at once
import { revokeApiKey } from '@/lib/auth/api-keys';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';
import { z } from 'zod';

export const DELETE = defineRoute({
  access: { permission: 'admin' },
  params: z.object({ id: Uuid }),
  handler: ({ actor, params, ip }) => revokeApiKey({ actor, id: params.id!, ip }),
});
