// Settings → Probes: the targets the active prober checks. Admin only; every change audited.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import type { Actor } from '@/lib/auth/permissions';
import { inTransaction, isUniqueViolation } from '@/lib/db/client';
import { latestResultsOfTargets } from '@/lib/db/probe-results';
import {
  deleteProbeTargetRow,
  findProbeTargetByName,
  findProbeTargetRow,
  insertProbeTarget,
  listProbeTargetRows,
  updateProbeTargetRow,
  type ProbeTargetRow,
} from '@/lib/db/probe-targets';
import { badRequest, conflict, notFound } from '@/lib/http/errors';
import { CreateProbeTargetInput, UpdateProbeTargetInput, type ProbeTargetDto } from '@/lib/schemas/probes';
import { notifyProbeTargetsChanged } from './prober';

function toDto(row: ProbeTargetRow, last: ProbeTargetDto['lastResult'] = null): ProbeTargetDto {
  return {
    id: row.id,
    name: row.name,
    service: row.service,
    url: row.url,
    method: row.method,
    intervalSeconds: row.intervalSeconds,
    timeoutMs: row.timeoutMs,
    expectedStatus: row.expectedStatus,
    parseHealthJson: row.parseHealthJson,
    paused: row.paused,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastResult: last,
  };
}

/** Targets with each one's newest result; readable by anyone who can read the dashboard. */
export async function listProbeTargets({ actor }: { actor: Actor }): Promise<ProbeTargetDto[]> {
  requirePermission(actor, 'read');
  const rows = await listProbeTargetRows();
  const latest = await latestResultsOfTargets(rows.map((r) => r.id));
  return rows.map((row) => {
    const r = latest.get(row.id);
    return toDto(row, r ? { status: r.status, checkedAt: r.checkedAt.toISOString(), latencyMs: r.latencyMs, message: r.message } : null);
  });
}

const nameTaken = (name: string) => conflict(`body.name: a probe target named "${name}" already exists`);

/** Runs a write that may collide on the unique name (checked up front; the constraint settles races). */
async function withUniqueName<T>(name: string | undefined, exceptId: string | undefined, write: () => Promise<T>): Promise<T> {
  if (name) {
    const existing = await findProbeTargetByName(name);
    if (existing && existing.id !== exceptId) throw nameTaken(name);
  }
  try {
    return await write();
  } catch (err) {
    if (name && isUniqueViolation(err)) throw nameTaken(name);
    throw err;
  }
}

export async function createProbeTarget({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<ProbeTargetDto> {
  requirePermission(actor, 'admin');
  const data = CreateProbeTargetInput.parse(input);
  const row = await withUniqueName(data.name, undefined, () =>
    inTransaction(async (tx) => {
      const created = await insertProbeTarget(data, tx);
      await audit({ actor, action: 'probe_target.create', target: { type: 'probe_target', id: created.id }, details: { ...data }, ip }, tx);
      return created;
    }),
  );
  notifyProbeTargetsChanged();
  return toDto(row);
}

export async function updateProbeTarget({ actor, id, input, ip }: { actor: Actor; id: string; input: unknown; ip?: string }): Promise<ProbeTargetDto> {
  requirePermission(actor, 'admin');
  const changes = UpdateProbeTargetInput.parse(input);
  const row = await withUniqueName(changes.name, id, () =>
    inTransaction(async (tx) => {
      const existing = await findProbeTargetRow(id, tx);
      if (!existing) throw notFound(`probe target ${id} not found`);
      const merged = { ...existing, ...changes };
      if (merged.timeoutMs >= merged.intervalSeconds * 1000) {
        throw badRequest(`body.timeoutMs: must be shorter than the interval (${merged.timeoutMs} ms ≥ ${merged.intervalSeconds} s)`);
      }
      const updated = await updateProbeTargetRow(id, changes, tx);
      const onlyPause = Object.keys(changes).length === 1 && changes.paused !== undefined;
      const action = onlyPause ? (changes.paused ? 'probe_target.pause' : 'probe_target.resume') : 'probe_target.update';
      await audit({ actor, action, target: { type: 'probe_target', id }, details: { name: updated.name, ...changes }, ip }, tx);
      return updated;
    }),
  );
  notifyProbeTargetsChanged();
  return toDto(row);
}

export async function deleteProbeTarget({ actor, id, ip }: { actor: Actor; id: string; ip?: string }): Promise<{ deleted: true }> {
  requirePermission(actor, 'admin');
  await inTransaction(async (tx) => {
    const existing = await findProbeTargetRow(id, tx);
    if (!existing) throw notFound(`probe target ${id} not found`);
    await deleteProbeTargetRow(id, tx);
    await audit({ actor, action: 'probe_target.delete', target: { type: 'probe_target', id }, details: { name: existing.name, url: existing.url }, ip }, tx);
  });
  notifyProbeTargetsChanged();
  return { deleted: true };
}
