// Chaos: switching faults of the demo fleet on and off. Every switch is recorded with who made it,
// because later root-cause analysis is scored against these records.
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { inTransaction } from '@/lib/db/client';
import {
  endAllRunningFaultInjections,
  endRunningFaultInjections,
  findFaultInjection,
  insertFaultInjection,
  listFaultInjectionsInRange,
  listRecentFaultInjections,
  markFaultInjectionEnded,
  type FaultInjectionRow,
} from '@/lib/db/fault-injections';
import { AppError, notFound } from '@/lib/http/errors';
import { logger } from '@/lib/log/logger';
import {
  FaultInjectionDto,
  InjectFaultInput,
  type ChaosState,
  type FaultInjectionList,
  type FaultInjectionStatus,
  type FaultParams,
  type FaultSource,
  type FleetDescription,
} from '@/lib/schemas/chaos';
import { resolveRange } from '@/lib/schemas/common';
import { applyFault, chaosDisabled, chaosEnabled, describeFleet, revertFault } from './fleet-client';

const RECENT_INJECTIONS = 50;
const DEFAULT_RANGE_MS = 24 * 3_600_000;

/**
 * `onFleet`, when the fleet could be asked, holds the ids of the faults it still runs: an open
 * record missing there ended outside Faultline's sight (the demo was restarted).
 */
function statusOf(row: FaultInjectionRow, now: number, onFleet?: ReadonlySet<string>): FaultInjectionStatus {
  if (row.endedAt) return 'ended';
  if (row.endsAt && row.endsAt.getTime() <= now) return 'scheduled-end-passed';
  if (onFleet && !onFleet.has(row.fleetFaultId)) return 'ended';
  return 'active';
}

// Parsed rather than cast: kind, source and params are plain text and JSON in the table.
function toDto(row: FaultInjectionRow, now = Date.now(), onFleet?: ReadonlySet<string>): FaultInjectionDto {
  return FaultInjectionDto.parse({
    id: row.id,
    fleetFaultId: row.fleetFaultId,
    kind: row.kind,
    target: row.target,
    params: row.params,
    startedAt: row.startedAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    source: row.source,
    actor: row.actorLabel,
    status: statusOf(row, now, onFleet),
  });
}

/**
 * Switches a fault on in the demo fleet and records it. `source` applies when the input names
 * none; without either the switch counts as made through the API.
 */
export async function injectFault({ actor, input, source, ip }: { actor: Actor; input: unknown; source?: FaultSource; ip?: string }): Promise<FaultInjectionDto> {
  requirePermission(actor, 'admin');
  const { source: named, ...fault } = InjectFaultInput.parse(input);
  if (!chaosEnabled()) throw chaosDisabled();
  const from = named ?? source ?? 'api';
  const params: FaultParams = {
    ...(fault.rate !== undefined ? { rate: fault.rate } : {}),
    ...(fault.ms !== undefined ? { ms: fault.ms } : {}),
    ...(fault.durationMs !== undefined ? { durationMs: fault.durationMs } : {}),
  };

  const applied = await applyFault(fault);
  // The fleet's own times: they are when the fault really took effect.
  const startedAt = new Date(applied.startedAt);
  const endsAt = applied.endsAt ? new Date(applied.endsAt) : null;
  try {
    const row = await inTransaction(async (tx) => {
      const replaced = await endRunningFaultInjections({ kind: fault.kind, target: fault.target, at: startedAt }, tx);
      const created = await insertFaultInjection(
        { fleetFaultId: applied.id, kind: fault.kind, target: fault.target, params, startedAt, endsAt, source: from, actorLabel: describeActor(actor) },
        tx,
      );
      await audit(
        {
          actor,
          action: 'chaos.inject',
          target: { type: 'fault_injection', id: created.id },
          details: { kind: fault.kind, target: fault.target, params, source: from, fleetFaultId: applied.id, endsAt: applied.endsAt, replaced },
          ip,
        },
        tx,
      );
      return created;
    });
    return toDto(row);
  } catch (err) {
    // A fault left running without its record would falsify the truth analyses are scored against.
    await revertFault(applied.id).catch((revertErr: unknown) =>
      logger().error({ err: revertErr, fleetFaultId: applied.id }, 'could not revert an unrecorded fault; it runs until the demo stops'),
    );
    throw err;
  }
}

/** Switches a fault off. One the fleet no longer has (its duration ran out) is still marked ended. */
export async function clearFault({ actor, id, ip }: { actor: Actor; id: string; ip?: string }): Promise<FaultInjectionDto> {
  requirePermission(actor, 'admin');
  const existing = await findFaultInjection(id);
  if (!existing) throw notFound(`fault injection ${id} not found`);
  if (existing.endedAt) return toDto(existing);
  if (!chaosEnabled()) throw chaosDisabled();

  const reverted = await revertFault(existing.fleetFaultId);
  const now = new Date();
  // Gone from the fleet after its scheduled end: it reverted itself then, which is the true end.
  const endedAt = reverted === null && existing.endsAt && existing.endsAt <= now ? existing.endsAt : now;
  const row = await inTransaction(async (tx) => {
    const current = await findFaultInjection(id, tx);
    if (!current) throw notFound(`fault injection ${id} not found`);
    if (current.endedAt) return current;
    const ended = await markFaultInjectionEnded(id, endedAt, tx);
    await audit(
      {
        actor,
        action: 'chaos.clear',
        target: { type: 'fault_injection', id },
        details: { kind: current.kind, target: current.target, fleetFaultId: current.fleetFaultId, alreadyEnded: reverted === null },
        ip,
      },
      tx,
    );
    return ended;
  });
  return toDto(row, now.getTime());
}

/** The Chaos panel: whether chaos is on, what the fleet runs (to offer valid targets) and the recent switches. */
export async function getChaosState({ actor }: { actor: Actor }): Promise<ChaosState> {
  requirePermission(actor, 'admin');
  // Records first, fleet second: a recorded fault was applied before its record, so the fleet
  // asked afterwards lists it unless it has really ended.
  const rows = await listRecentFaultInjections(RECENT_INJECTIONS);
  const enabled = chaosEnabled();
  let fleet: FleetDescription | null = null;
  let fleetError: string | undefined;
  if (enabled) {
    try {
      fleet = await describeFleet();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      fleetError = err.message;
    }
  }
  const now = Date.now();
  const onFleet = fleet ? new Set(fleet.faults.map((f) => f.id)) : undefined;
  return {
    enabled,
    fleet,
    ...(fleetError ? { fleetError } : {}),
    injections: rows.map((row) => toDto(row, now, onFleet)),
  };
}

/** Every switch that was on at some point in the range (default: the last 24 hours), oldest first. */
export async function listFaultInjections({
  actor,
  from,
  to,
  limit = 1000,
}: {
  actor: Actor;
  from?: string;
  to?: string;
  limit?: number;
}): Promise<FaultInjectionList> {
  requirePermission(actor, 'read');
  const range = resolveRange({ from, to }, DEFAULT_RANGE_MS);
  const rows = await listFaultInjectionsInRange({ ...range, limit });
  const now = Date.now();
  return { from: range.from.toISOString(), to: range.to.toISOString(), injections: rows.map((row) => toDto(row, now)) };
}

/**
 * A demo that stopped (or crashed) took its faults with it: records still "running" are ended
 * now, so evaluations never see a fault that outlived its fleet. Called as a new demo starts.
 */
export async function endFaultsOfStoppedFleet(at = new Date()): Promise<number> {
  return inTransaction(async (tx) => {
    const ended = await endAllRunningFaultInjections(at, tx);
    if (ended > 0) {
      await audit({ actor: { kind: 'system', name: 'demo' }, action: 'chaos.end_abandoned', details: { ended, at: at.toISOString() } }, tx);
    }
    return ended;
  });
}
