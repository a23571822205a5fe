// Active probe targets (public.probe_targets), configured in Settings → Probes.
import type { CreateProbeTargetInput, UpdateProbeTargetInput } from '@/lib/schemas/probes';
import { prisma, type DbClient } from './client';

export interface ProbeTargetRow {
  id: string;
  name: string;
  service: string;
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  intervalSeconds: number;
  timeoutMs: number;
  expectedStatus: number;
  parseHealthJson: boolean;
  paused: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function listProbeTargetRows(db: DbClient = prisma()): Promise<ProbeTargetRow[]> {
  return db.probeTarget.findMany({ orderBy: [{ service: 'asc' }, { name: 'asc' }] });
}

export function findProbeTargetRow(id: string, db: DbClient = prisma()): Promise<ProbeTargetRow | null> {
  return db.probeTarget.findUnique({ where: { id } });
}

export function findProbeTargetByName(name: string, db: DbClient = prisma()): Promise<ProbeTargetRow | null> {
  return db.probeTarget.findUnique({ where: { name } });
}

export function insertProbeTarget(data: CreateProbeTargetInput, db: DbClient = prisma()): Promise<ProbeTargetRow> {
  return db.probeTarget.create({ data });
}

export function updateProbeTargetRow(id: string, data: UpdateProbeTargetInput, db: DbClient = prisma()): Promise<ProbeTargetRow> {
  return db.probeTarget.update({ where: { id }, data });
}

export async function deleteProbeTargetRow(id: string, db: DbClient = prisma()): Promise<void> {
  await db.probeTarget.delete({ where: { id } });
}
