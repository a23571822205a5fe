// The chart on an alert's page: the rule's own reading of the alert's entity, step by step around
// the alert, computed by the same snapshot and rule code that fired it.
import type { Actor } from '@/lib/auth/permissions';
import { requirePermission } from '@/lib/auth/guard';
import { entityKey, type SignalSeriesDto } from '@/lib/schemas/alerts';
import { alertRow, toAlertDto } from './alerts';
import { loadRuleConfig } from './rule-settings';
import { measureRules } from './rules';
import { loadDetectionInputs, snapshotAt } from './snapshot';

const BEFORE_MS = 15 * 60_000;
const AFTER_MS = 5 * 60_000;
const MAX_RANGE_MS = 6 * 3_600_000;
const MAX_POINTS = 240;
const MIN_STEP_MS = 10_000;

export async function alertSignalSeries({ actor, id, now = new Date() }: { actor: Actor; id: string; now?: Date }): Promise<SignalSeriesDto> {
  requirePermission(actor, 'read');
  const alert = toAlertDto(await alertRow(id));
  const end = Math.min(now.getTime(), (alert.resolvedAt ? Date.parse(alert.resolvedAt) : now.getTime()) + AFTER_MS);
  const start = Math.max(Date.parse(alert.startedAt) - BEFORE_MS, end - MAX_RANGE_MS);
  const stepMs = Math.max(MIN_STEP_MS, Math.ceil((end - start) / MAX_POINTS / MIN_STEP_MS) * MIN_STEP_MS);
  const rules = await loadRuleConfig();
  // Show the reading even while the rule is switched off: the chart explains the past alert.
  const enabled = Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, { ...v, enabled: true }])) as typeof rules;
  const inputs = await loadDetectionInputs(new Date(start), new Date(end), enabled);
  const key = entityKey(alert.entity);
  const points: SignalSeriesDto['points'] = [];
  for (let t = Math.ceil(start / stepMs) * stepMs; t <= end; t += stepMs) {
    const at = new Date(t);
    const m = measureRules(snapshotAt(inputs, at, enabled), enabled).find((x) => x.rule === alert.rule && entityKey(x.entity) === key);
    points.push({ at: at.toISOString(), value: m?.value ?? null, threshold: m?.threshold ?? null });
  }
  return { rule: alert.rule, threshold: alert.threshold, from: new Date(start).toISOString(), to: new Date(end).toISOString(), stepMs, points };
}
