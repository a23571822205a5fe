// How healthy a node looks over a range, and why: error rate and latency against the SLO, its
// own probes, and the breakers its callers opened against it.
import type { HealthState } from '@/lib/schemas/graph';

export interface HealthInputs {
  requests: number;
  errorRate: number;
  p99: number | null;
  probe: 'pass' | 'warn' | 'fail' | null;
  /** Callers' breakers open against this node. */
  openBreakersAgainst: number;
}

export interface Slo {
  latencyP99Ms: number;
  errorRate: number;
}

/** Too few requests say nothing about error rates: one failure of two is not a 50% outage. */
export const MIN_REQUESTS = 10;
/** An error rate this many times the SLO is failing, not just degraded. */
const FAILING_FACTOR = 4;

const pct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`;

export function classifyHealth(input: HealthInputs, slo: Slo): { health: HealthState; reasons: string[] } {
  const failing: string[] = [];
  const degraded: string[] = [];
  if (input.probe === 'fail') failing.push('probe failing');
  if (input.probe === 'warn') degraded.push('probe warning');
  if (input.requests >= MIN_REQUESTS) {
    if (input.errorRate >= slo.errorRate * FAILING_FACTOR) failing.push(`error rate ${pct(input.errorRate)} ≥ ${pct(slo.errorRate * FAILING_FACTOR)}`);
    else if (input.errorRate >= slo.errorRate) degraded.push(`error rate ${pct(input.errorRate)} ≥ ${pct(slo.errorRate)}`);
    if (input.p99 !== null && input.p99 > slo.latencyP99Ms) degraded.push(`p99 ${Math.round(input.p99)} ms > SLO ${slo.latencyP99Ms} ms`);
  }
  if (input.openBreakersAgainst > 0) degraded.push(`${input.openBreakersAgainst} caller breaker${input.openBreakersAgainst === 1 ? '' : 's'} open against it`);
  if (failing.length > 0) return { health: 'failing', reasons: [...failing, ...degraded] };
  if (degraded.length > 0) return { health: 'degraded', reasons: degraded };
  if (input.requests === 0 && input.probe === null) return { health: 'unknown', reasons: ['no requests or probe results in the range'] };
  return { health: 'ok', reasons: [] };
}
