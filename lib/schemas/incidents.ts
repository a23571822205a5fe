import { z } from 'zod';
import { AlertDto, SEVERITIES } from './alerts';
import { TimeRangeQuery } from './common';

// Contract of incidents (GET /api/incidents, /api/incidents/:id): a stable API other tools depend
// on. Times are ISO-8601 event times (when it happened in the data).

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const CANDIDATE_KINDS = ['service', 'dependency', 'edge'] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

/**
 * A place the failure may start: a service; a dependency of a service (`service` depends on
 * `target`: a database, cache, queue or external API); or the edge `source` → `target` (the
 * network between two services, when neither end is broken by itself).
 */
export const CandidateRef = z.object({
  kind: z.enum(CANDIDATE_KINDS),
  service: z.string().optional(),
  source: z.string().optional(),
  target: z.string().optional(),
});
export type CandidateRef = z.infer<typeof CandidateRef>;

export const Candidate = CandidateRef.extend({
  score: z.number(),
  evidence: z.array(z.string()),
});
export type Candidate = z.infer<typeof Candidate>;

export const RootCause = CandidateRef.extend({
  /** 0–1: how far the best candidate stands above the rest. */
  confidence: z.number(),
  evidence: z.array(z.string()),
});
export type RootCause = z.infer<typeof RootCause>;

export const Symptom = z.object({
  service: z.string(),
  reason: z.string(),
  /** What its trouble follows: the callee, dependency or retrying caller the reason names. */
  follows: z.string().optional(),
});
export type Symptom = z.infer<typeof Symptom>;

/** What lib/correlate stores as an incident's analysis. */
export const IncidentAnalysis = z.object({
  rootCause: RootCause,
  candidates: z.array(Candidate),
  symptoms: z.array(Symptom),
});
export type IncidentAnalysis = z.infer<typeof IncidentAnalysis>;

export const IncidentDto = z.object({
  id: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  openedAt: z.string(),
  acknowledgedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  rootCause: RootCause,
  candidates: z.array(Candidate),
  symptoms: z.array(Symptom),
  alertIds: z.array(z.string()),
});
export type IncidentDto = z.infer<typeof IncidentDto>;

export const TIMELINE_TYPES = ['alert_fired', 'alert_acknowledged', 'alert_resolved', 'breaker_transition', 'probe_failed', 'probe_recovered', 'fault_injected', 'note'] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export const TimelineEntry = z.object({
  at: z.string(),
  type: z.enum(TIMELINE_TYPES),
  service: z.string().optional(),
  target: z.string().optional(),
  summary: z.string(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const IncidentDetailDto = IncidentDto.extend({
  timeline: z.array(TimelineEntry),
  notes: z.string(),
  notesUpdatedAt: z.string().optional(),
  notesUpdatedBy: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  resolvedBy: z.string().optional(),
});
export type IncidentDetailDto = z.infer<typeof IncidentDetailDto>;

const csvStatuses = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(INCIDENT_STATUSES)));

export const IncidentListQuery = TimeRangeQuery.and(z.object({ status: csvStatuses.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }));
export type IncidentListQuery = z.infer<typeof IncidentListQuery>;

export const IncidentActionInput = z.strictObject({ note: z.string().trim().max(2000, 'must be at most 2000 characters').optional() });
export const IncidentNotesInput = z.strictObject({ notes: z.string().max(100_000, 'must be at most 100000 characters') });

/** What acknowledging or resolving did: done, or already done by someone else (not an error). */
export const IncidentActionOutcome = z.object({
  id: z.string(),
  outcome: z.enum(['done', 'already_acknowledged', 'already_resolved']),
  by: z.string().nullable(),
  at: z.string().nullable(),
  incident: IncidentDto,
});
export type IncidentActionOutcome = z.infer<typeof IncidentActionOutcome>;

/** POST /api/admin/evaluate: what a replay of detection and correlation found. */
export const EvaluateResultDto = z.object({
  from: z.string(),
  to: z.string(),
  ticks: z.number(),
  stepMs: z.number(),
  /** Alerts whose condition began in the window, whether recorded now or already known. */
  alerts: z.array(AlertDto.extend({ recorded: z.enum(['new', 'existing']) })),
  /** The incidents those alerts belong to. */
  incidents: z.array(IncidentDto),
});
export type EvaluateResultDto = z.infer<typeof EvaluateResultDto>;
