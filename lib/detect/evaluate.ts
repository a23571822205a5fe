// POST /api/admin/evaluate: a replay of detection and correlation over a past window, audited.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { EvaluateInput } from '@/lib/schemas/alerts';
import type { EvaluateResultDto } from '@/lib/schemas/incidents';
import { correlateAlerts } from '@/lib/correlate/engine';
import { toIncidentDto } from '@/lib/correlate/incidents';
import { findAlertRows } from '@/lib/db/alerts';
import { findIncidentWithAlerts } from '@/lib/db/incidents';
import { toAlertDto } from './alerts';
import { replayDetection } from './engine';

export async function evaluateWindow({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<EvaluateResultDto> {
  requirePermission(actor, 'admin');
  const { from, to } = EvaluateInput.parse(input);
  const outcome = await replayDetection(new Date(from), new Date(to), describeActor(actor));
  await correlateAlerts(new Date(to), { force: [...new Set(outcome.alerts.map((a) => a.alert.incidentId).filter((id): id is string => id !== null))] });
  // Grouping assigned incidents after the replay recorded its alerts: read them back.
  const alerts = await findAlertRows(outcome.alerts.map((a) => a.alert.id));
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const incidentIds = [...new Set(alerts.map((a) => a.incidentId).filter((id): id is string => id !== null))];
  const incidents = (await Promise.all(incidentIds.map((id) => findIncidentWithAlerts(id)))).filter((i) => i !== null).map(toIncidentDto);
  const recorded = outcome.alerts.filter((a) => a.recorded === 'new').length;
  await audit({ actor, action: 'detection.evaluate', details: { from, to, alerts: outcome.alerts.length, recorded }, ip });
  return {
    from: outcome.from.toISOString(),
    to: outcome.to.toISOString(),
    ticks: outcome.ticks,
    stepMs: outcome.stepMs,
    alerts: outcome.alerts.map((a) => ({ ...toAlertDto(byId.get(a.alert.id) ?? a.alert), recorded: a.recorded })),
    incidents,
  };
}
