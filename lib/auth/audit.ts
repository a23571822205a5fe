import { insertAuditEntry, listAuditEntries, type AuditDetails } from '@/lib/db/audit';
import type { DbClient } from '@/lib/db/client';
import type { AuditEntryDto } from '@/lib/schemas/auth';
import { requirePermission } from './guard';
import { describeActor, type Actor } from './permissions';

/** Records who did what to which thing; every state change by a person or key goes through here. */
export async function audit(
  { actor, action, target, details, ip }: { actor: Actor; action: string; target?: { type: string; id: string }; details?: AuditDetails; ip?: string },
  tx?: DbClient,
): Promise<void> {
  await insertAuditEntry({
    actorType: actor.kind,
    actorId: actor.kind === 'system' ? undefined : actor.id,
    actorLabel: describeActor(actor),
    action,
    targetType: target?.type,
    targetId: target?.id,
    details,
    ip,
  }, tx);
}

export async function listAudit({ actor, limit }: { actor: Actor; limit: number }): Promise<AuditEntryDto[]> {
  requirePermission(actor, 'admin');
  const rows = await listAuditEntries(limit);
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    actor: r.actorLabel,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
  }));
}
