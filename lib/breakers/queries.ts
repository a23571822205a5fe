import { breakerEventsForRange } from '@/lib/db/breaker-events';
import { resolveRange } from '@/lib/schemas/common';
import type { BreakerResult } from '@/lib/schemas/breakers';
import { deriveBreakerEdges } from './state';

const DEFAULT_RANGE_MS = 3_600_000;

/** GET /api/breakers: every breaker's state at the end of the range and its bands across it, per edge. */
export async function getBreakers(q: { service?: string; from?: string; to?: string }): Promise<BreakerResult> {
  const range = resolveRange(q, DEFAULT_RANGE_MS);
  const rows = await breakerEventsForRange({ service: q.service, ...range });
  const edges = deriveBreakerEdges(rows, range).sort((a, b) => a.service.localeCompare(b.service) || a.dependency.localeCompare(b.dependency));
  return { from: range.from.toISOString(), to: range.to.toISOString(), edges };
}
