import { z } from 'zod';
import { EntityName, IsoTime, NUL_MESSAGE, TimeRangeQuery, withoutNul } from './common';

// Contracts of health probes: pushed results (POST /v1/probes), active probe targets
// (/api/probe-targets) and the read API (/api/probes).

export const PROBE_KINDS = ['liveness', 'readiness', 'dependency', 'synthetic'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];
export const PROBE_STATUSES = ['pass', 'warn', 'fail'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];
export type ProbeSource = 'push' | 'active';

/** A time as ISO-8601 text or epoch milliseconds. */
const EventTime = z.union([IsoTime, z.number().int().min(0, 'must be epoch milliseconds')], {
  message: 'must be an ISO-8601 time such as 2026-11-23T10:00:00Z or epoch milliseconds',
});

export const ProbeResultInput = z.strictObject({
  service: EntityName,
  target: z.string().trim().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
  kind: z.enum(PROBE_KINDS, { message: `must be one of ${PROBE_KINDS.join(', ')}` }),
  status: z.enum(PROBE_STATUSES, { message: `must be one of ${PROBE_STATUSES.join(', ')}` }),
  latencyMs: z.number({ message: 'must be a number of milliseconds' }).finite().min(0, 'must not be negative').max(86_400_000, 'must be at most a day'),
  checkedAt: EventTime,
  message: z.string().max(4000, 'must be at most 4000 characters').optional(),
  dependency: EntityName.optional(),
});
export type ProbeResultInput = z.infer<typeof ProbeResultInput>;

export const MAX_PROBE_BATCH = 1000;

export const ProbeBatchInput = z.strictObject({
  results: z.array(ProbeResultInput).min(1, 'must hold at least one result').max(MAX_PROBE_BATCH, `must hold at most ${MAX_PROBE_BATCH} results`),
});

/** Query of POST /v1/probes when the body is a health+json document. */
export const HealthDocumentQuery = z.object({
  service: EntityName,
  target: z.string().trim().min(1).max(1024).optional(),
});

// draft-inadarei-api-health-check: "pass"/"fail"/"warn", with "ok"/"up" and "error"/"down" as
// accepted aliases for systems that predate the draft. A Map, not an object literal: a status of
// "__proto__" or "constructor" must miss, not find an Object.prototype member.
const HEALTH_STATUS_ALIASES: ReadonlyMap<string, ProbeStatus> = new Map([
  ['pass', 'pass'],
  ['ok', 'pass'],
  ['up', 'pass'],
  ['warn', 'warn'],
  ['fail', 'fail'],
  ['error', 'fail'],
  ['down', 'fail'],
]);
export const HealthStatus = z
  .string()
  .transform((s, ctx) => {
    const status = HEALTH_STATUS_ALIASES.get(s.trim().toLowerCase());
    if (!status) {
      ctx.addIssue({ code: 'custom', message: 'must be pass, warn or fail (or ok/up, error/down)' });
      return z.NEVER;
    }
    return status;
  });

const HealthCheckItem = z.looseObject({
  componentId: z.string().max(256).optional(),
  componentType: z.string().max(256).optional(),
  observedValue: z.unknown().optional(),
  observedUnit: z.string().max(64).optional(),
  status: HealthStatus.optional(),
  time: IsoTime.optional(),
  output: z.string().max(4000).optional(),
});

export const HealthDocument = z.looseObject({
  status: HealthStatus,
  version: z.string().optional(),
  releaseId: z.string().optional(),
  serviceId: z.string().optional(),
  description: z.string().optional(),
  output: z.string().max(4000).optional(),
  checks: z.record(z.string().min(1).max(512), z.array(HealthCheckItem).max(100)).optional(),
});
export type HealthDocument = z.infer<typeof HealthDocument>;

/** A result ready for storage: validated, times resolved. */
export interface ProbeResult {
  service: string;
  target: string;
  kind: ProbeKind;
  status: ProbeStatus;
  latencyMs: number | null;
  checkedAt: Date;
  message: string | null;
  dependency: string | null;
  observedValue: string | null;
  source: ProbeSource;
  probeTargetId: string | null;
}

// ——— Active probe targets ———

export const PROBE_METHODS = ['GET', 'HEAD', 'POST'] as const;

const ProbeUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an absolute http:// or https:// URL');

const ProbeTargetFields = {
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  service: EntityName,
  url: ProbeUrl,
  method: z.enum(PROBE_METHODS, { message: `must be one of ${PROBE_METHODS.join(', ')}` }),
  intervalSeconds: z.number().int('must be a whole number of seconds').min(5, 'must be at least 5 seconds').max(3600, 'must be at most 3600 seconds'),
  timeoutMs: z.number().int('must be a whole number of milliseconds').min(100, 'must be at least 100 ms').max(60_000, 'must be at most 60000 ms'),
  expectedStatus: z.number().int().min(100, 'must be an HTTP status (100–599)').max(599, 'must be an HTTP status (100–599)'),
  parseHealthJson: z.boolean(),
  paused: z.boolean(),
};

const timeoutWithinInterval = (t: { timeoutMs?: number; intervalSeconds?: number }) =>
  t.timeoutMs === undefined || t.intervalSeconds === undefined || t.timeoutMs < t.intervalSeconds * 1000;
const TIMEOUT_ISSUE = { message: 'must be shorter than the interval', path: ['timeoutMs'] };

export const CreateProbeTargetInput = z
  .strictObject({
    ...ProbeTargetFields,
    method: ProbeTargetFields.method.default('GET'),
    intervalSeconds: ProbeTargetFields.intervalSeconds.default(30),
    timeoutMs: ProbeTargetFields.timeoutMs.default(5000),
    expectedStatus: ProbeTargetFields.expectedStatus.default(200),
    parseHealthJson: ProbeTargetFields.parseHealthJson.default(false),
    paused: ProbeTargetFields.paused.default(false),
  })
  .refine(timeoutWithinInterval, TIMEOUT_ISSUE);
export type CreateProbeTargetInput = z.infer<typeof CreateProbeTargetInput>;

export const UpdateProbeTargetInput = z
  .strictObject({
    name: ProbeTargetFields.name.optional(),
    service: ProbeTargetFields.service.optional(),
    url: ProbeTargetFields.url.optional(),
    method: ProbeTargetFields.method.optional(),
    intervalSeconds: ProbeTargetFields.intervalSeconds.optional(),
    timeoutMs: ProbeTargetFields.timeoutMs.optional(),
    expectedStatus: ProbeTargetFields.expectedStatus.optional(),
    parseHealthJson: ProbeTargetFields.parseHealthJson.optional(),
    paused: ProbeTargetFields.paused.optional(),
  })
  .refine((u) => Object.keys(u).length > 0, { message: 'must change at least one field' });
export type UpdateProbeTargetInput = z.infer<typeof UpdateProbeTargetInput>;

const ProbeStatusSchema = z.enum(PROBE_STATUSES);

export const ProbeTargetDto = z.object({
  id: z.string(),
  name: z.string(),
  service: z.string(),
  url: z.string(),
  method: z.enum(PROBE_METHODS),
  intervalSeconds: z.number(),
  timeoutMs: z.number(),
  expectedStatus: z.number(),
  parseHealthJson: z.boolean(),
  paused: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The newest result the prober recorded for this target. */
  lastResult: z.object({ status: ProbeStatusSchema, checkedAt: z.string(), latencyMs: z.number().nullable(), message: z.string().nullable() }).nullable(),
});
export type ProbeTargetDto = z.infer<typeof ProbeTargetDto>;

// ——— Read API ———

export const ProbeSummaryQuery = TimeRangeQuery.and(z.object({ service: EntityName.optional() }));

export const ProbeCheckSummary = z.object({
  target: z.string(),
  kind: z.enum(PROBE_KINDS),
  dependency: z.string().nullable(),
  /** Status of the newest result in the range. */
  status: ProbeStatusSchema,
  checkedAt: z.string(),
  latencyMs: z.number().nullable(),
  message: z.string().nullable(),
  /** When the status last changed within the range; null if it never changed there. */
  lastChangeAt: z.string().nullable(),
  passRatio: z.number(),
  results: z.number(),
});
export type ProbeCheckSummary = z.infer<typeof ProbeCheckSummary>;

export const ProbeServiceSummary = z.object({
  service: z.string(),
  /** Worst current status across the service's checks. */
  status: ProbeStatusSchema,
  lastChangeAt: z.string().nullable(),
  passRatio: z.number(),
  checks: z.array(ProbeCheckSummary),
});
export type ProbeServiceSummary = z.infer<typeof ProbeServiceSummary>;

export const ProbeSummaryResult = z.object({ from: z.string(), to: z.string(), services: z.array(ProbeServiceSummary) });
export type ProbeSummaryResult = z.infer<typeof ProbeSummaryResult>;

export const ProbeResultsQuery = TimeRangeQuery.and(
  z.object({
    service: EntityName,
    target: z.string().trim().min(1).max(1024).refine(withoutNul, NUL_MESSAGE).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  }),
);

export const ProbeResultDto = z.object({
  service: z.string(),
  target: z.string(),
  kind: z.enum(PROBE_KINDS),
  status: ProbeStatusSchema,
  latencyMs: z.number().nullable(),
  checkedAt: z.string(),
  message: z.string().nullable(),
  dependency: z.string().nullable(),
  observedValue: z.string().nullable(),
  source: z.enum(['push', 'active']),
});
export type ProbeResultDto = z.infer<typeof ProbeResultDto>;

export const ProbeResultList = z.object({ from: z.string(), to: z.string(), results: z.array(ProbeResultDto) });
export type ProbeResultList = z.infer<typeof ProbeResultList>;
