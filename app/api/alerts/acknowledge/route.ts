// POST /api/alerts/acknowledge {ids, note?} — acknowledge several alerts at once, with each one's outcome (responder and above)
import { acknowledgeAlerts } from '@/lib/detect/alerts';
import { defineRoute } from '@/lib/http/define-route';
import { BulkAcknowledgeInput } from '@/lib/schemas/alerts';

export const POST = defineRoute({ access: { permission: 'acknowledge' }, body: BulkAcknowledgeInput, handler: ({ actor, body, ip }) => acknowledgeAlerts({ actor, input: body, ip }) });
