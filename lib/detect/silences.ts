// Silences: "we know, stop paging" for a rule and/or a service for a while. Matching alerts are
// still recorded and shown (marked silenced); only their notifications are held back.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { endSilenceRow, findSilenceRow, insertSilenceRow, listSilenceRows, type SilenceRow } from '@/lib/db/alerts';
import { inTransaction } from '@/lib/db/client';
import { notFound } from '@/lib/http/errors';
import { SilenceInput, type RuleKind, type SilenceDto } from '@/lib/schemas/alerts';

const RECENTLY_ENDED_MS = 24 * 3_600_000;

function toDto(row: SilenceRow, now = new Date()): SilenceDto {
  return {
    id: row.id,
    rule: row.rule as RuleKind | null,
    service: row.service,
    target: row.target,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    createdBy: row.createdByLabel,
    createdAt: row.createdAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    active: row.endedAt === null && row.startsAt <= now && row.endsAt > now,
  };
}

/** Silences in force or scheduled, and those that ended in the last day. */
export async function listSilences({ actor }: { actor: Actor }): Promise<SilenceDto[]> {
  requirePermission(actor, 'read');
  const rows = await listSilenceRows(new Date(Date.now() - RECENTLY_ENDED_MS));
  return rows.map((r) => toDto(r));
}

export async function createSilence({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<SilenceDto> {
  requirePermission(actor, 'acknowledge');
  const data = SilenceInput.parse(input);
  const startsAt = data.startsAt ? new Date(data.startsAt) : new Date();
  const row = await inTransaction(async (tx) => {
    const created = await insertSilenceRow(
      {
        rule: data.rule ?? null,
        service: data.service ?? null,
        target: data.target ?? null,
        startsAt,
        endsAt: new Date(startsAt.getTime() + data.durationMinutes * 60_000),
        reason: data.reason,
        createdById: actor.kind === 'system' ? null : actor.id,
        createdByLabel: describeActor(actor),
      },
      tx,
    );
    await audit({ actor, action: 'silence.create', target: { type: 'silence', id: created.id }, details: { ...data }, ip }, tx);
    return created;
  });
  return toDto(row);
}

/** Ends a silence now (idempotent: ending one that already ended returns it unchanged). */
export async function endSilence({ actor, id, ip }: { actor: Actor; id: string; ip?: string }): Promise<SilenceDto> {
  requirePermission(actor, 'acknowledge');
  const now = new Date();
  await inTransaction(async (tx) => {
    if (!(await findSilenceRow(id, tx))) throw notFound(`No silence with id ${id}`);
    if (await endSilenceRow(id, now, tx)) await audit({ actor, action: 'silence.end', target: { type: 'silence', id }, ip }, tx);
  });
  return toDto((await findSilenceRow(id))!, now);
}
