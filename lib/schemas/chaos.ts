import { z } from 'zod';
import { TimeRangeQuery } from './common';

// Chaos switches of the demo fleet (lib/sim): what can be broken, and how a fault is described
// to the fleet's control server, to Faultline's /api/chaos and on the command line.

export const FAULT_KINDS = [
  'error-burst',
  'latency',
  'partition',
  'slow-db',
  'stall-consumer',
  'bad-replica',
  'retry-storm',
  'external-outage',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What each switch does and what it targets, for help texts and the Chaos panel. */
export const FAULT_DESCRIPTIONS: Record<FaultKind, { target: string; effect: string }> = {
  'error-burst': { target: 'service', effect: 'the service answers a share of requests with 500 (--rate, default 0.5)' },
  latency: { target: 'service', effect: 'the service takes extra time on every request (--ms, default 800)' },
  partition: { target: 'caller:callee', effect: "the caller's calls to the callee time out without connecting; the callee stays healthy" },
  'slow-db': { target: 'service', effect: "the service's database is slow (--ms, default 1500) and its small connection pool runs dry" },
  'stall-consumer': { target: 'service', effect: 'the queue consumer stops consuming; the backlog grows' },
  'bad-replica': { target: 'service', effect: 'one replica of several fails most requests and is slow' },
  'retry-storm': { target: 'caller:callee', effect: 'the caller retries the callee aggressively with no budget while the callee flakes' },
  'external-outage': { target: 'service', effect: 'an external dependency is down; its caller falls back (degraded, not down)' },
};

const TargetName = z.string().trim().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a service name such as checkout');
const EdgeTarget = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/, 'must name two services as caller:callee, e.g. checkout:payment');

export const FaultInput = z
  .strictObject({
    kind: z.enum(FAULT_KINDS, { message: `must be one of ${FAULT_KINDS.join(', ')}` }),
    target: z.string().trim().min(1, 'must name a service (or caller:callee)'),
    /** Error share for error-burst (0–1). */
    rate: z.number().min(0.01, 'must be between 0.01 and 1').max(1, 'must be between 0.01 and 1').optional(),
    /** Added latency for latency and slow-db. */
    ms: z.number().int().min(1).max(60_000, 'must be at most 60000').optional(),
    /** Reverted by itself after this long; without it the fault stays until cleared. */
    durationMs: z.number().int().min(1000, 'must be at least 1000 (1 s)').max(86_400_000, 'must be at most a day').optional(),
  })
  .superRefine((f, ctx) => {
    const schema = FAULT_DESCRIPTIONS[f.kind].target === 'caller:callee' ? EdgeTarget : TargetName;
    const parsed = schema.safeParse(f.target);
    if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['target'], message: parsed.error.issues[0]!.message });
  });
export type FaultInput = z.infer<typeof FaultInput>;

/** A fault as the fleet applied it. */
export const ActiveFault = z.object({
  id: z.string(),
  kind: z.enum(FAULT_KINDS),
  target: z.string(),
  rate: z.number().optional(),
  ms: z.number().optional(),
  startedAt: z.string(),
  /** When it reverts by itself; null until cleared. */
  endsAt: z.string().nullable(),
});
export type ActiveFault = z.infer<typeof ActiveFault>;

export const FleetInstance = z.object({ service: z.string(), instance: z.string(), url: z.string(), external: z.boolean() });

/** GET /fleet of the control server: what runs, so panels can offer valid targets. */
export const FleetDescription = z.object({
  services: z.array(z.object({ name: z.string(), role: z.string(), calls: z.array(z.string()), instances: z.array(FleetInstance) })),
  rps: z.number(),
  faults: z.array(ActiveFault),
});
export type FleetDescription = z.infer<typeof FleetDescription>;

/** `npm run chaos -- partition checkout:payment --for 2m --ms 500` → a FaultInput (or why not). */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000);
}

// ——— Faultline's /api/chaos ———

/** Where a switch came from, recorded with it. */
export const FAULT_SOURCES = ['panel', 'cli', 'scenario', 'api'] as const;
export type FaultSource = (typeof FAULT_SOURCES)[number];

/** POST /api/chaos: a fault as the fleet takes it, plus who is switching (default `api`). */
export const InjectFaultInput = FaultInput.safeExtend({
  source: z.enum(FAULT_SOURCES, { message: `must be one of ${FAULT_SOURCES.join(', ')}` }).optional(),
});
export type InjectFaultInput = z.infer<typeof InjectFaultInput>;

/** The knobs a switch was given; missing ones took the fleet's defaults. */
export const FaultParams = z.object({ rate: z.number().optional(), ms: z.number().optional(), durationMs: z.number().optional() });
export type FaultParams = z.infer<typeof FaultParams>;

/**
 * active: still switched on as far as Faultline knows; ended: cleared (or gone from the fleet);
 * scheduled-end-passed: its duration ran out and the fleet reverted it by itself.
 */
export const FAULT_INJECTION_STATUSES = ['active', 'ended', 'scheduled-end-passed'] as const;
export type FaultInjectionStatus = (typeof FAULT_INJECTION_STATUSES)[number];

export const FaultInjectionDto = z.object({
  id: z.string(),
  fleetFaultId: z.string(),
  kind: z.enum(FAULT_KINDS),
  target: z.string(),
  params: FaultParams,
  startedAt: z.string(),
  /** Scheduled end; null until cleared. */
  endsAt: z.string().nullable(),
  /** When it was cleared, or replaced by a newer switch of the same kind and target. */
  endedAt: z.string().nullable(),
  source: z.enum(FAULT_SOURCES),
  /** Who switched it: an e-mail, `api key "…"` or a system name. */
  actor: z.string(),
  status: z.enum(FAULT_INJECTION_STATUSES),
});
export type FaultInjectionDto = z.infer<typeof FaultInjectionDto>;

/** GET /api/chaos: whether chaos is on, what the fleet runs, and the recent switches. */
export const ChaosState = z.object({
  enabled: z.boolean(),
  fleet: FleetDescription.nullable(),
  /** Why the fleet could not be described (not reachable, refused the token). */
  fleetError: z.string().optional(),
  /** Newest first. */
  injections: z.array(FaultInjectionDto),
});
export type ChaosState = z.infer<typeof ChaosState>;

/** GET /api/chaos/injections?from=&to=: every switch that was on at some point in the range. */
export const FaultInjectionsQuery = TimeRangeQuery.and(z.object({ limit: z.coerce.number().int().min(1).max(5000).default(1000) }));
export type FaultInjectionsQuery = z.infer<typeof FaultInjectionsQuery>;

export const FaultInjectionList = z.object({ from: z.string(), to: z.string(), injections: z.array(FaultInjectionDto) });
export type FaultInjectionList = z.infer<typeof FaultInjectionList>;
