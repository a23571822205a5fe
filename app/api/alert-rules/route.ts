// GET /api/alert-rules — the rule settings in force and the defaults (read); PUT — replace them, validated (admin)
import { getRuleSet, saveRuleSet } from '@/lib/detect/rule-settings';
import { defineRoute } from '@/lib/http/define-route';
import { RuleConfigInput } from '@/lib/schemas/alerts';

export const GET = defineRoute({ access: { permission: 'read' }, handler: ({ actor }) => getRuleSet({ actor }) });

export const PUT = defineRoute({ access: { permission: 'admin' }, body: RuleConfigInput, handler: ({ actor, body, ip }) => saveRuleSet({ actor, input: body, ip }) });
