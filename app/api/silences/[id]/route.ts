// DELETE /api/silences/:id — end a silence now (responder and above)
import { z } from 'zod';
import { endSilence } from '@/lib/detect/silences';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';

export const DELETE = defineRoute({ access: { permission: 'acknowledge' }, params: z.object({ id: Uuid }), handler: ({ actor, params, ip }) => endSilence({ actor, id: params.id!, ip }) });
