// What the rules look at, at one evaluation time (event time): windows of the rollups ending
// then, the probes' latest runs and the breakers' states. The recent window starts on a minute
// boundary, so it holds the current (partial) minute and the whole minute before it.
import { getBreakers } from '@/lib/breakers/queries';
import { isOpen } from '@/lib/breakers/state';
import { aggregateEdges, aggregateServices } from '@/lib/db/graph';
import { recentProbeRuns } from '@/lib/db/probe-results';
import { quantileMs } from '@/lib/rollup/histogram';
import type { RuleConfig } from '@/lib/schemas/alerts';
import type { DetectionSnapshot, WindowCounts } from './rules';

const MINUTE_MS = 60_000;
const PROBE_LOOKBACK_MS = 3_600_000;

function windowStart(at: Date, lengthMs: number): Date {
  return new Date(Math.floor((at.getTime() - lengthMs) / MINUTE_MS) * MINUTE_MS);
}

export async function buildSnapshot(at: Date, rules: RuleConfig): Promise<DetectionSnapshot> {
  const recentMs = Math.max(rules.error_rate.windowMs, rules.latency_p99.windowMs, rules.retry_amplification.windowMs, rules.queue_lag.windowMs, rules.traffic_drop.windowMs);
  const recentFrom = windowStart(at, recentMs);
  const baselineFrom = windowStart(recentFrom, rules.traffic_drop.baselineMs);
  const shortFrom = windowStart(at, rules.burn_rate.shortWindowMs);
  const longFrom = windowStart(at, rules.burn_rate.longWindowMs);
  const [recent, baseline, short, long, edges, probes, breakers] = await Promise.all([
    aggregateServices(recentFrom, at),
    aggregateServices(baselineFrom, recentFrom),
    aggregateServices(shortFrom, at),
    aggregateServices(longFrom, at),
    aggregateEdges(recentFrom, at),
    recentProbeRuns(at, PROBE_LOOKBACK_MS, Math.max(rules.probe_failing.consecutive, 1)),
    getBreakers({ from: new Date(at.getTime() - PROBE_LOOKBACK_MS).toISOString(), to: at.toISOString() }),
  ]);
  const seconds = (from: Date) => Math.max(1, (at.getTime() - from.getTime()) / 1000);
  const counts = (rows: typeof recent, service: string, from: Date): WindowCounts => {
    const row = rows.find((r) => r.service === service);
    return { requests: row?.requests ?? 0, errors: row?.errors ?? 0, seconds: seconds(from) };
  };
  const baselineSeconds = Math.max(1, (recentFrom.getTime() - baselineFrom.getTime()) / 1000);
  const services = [...new Set([...recent, ...baseline].map((r) => r.service))].sort();
  return {
    at,
    services: services.map((service) => {
      const r = recent.find((x) => x.service === service);
      const b = baseline.find((x) => x.service === service);
      return {
        service,
        recent: { ...counts(recent, service, recentFrom), p99: r ? quantileMs(r.hist, 0.99) : null },
        burnShort: counts(short, service, shortFrom),
        burnLong: counts(long, service, longFrom),
        baselineRps: b ? b.requests / baselineSeconds : null,
      };
    }),
    edges: edges.map((e) => ({
      source: e.source,
      target: e.target,
      recent: { requests: e.requests, errors: e.errors, seconds: seconds(recentFrom), retries: e.retries, lagP95: e.lagHist ? quantileMs(e.lagHist, 0.95) : null },
    })),
    probes: probes.map((p) => {
      const leadingFailures = p.statuses.findIndex((s) => s !== 'fail');
      return { service: p.service, target: p.target, consecutiveFailures: leadingFailures === -1 ? p.statuses.length : leadingFailures, lastMessage: p.message };
    }),
    breakers: breakers.edges.map((b) => ({ service: b.service, dependency: b.dependency, open: isOpen(b.state), openForMs: b.openForMs })),
  };
}
