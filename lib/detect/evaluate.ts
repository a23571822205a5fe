// POST /api/admin/evaluate: a replay of detection over a past window, audited.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { EvaluateInput, type EvaluateResultDto } from '@/lib/schemas/alerts';
import { toAlertDto } from './alerts';
import { replayDetection } from './engine';

export async function evaluateWindow({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<EvaluateResultDto> {
  requirePermission(actor, 'admin');
  const { from, to } = EvaluateInput.parse(input);
  const outcome = await replayDetection(new Date(from), new Date(to), describeActor(actor));
  const recorded = outcome.alerts.filter((a) => a.recorded === 'new').length;
  await audit({ actor, action: 'detection.evaluate', details: { from, to, alerts: outcome.alerts.length, recorded }, ip });
  return {
    from: outcome.from.toISOString(),
    to: outcome.to.toISOString(),
    ticks: outcome.ticks,
    stepMs: outcome.stepMs,
    alerts: outcome.alerts.map((a) => ({ ...toAlertDto(a.alert), recorded: a.recorded })),
  };
}
