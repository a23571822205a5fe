// GET /api/alerts/:id/signal — the rule's reading of the alert's entity around the alert, with its threshold (read)
import { z } from 'zod';
import { alertSignalSeries } from '@/lib/detect/signal';
import { defineRoute } from '@/lib/http/define-route';
import { Uuid } from '@/lib/schemas/common';

export const GET = defineRoute({ access: { permission: 'read' }, params: z.object({ id: Uuid }), handler: ({ actor, params }) => alertSignalSeries({ actor, id: params.id! }) });
