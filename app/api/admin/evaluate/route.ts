// POST /api/admin/evaluate {from, to} — replay detection over a past window (at most 6 h) and return what fired (admin)
import { evaluateWindow } from '@/lib/detect/evaluate';
import { defineRoute } from '@/lib/http/define-route';
import { EvaluateInput } from '@/lib/schemas/alerts';

export const POST = defineRoute({ access: { permission: 'admin' }, body: EvaluateInput, handler: ({ actor, body, ip }) => evaluateWindow({ actor, input: body, ip }) });
