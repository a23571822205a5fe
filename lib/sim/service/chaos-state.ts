// The faults one fleet process is currently under, switched by the fleet's control server
// through POST /__chaos on the process's own port.
import { z } from 'zod';

export interface ChaosState {
  /** Share of incoming requests answered with 500. */
  errorRate: number;
  /** Added to every incoming request. */
  latencyMs: number;
  /** Callees this process cannot reach: connections to them never complete. */
  partitioned: Set<string>;
  /** Added to every database query; with a smaller pool, the pool runs dry. */
  dbLatencyMs: number;
  dbPoolSize: number | null;
  /** A queue consumer that stopped consuming. */
  stalled: boolean;
  /** Callees retried with no backoff and no budget. */
  aggressiveRetry: Set<string>;
  /** The whole service answers 503 at once (an external API's outage). */
  down: boolean;
}

export function healthyState(): ChaosState {
  return { errorRate: 0, latencyMs: 0, partitioned: new Set(), dbLatencyMs: 0, dbPoolSize: null, stalled: false, aggressiveRetry: new Set(), down: false };
}

const Toggle = z.object({ callee: z.string().min(1), on: z.boolean() });

export const ChaosPatch = z.strictObject({
  errorRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  partition: Toggle.optional(),
  dbLatencyMs: z.number().int().min(0).max(60_000).optional(),
  dbPoolSize: z.number().int().min(1).max(100).nullable().optional(),
  stalled: z.boolean().optional(),
  aggressiveRetry: Toggle.optional(),
  down: z.boolean().optional(),
});
export type ChaosPatch = z.infer<typeof ChaosPatch>;

export function applyPatch(state: ChaosState, patch: ChaosPatch): void {
  if (patch.errorRate !== undefined) state.errorRate = patch.errorRate;
  if (patch.latencyMs !== undefined) state.latencyMs = patch.latencyMs;
  if (patch.partition) {
    if (patch.partition.on) state.partitioned.add(patch.partition.callee);
    else state.partitioned.delete(patch.partition.callee);
  }
  if (patch.dbLatencyMs !== undefined) state.dbLatencyMs = patch.dbLatencyMs;
  if (patch.dbPoolSize !== undefined) state.dbPoolSize = patch.dbPoolSize;
  if (patch.stalled !== undefined) state.stalled = patch.stalled;
  if (patch.aggressiveRetry) {
    if (patch.aggressiveRetry.on) state.aggressiveRetry.add(patch.aggressiveRetry.callee);
    else state.aggressiveRetry.delete(patch.aggressiveRetry.callee);
  }
  if (patch.down !== undefined) state.down = patch.down;
}

export function describeState(state: ChaosState): Record<string, unknown> {
  return { ...state, partitioned: [...state.partitioned], aggressiveRetry: [...state.aggressiveRetry] };
}
