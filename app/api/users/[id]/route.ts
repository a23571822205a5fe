// PATCH /api/users/:id — change a user's role or disable them (admin)
import { updateUser } from '@/lib/auth/users';
import { defineRoute } from '@/lib/http/define-route';
import { UpdateUserInput } from '@/lib/schemas/auth';
import { Uuid } from '@/lib/schemas/common';
import { z } from 'zod';

export const PATCH = defineRoute({
  access: { permission: 'admin' },
  params: z.object({ id: Uuid }),
  body: UpdateUserInput,
  handler: ({ actor, body, params, ip }) => updateUser({ actor, id: params.id!, input: body, ip }),
});
