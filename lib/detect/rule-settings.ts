// Settings → Alert rules: the stored settings of each built-in rule over the defaults. Admins
// edit the whole set at once (validated); every change is audited.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { ruleSettingRows, saveRuleSettingRows } from '@/lib/db/alerts';
import { inTransaction } from '@/lib/db/client';
import { logger } from '@/lib/log/logger';
import { DEFAULT_RULES, RULE_KINDS, RuleConfigInput, RuleSettings, type RuleConfig, type RuleSetDto } from '@/lib/schemas/alerts';

async function storedRules(): Promise<{ rules: RuleConfig; updatedAt: Date | null; updatedBy: string | null }> {
  const rows = await ruleSettingRows();
  const rules = structuredClone(DEFAULT_RULES) as Record<string, unknown>;
  let latest: (typeof rows)[number] | null = null;
  for (const row of rows) {
    if (!(RULE_KINDS as readonly string[]).includes(row.kind)) continue;
    const kind = row.kind as keyof RuleConfig;
    // Settings saved by an older version may lack a newer field: the default fills it in.
    const parsed = RuleSettings[kind].safeParse({ ...DEFAULT_RULES[kind], ...(row.settings as object) });
    if (parsed.success) rules[kind] = parsed.data;
    else logger().warn({ kind, issues: parsed.error.issues }, 'stored alert rule settings are invalid; using the defaults');
    if (!latest || row.updatedAt > latest.updatedAt) latest = row;
  }
  return { rules: rules as RuleConfig, updatedAt: latest?.updatedAt ?? null, updatedBy: latest?.updatedBy ?? null };
}

/** The rule set detection runs with now. */
export async function loadRuleConfig(): Promise<RuleConfig> {
  return (await storedRules()).rules;
}

export async function getRuleSet({ actor }: { actor: Actor }): Promise<RuleSetDto> {
  requirePermission(actor, 'read');
  const { rules, updatedAt, updatedBy } = await storedRules();
  return { rules, defaults: DEFAULT_RULES, updatedAt: updatedAt?.toISOString() ?? null, updatedBy };
}

export async function saveRuleSet({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<RuleSetDto> {
  requirePermission(actor, 'admin');
  const rules = RuleConfigInput.parse(input);
  const before = await loadRuleConfig();
  const changed = RULE_KINDS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(rules[k]));
  await inTransaction(async (tx) => {
    await saveRuleSettingRows(changed.map((kind) => ({ kind, settings: rules[kind] })), describeActor(actor), tx);
    if (changed.length > 0) {
      await audit({ actor, action: 'alert_rules.update', target: { type: 'alert_rules', id: changed.join(',') }, details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: rules[k] }])), ip }, tx);
    }
  });
  return getRuleSet({ actor });
}
