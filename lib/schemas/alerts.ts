import { z } from 'zod';

// Contracts of detection: the built-in alert rules, their settings (editable by admins) and the
// alerts they raise. Durations are milliseconds; rates are fractions (0.05 = 5%).

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_KINDS = [
  'error_rate',
  'latency_p99',
  'burn_rate',
  'probe_failing',
  'breaker_open',
  'retry_amplification',
  'queue_lag',
  'traffic_drop',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const Ms = z.number().int().min(1_000, 'must be at least 1000 ms').max(86_400_000, 'must be at most a day');
const Fraction = z.number().gt(0, 'must be above 0').max(1, 'must be at most 1');
const MinRequests = z.number().int().min(1, 'must be at least 1').max(1_000_000);
const Base = { enabled: z.boolean(), severity: z.enum(SEVERITIES) };

/** Each rule's settings; the defaults below are what a fresh Faultline runs with. */
export const RuleSettings = {
  /** A service's or an edge's error rate over the window. */
  error_rate: z.strictObject({ ...Base, threshold: Fraction, minRequests: MinRequests, windowMs: Ms }),
  /** A service's p99 over the window against its latency SLO. */
  latency_p99: z.strictObject({ ...Base, sloMs: z.number().positive().max(600_000), minRequests: MinRequests, windowMs: Ms }),
  /**
   * Error-budget burn (Google SRE workbook, multi-window): fires when both the long and the short
   * window burn the budget at least `factor` times faster than the SLO allows.
   */
  burn_rate: z.strictObject({ ...Base, objective: z.number().gt(0.5).lt(1), factor: z.number().min(1).max(1000), longWindowMs: Ms, shortWindowMs: Ms, minRequests: MinRequests }),
  /** A probe target failing this many results in a row. */
  probe_failing: z.strictObject({ ...Base, consecutive: z.number().int().min(1).max(100) }),
  /** A breaker open (or forced open) for longer than this. */
  breaker_open: z.strictObject({ ...Base, forMs: z.number().int().min(0).max(86_400_000) }),
  /** Attempts per logical call on an edge (1 = no retries). */
  retry_amplification: z.strictObject({ ...Base, factor: z.number().min(1.01).max(100), minRequests: MinRequests, windowMs: Ms }),
  /** Publish→process lag p95 on a queue → consumer edge. */
  queue_lag: z.strictObject({ ...Base, thresholdMs: z.number().int().min(1).max(86_400_000), windowMs: Ms }),
  /** Requests per second fell below this share of the recent baseline (a partition is often silence). */
  traffic_drop: z.strictObject({ ...Base, dropTo: Fraction, minBaselineRps: z.number().positive(), windowMs: Ms, baselineMs: Ms }),
} as const;

export type RuleConfig = { [K in RuleKind]: z.infer<(typeof RuleSettings)[K]> };

export const DEFAULT_RULES: RuleConfig = {
  error_rate: { enabled: true, severity: 'critical', threshold: 0.05, minRequests: 10, windowMs: 60_000 },
  latency_p99: { enabled: true, severity: 'warning', sloMs: 1000, minRequests: 10, windowMs: 60_000 },
  burn_rate: { enabled: true, severity: 'critical', objective: 0.999, factor: 14.4, longWindowMs: 3_600_000, shortWindowMs: 300_000, minRequests: 50 },
  probe_failing: { enabled: true, severity: 'warning', consecutive: 3 },
  breaker_open: { enabled: true, severity: 'warning', forMs: 10_000 },
  retry_amplification: { enabled: true, severity: 'warning', factor: 1.5, minRequests: 10, windowMs: 60_000 },
  queue_lag: { enabled: true, severity: 'warning', thresholdMs: 10_000, windowMs: 60_000 },
  traffic_drop: { enabled: true, severity: 'warning', dropTo: 0.3, minBaselineRps: 0.5, windowMs: 60_000, baselineMs: 900_000 },
};

/** What an alert is about: a service, a caller→callee edge, or a dependency of a service (probe, breaker). */
export type AlertEntity =
  | { type: 'service'; service: string }
  | { type: 'edge'; source: string; target: string }
  | { type: 'dependency'; service: string; dependency: string };

export function entityKey(entity: AlertEntity): string {
  switch (entity.type) {
    case 'service':
      return `service:${entity.service}`;
    case 'edge':
      return `edge:${entity.source}->${entity.target}`;
    case 'dependency':
      return `dependency:${entity.service}->${entity.dependency}`;
  }
}
