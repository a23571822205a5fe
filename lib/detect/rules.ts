// The built-in rules as pure functions of what the rollups, probes and breakers say at one
// evaluation time (event time). Each returns the conditions that hold now; deduplication and
// hold-down are lifecycle.ts's job.
import { entityKey, type AlertEntity, type RuleConfig, type RuleKind, type Severity } from '@/lib/schemas/alerts';

/** Counts over a window that ends at the evaluation time. */
export interface WindowCounts {
  requests: number;
  errors: number;
  /** Seconds the window covers (for rates). */
  seconds: number;
}

export interface ServiceWindow {
  service: string;
  /** The rules' detection window. */
  recent: WindowCounts & { p99: number | null };
  /** Burn-rate windows. */
  burnShort: WindowCounts;
  burnLong: WindowCounts;
  /** Requests per second over the baseline period before the recent window; null without history. */
  baselineRps: number | null;
}

export interface EdgeWindow {
  source: string;
  target: string;
  recent: WindowCounts & { retries: number; lagP95: number | null };
}

export interface ProbeState {
  service: string;
  target: string;
  /** Newest results first: how many failed in a row. */
  consecutiveFailures: number;
  lastMessage: string | null;
}

export interface BreakerStateNow {
  service: string;
  dependency: string;
  open: boolean;
  openForMs: number | null;
}

export interface DetectionSnapshot {
  at: Date;
  services: ServiceWindow[];
  edges: EdgeWindow[];
  probes: ProbeState[];
  breakers: BreakerStateNow[];
}

/** A rule's condition holding for one entity at one evaluation time. */
export interface Signal {
  fingerprint: string;
  rule: RuleKind;
  entity: AlertEntity;
  severity: Severity;
  observed: number;
  threshold: number;
  windowMs: number;
  summary: string;
}

const pct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`;
const secs = (ms: number) => (ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

function signal(rule: RuleKind, entity: AlertEntity, fields: Omit<Signal, 'fingerprint' | 'rule' | 'entity'>): Signal {
  return { fingerprint: `${rule}|${entityKey(entity)}`, rule, entity, ...fields };
}

const errorRateOf = (w: WindowCounts) => (w.requests === 0 ? 0 : w.errors / w.requests);

export function evaluateRules(snapshot: DetectionSnapshot, rules: RuleConfig): Signal[] {
  const out: Signal[] = [];
  const { error_rate: er, latency_p99: lat, burn_rate: burn, probe_failing: probe, breaker_open: brk, retry_amplification: retry, queue_lag: lag, traffic_drop: drop } = rules;

  for (const s of snapshot.services) {
    const entity: AlertEntity = { type: 'service', service: s.service };
    const rate = errorRateOf(s.recent);
    if (er.enabled && s.recent.requests >= er.minRequests && rate >= er.threshold) {
      out.push(signal('error_rate', entity, { severity: er.severity, observed: rate, threshold: er.threshold, windowMs: er.windowMs, summary: `${s.service}: ${pct(rate)} of ${s.recent.requests} requests failed in ${secs(er.windowMs)} (threshold ${pct(er.threshold)})` }));
    }
    if (lat.enabled && s.recent.requests >= lat.minRequests && s.recent.p99 !== null && s.recent.p99 > lat.sloMs) {
      out.push(signal('latency_p99', entity, { severity: lat.severity, observed: s.recent.p99, threshold: lat.sloMs, windowMs: lat.windowMs, summary: `${s.service}: p99 ${Math.round(s.recent.p99)} ms over ${secs(lat.windowMs)} (SLO ${lat.sloMs} ms)` }));
    }
    if (burn.enabled && s.burnLong.requests >= burn.minRequests) {
      const budget = 1 - burn.objective;
      const longBurn = errorRateOf(s.burnLong) / budget;
      const shortBurn = errorRateOf(s.burnShort) / budget;
      // Both windows: the long one proves it matters, the short one that it is still happening.
      if (longBurn >= burn.factor && shortBurn >= burn.factor) {
        out.push(signal('burn_rate', entity, { severity: burn.severity, observed: Math.min(longBurn, shortBurn), threshold: burn.factor, windowMs: burn.longWindowMs, summary: `${s.service}: burning its ${(burn.objective * 100).toFixed(1)}% error budget ${longBurn.toFixed(1)}× (last ${secs(burn.longWindowMs)}) and ${shortBurn.toFixed(1)}× (last ${secs(burn.shortWindowMs)}) too fast (threshold ${burn.factor}×)` }));
      }
    }
    if (drop.enabled && s.baselineRps !== null && s.baselineRps >= drop.minBaselineRps) {
      const rps = s.recent.requests / Math.max(1, s.recent.seconds);
      if (rps <= s.baselineRps * drop.dropTo) {
        out.push(signal('traffic_drop', entity, { severity: drop.severity, observed: rps, threshold: s.baselineRps * drop.dropTo, windowMs: drop.windowMs, summary: `${s.service}: ${rps.toFixed(2)} requests/s over ${secs(drop.windowMs)}, down from ${s.baselineRps.toFixed(2)} (alert below ${pct(drop.dropTo)} of it)` }));
      }
    }
  }

  for (const e of snapshot.edges) {
    const entity: AlertEntity = { type: 'edge', source: e.source, target: e.target };
    const rate = errorRateOf(e.recent);
    if (er.enabled && e.recent.requests >= er.minRequests && rate >= er.threshold) {
      out.push(signal('error_rate', entity, { severity: er.severity, observed: rate, threshold: er.threshold, windowMs: er.windowMs, summary: `${e.source} → ${e.target}: ${pct(rate)} of ${e.recent.requests} calls failed in ${secs(er.windowMs)} (threshold ${pct(er.threshold)})` }));
    }
    if (retry.enabled && e.recent.requests >= retry.minRequests && e.recent.retries < e.recent.requests) {
      // Attempts per logical call: every attempt is a request; logical calls are the first attempts.
      const amplification = e.recent.requests / (e.recent.requests - e.recent.retries);
      if (amplification >= retry.factor) {
        out.push(signal('retry_amplification', entity, { severity: retry.severity, observed: amplification, threshold: retry.factor, windowMs: retry.windowMs, summary: `${e.source} → ${e.target}: ${amplification.toFixed(2)} attempts per call over ${secs(retry.windowMs)} (threshold ${retry.factor})` }));
      }
    }
    if (lag.enabled && e.recent.lagP95 !== null && e.recent.lagP95 > lag.thresholdMs) {
      out.push(signal('queue_lag', entity, { severity: lag.severity, observed: e.recent.lagP95, threshold: lag.thresholdMs, windowMs: lag.windowMs, summary: `${e.source} → ${e.target}: publish→process lag p95 ${Math.round(e.recent.lagP95)} ms (threshold ${lag.thresholdMs} ms)` }));
    }
  }

  if (probe.enabled) {
    for (const p of snapshot.probes) {
      if (p.consecutiveFailures < probe.consecutive) continue;
      out.push(signal('probe_failing', { type: 'dependency', service: p.service, dependency: p.target }, { severity: probe.severity, observed: p.consecutiveFailures, threshold: probe.consecutive, windowMs: 0, summary: `${p.service}: probe ${p.target} failed ${p.consecutiveFailures} times in a row${p.lastMessage ? ` (${p.lastMessage})` : ''}` }));
    }
  }
  if (brk.enabled) {
    for (const b of snapshot.breakers) {
      if (!b.open || b.openForMs === null || b.openForMs < brk.forMs) continue;
      out.push(signal('breaker_open', { type: 'dependency', service: b.service, dependency: b.dependency }, { severity: brk.severity, observed: b.openForMs, threshold: brk.forMs, windowMs: 0, summary: `${b.service}: breaker to ${b.dependency} open for ${secs(b.openForMs)}` }));
    }
  }
  return out.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}
