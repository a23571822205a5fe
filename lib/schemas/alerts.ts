import { z } from 'zod';
import { EntityName, IsoTime, TimeRangeQuery, Uuid } from './common';

// Contracts of detection: the built-in alert rules, their settings (editable by admins) and the
// alerts they raise. Durations are milliseconds; rates are fractions (0.05 = 5%).

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** 0 is the most severe. */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

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

/** How pages and runbooks name each rule kind. */
export const RULE_LABELS: Record<RuleKind, string> = {
  error_rate: 'Error rate',
  latency_p99: 'Latency p99',
  burn_rate: 'Error-budget burn',
  probe_failing: 'Probe failing',
  breaker_open: 'Breaker open',
  retry_amplification: 'Retry amplification',
  queue_lag: 'Queue lag',
  traffic_drop: 'Traffic drop',
};

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
  /**
   * Publish→process lag p95 on a queue → consumer edge above a threshold, or growing: the second
   * half of the window at least `growthFactor` times the first half, once above `growthFloorMs`.
   */
  queue_lag: z.strictObject({
    ...Base,
    thresholdMs: z.number().int().min(1).max(86_400_000),
    windowMs: Ms,
    growthFactor: z.number().min(1.1, 'must be at least 1.1').max(100),
    growthFloorMs: z.number().int().min(1).max(86_400_000),
  }),
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
  queue_lag: { enabled: true, severity: 'warning', thresholdMs: 10_000, windowMs: 60_000, growthFactor: 3, growthFloorMs: 2_000 },
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

export const ALERT_STATES = ['firing', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Settings → Alert rules: the whole rule set, every rule validated by its own schema. */
export const RuleConfigInput = z.strictObject(
  Object.fromEntries(RULE_KINDS.map((k) => [k, RuleSettings[k]])) as { [K in RuleKind]: (typeof RuleSettings)[K] },
).superRefine((rules, ctx) => {
  if (rules.burn_rate.shortWindowMs >= rules.burn_rate.longWindowMs) {
    ctx.addIssue({ code: 'custom', path: ['burn_rate', 'shortWindowMs'], message: 'must be shorter than longWindowMs' });
  }
});

export const RuleSetDto = z.object({
  rules: z.custom<RuleConfig>(),
  defaults: z.custom<RuleConfig>(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type RuleSetDto = z.infer<typeof RuleSetDto>;

const AlertEntityDto = z.discriminatedUnion('type', [
  z.object({ type: z.literal('service'), service: z.string() }),
  z.object({ type: z.literal('edge'), source: z.string(), target: z.string() }),
  z.object({ type: z.literal('dependency'), service: z.string(), dependency: z.string() }),
]);

export const AlertDto = z.object({
  id: z.string(),
  fingerprint: z.string(),
  rule: z.enum(RULE_KINDS),
  entity: AlertEntityDto,
  /** The service the alert is filed under (an edge's caller). */
  service: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(ALERT_STATES),
  summary: z.string(),
  observed: z.number(),
  threshold: z.number(),
  peakObserved: z.number(),
  windowMs: z.number(),
  /** Event time the condition began, and was last seen holding. */
  startedAt: z.string(),
  lastSeenAt: z.string(),
  /** When Faultline recorded it (wall clock). */
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  silenceId: z.string().nullable(),
  replayed: z.boolean(),
  incidentId: z.string().nullable(),
});
export type AlertDto = z.infer<typeof AlertDto>;

export const ALERT_EVENT_TYPES = ['fired', 'acknowledged', 'resolved', 'severity_changed', 'note'] as const;

export const AlertEventDto = z.object({
  id: z.string(),
  at: z.string(),
  type: z.enum(ALERT_EVENT_TYPES),
  actor: z.string(),
  note: z.string().nullable(),
  details: z.unknown().nullable(),
});
export type AlertEventDto = z.infer<typeof AlertEventDto>;

export const AlertDetailDto = AlertDto.extend({ history: z.array(AlertEventDto) });
export type AlertDetailDto = z.infer<typeof AlertDetailDto>;

export const AlertListDto = z.object({
  alerts: z.array(AlertDto),
  /** Open alerts (firing or acknowledged) by state, over everything, not just this page: the navigation's badge. */
  counts: z.object({ firing: z.number(), acknowledged: z.number() }),
});
export type AlertListDto = z.infer<typeof AlertListDto>;

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const AlertListQuery = TimeRangeQuery.and(
  z.object({
    state: csv(ALERT_STATES).optional(),
    severity: csv(SEVERITIES).optional(),
    rule: csv(RULE_KINDS).optional(),
    service: EntityName.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  }),
);
export type AlertListQuery = z.infer<typeof AlertListQuery>;

const Note = z.string().trim().max(2000, 'must be at most 2000 characters');

export const AcknowledgeInput = z.strictObject({ note: Note.optional() });
export const ResolveInput = z.strictObject({ note: Note.optional() });
export const AlertNoteInput = z.strictObject({ note: Note.min(1, 'must not be empty') });
export const BulkAcknowledgeInput = z.strictObject({
  ids: z.array(Uuid).min(1, 'must name at least one alert').max(500, 'at most 500 alerts at once'),
  note: Note.optional(),
});

/** What a responder's action did: done, or already done by someone else (not an error). */
export const AlertActionOutcome = z.object({
  id: z.string(),
  outcome: z.enum(['done', 'already_acknowledged', 'already_resolved']),
  /** Who did it first, when the outcome is "already". */
  by: z.string().nullable(),
  at: z.string().nullable(),
  alert: AlertDto,
});
export type AlertActionOutcome = z.infer<typeof AlertActionOutcome>;

export const BulkAcknowledgeResult = z.object({ results: z.array(AlertActionOutcome), notFound: z.array(z.string()) });

export const SignalSeriesDto = z.object({
  rule: z.enum(RULE_KINDS),
  /** The threshold the alert fired against. */
  threshold: z.number(),
  from: z.string(),
  to: z.string(),
  stepMs: z.number(),
  /** The rule's reading at each step (null: too little traffic to judge) and its threshold then. */
  points: z.array(z.object({ at: z.string(), value: z.number().nullable(), threshold: z.number().nullable() })),
});
export type SignalSeriesDto = z.infer<typeof SignalSeriesDto>;

export const SilenceInput = z
  .strictObject({
    rule: z.enum(RULE_KINDS).optional(),
    service: EntityName.optional(),
    target: EntityName.optional(),
    /** Minutes from now (or from startsAt). */
    durationMinutes: z.number().int().min(1, 'must be at least 1 minute').max(30 * 24 * 60, 'must be at most 30 days'),
    startsAt: IsoTime.optional(),
    reason: z.string().trim().min(1, 'must say why').max(500, 'must be at most 500 characters'),
  })
  .refine((s) => s.rule || s.service, { message: 'name a rule, a service, or both', path: ['rule'] });
export type SilenceInput = z.infer<typeof SilenceInput>;

export const SilenceDto = z.object({
  id: z.string(),
  rule: z.enum(RULE_KINDS).nullable(),
  service: z.string().nullable(),
  target: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  active: z.boolean(),
});
export type SilenceDto = z.infer<typeof SilenceDto>;

/** POST /api/admin/evaluate */
export const EvaluateInput = z
  .strictObject({ from: IsoTime, to: IsoTime })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'must be before to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 6 * 3_600_000, { message: 'the window may span at most 6 hours; evaluate longer periods in parts', path: ['to'] });
export type EvaluateInput = z.infer<typeof EvaluateInput>;

