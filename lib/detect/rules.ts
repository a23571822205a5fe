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

/** A service over each rule's own window, ending at the evaluation time. */
export interface ServiceWindow {
  service: string;
  /** error_rate's window. */
  errors: WindowCounts;
  /** latency_p99's window. */
  latency: { requests: number; p99: number | null };
  /** traffic_drop's window, and requests per second over the baseline period before it (null without history). */
  traffic: WindowCounts;
  baselineRps: number | null;
  /** burn_rate's windows. */
  burnShort: WindowCounts;
  burnLong: WindowCounts;
}

export interface EdgeWindow {
  source: string;
  target: string;
  /** error_rate's window. */
  errors: WindowCounts;
  /** retry_amplification's window: attempts and how many of them were retries. */
  attempts: { requests: number; retries: number };
  /** queue_lag's window: publish→process lag p95 (queue → consumer edges only), and over each half of it. */
  lagP95: number | null;
  lagTrend?: { firstHalfP95: number | null; secondHalfP95: number | null };
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

/** One rule's reading for one entity: its value now, whether that breaches, and how to say so. */
export interface Measurement {
  rule: RuleKind;
  entity: AlertEntity;
  value: number;
  threshold: number;
  breached: boolean;
  severity: Severity;
  windowMs: number;
  summary: string;
}

/**
 * Every rule's reading for every entity it applies to (enabled rules, entities with enough
 * traffic). Alerts come from the breached ones; alert charts plot the values over time.
 */
export function measureRules(snapshot: DetectionSnapshot, rules: RuleConfig): Measurement[] {
  const out: Measurement[] = [];
  const { error_rate: er, latency_p99: lat, burn_rate: burn, probe_failing: probe, breaker_open: brk, retry_amplification: retry, queue_lag: lag, traffic_drop: drop } = rules;
  const push = (rule: RuleKind, entity: AlertEntity, m: Omit<Measurement, 'rule' | 'entity'>) => out.push({ rule, entity, ...m });

  for (const s of snapshot.services) {
    const entity: AlertEntity = { type: 'service', service: s.service };
    if (er.enabled && s.errors.requests >= er.minRequests) {
      const rate = errorRateOf(s.errors);
      push('error_rate', entity, { value: rate, threshold: er.threshold, breached: rate >= er.threshold, severity: er.severity, windowMs: er.windowMs, summary: `${s.service}: ${pct(rate)} of ${s.errors.requests} requests failed in ${secs(er.windowMs)} (threshold ${pct(er.threshold)})` });
    }
    if (lat.enabled && s.latency.requests >= lat.minRequests && s.latency.p99 !== null) {
      const p99 = s.latency.p99;
      push('latency_p99', entity, { value: p99, threshold: lat.sloMs, breached: p99 > lat.sloMs, severity: lat.severity, windowMs: lat.windowMs, summary: `${s.service}: p99 ${Math.round(p99)} ms over ${secs(lat.windowMs)} (SLO ${lat.sloMs} ms)` });
    }
    if (burn.enabled && s.burnLong.requests >= burn.minRequests) {
      const budget = 1 - burn.objective;
      const longBurn = errorRateOf(s.burnLong) / budget;
      const shortBurn = errorRateOf(s.burnShort) / budget;
      // Both windows: the long one proves it matters, the short one that it is still happening.
      const value = Math.min(longBurn, shortBurn);
      push('burn_rate', entity, { value, threshold: burn.factor, breached: value >= burn.factor, severity: burn.severity, windowMs: burn.longWindowMs, summary: `${s.service}: burning its ${(burn.objective * 100).toFixed(1)}% error budget ${longBurn.toFixed(1)}× (last ${secs(burn.longWindowMs)}) and ${shortBurn.toFixed(1)}× (last ${secs(burn.shortWindowMs)}) too fast (threshold ${burn.factor}×)` });
    }
    if (drop.enabled && s.baselineRps !== null && s.baselineRps >= drop.minBaselineRps) {
      const rps = s.traffic.requests / Math.max(1, s.traffic.seconds);
      const floor = s.baselineRps * drop.dropTo;
      push('traffic_drop', entity, { value: rps, threshold: floor, breached: rps <= floor, severity: drop.severity, windowMs: drop.windowMs, summary: `${s.service}: ${rps.toFixed(2)} requests/s over ${secs(drop.windowMs)}, down from ${s.baselineRps.toFixed(2)} (alert below ${pct(drop.dropTo)} of it)` });
    }
  }

  for (const e of snapshot.edges) {
    const entity: AlertEntity = { type: 'edge', source: e.source, target: e.target };
    if (er.enabled && e.errors.requests >= er.minRequests) {
      const rate = errorRateOf(e.errors);
      push('error_rate', entity, { value: rate, threshold: er.threshold, breached: rate >= er.threshold, severity: er.severity, windowMs: er.windowMs, summary: `${e.source} → ${e.target}: ${pct(rate)} of ${e.errors.requests} calls failed in ${secs(er.windowMs)} (threshold ${pct(er.threshold)})` });
    }
    const { requests, retries } = e.attempts;
    if (retry.enabled && requests >= retry.minRequests && retries < requests) {
      // Attempts per logical call: every attempt is a request; logical calls are the first attempts.
      const amplification = requests / (requests - retries);
      push('retry_amplification', entity, { value: amplification, threshold: retry.factor, breached: amplification >= retry.factor, severity: retry.severity, windowMs: retry.windowMs, summary: `${e.source} → ${e.target}: ${amplification.toFixed(2)} attempts per call over ${secs(retry.windowMs)} (threshold ${retry.factor})` });
    }
    if (lag.enabled && e.lagP95 !== null) {
      const { firstHalfP95: before, secondHalfP95: now } = e.lagTrend ?? { firstHalfP95: null, secondHalfP95: null };
      // A backlog building up shows as lag that keeps growing, often long before it is large.
      const growing = before !== null && now !== null && now >= lag.growthFloorMs && now >= before * lag.growthFactor;
      if (growing && e.lagP95 <= lag.thresholdMs) {
        push('queue_lag', entity, { value: now, threshold: Math.max(lag.growthFloorMs, before * lag.growthFactor), breached: true, severity: lag.severity, windowMs: lag.windowMs, summary: `${e.source} → ${e.target}: publish→process lag growing, p95 ${Math.round(before)} → ${Math.round(now)} ms within ${secs(lag.windowMs)} (alert at ${lag.growthFactor}× once above ${lag.growthFloorMs} ms)` });
      } else {
        push('queue_lag', entity, { value: e.lagP95, threshold: lag.thresholdMs, breached: e.lagP95 > lag.thresholdMs, severity: lag.severity, windowMs: lag.windowMs, summary: `${e.source} → ${e.target}: publish→process lag p95 ${Math.round(e.lagP95)} ms (threshold ${lag.thresholdMs} ms)` });
      }
    }
  }

  if (probe.enabled) {
    for (const p of snapshot.probes) {
      push('probe_failing', { type: 'dependency', service: p.service, dependency: p.target }, { value: p.consecutiveFailures, threshold: probe.consecutive, breached: p.consecutiveFailures >= probe.consecutive, severity: probe.severity, windowMs: 0, summary: `${p.service}: probe ${p.target} failed ${p.consecutiveFailures} times in a row${p.lastMessage ? ` (${p.lastMessage})` : ''}` });
    }
  }
  if (brk.enabled) {
    for (const b of snapshot.breakers) {
      const openFor = b.open ? (b.openForMs ?? 0) : 0;
      push('breaker_open', { type: 'dependency', service: b.service, dependency: b.dependency }, { value: openFor, threshold: brk.forMs, breached: b.open && openFor >= brk.forMs, severity: brk.severity, windowMs: 0, summary: b.open ? `${b.service}: breaker to ${b.dependency} open for ${secs(openFor)}` : `${b.service}: breaker to ${b.dependency} closed` });
    }
  }
  return out;
}

/** The conditions holding now: one signal per breached rule and entity, in fingerprint order. */
export function evaluateRules(snapshot: DetectionSnapshot, rules: RuleConfig): Signal[] {
  return measureRules(snapshot, rules)
    .filter((m) => m.breached)
    .map((m) => signal(m.rule, m.entity, { severity: m.severity, observed: m.value, threshold: m.threshold, windowMs: m.windowMs, summary: m.summary }))
    .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}
