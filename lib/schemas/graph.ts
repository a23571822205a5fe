import { z } from 'zod';
import { BREAKER_STATES } from './breakers';
import { TimeRangeQuery } from './common';
import { PROBE_STATUSES } from './probes';

// Contract of the dependency map: GET /api/graph?from=&to= (default: the last 15 minutes).

export const NODE_KINDS = ['service', 'database', 'cache', 'queue', 'external'] as const;
export const HEALTH_STATES = ['ok', 'degraded', 'failing', 'unknown'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const GraphQuery = TimeRangeQuery;

const Latency = {
  /** Milliseconds, from the merged fixed-bucket histogram; null without requests. */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
};

export const GraphNode = z.object({
  id: z.string(),
  kind: z.enum(NODE_KINDS),
  /** Requests handled (services: their SERVER/CONSUMER spans; leaves: calls into them). */
  requests: z.number(),
  /** Requests per second over the range. */
  rps: z.number(),
  errorRate: z.number(),
  ...Latency,
  health: z.enum(HEALTH_STATES),
  /** Why the health is what it is, in words ("error rate 12% ≥ 5%", "probe failing"). */
  reasons: z.array(z.string()),
  probe: z.object({ status: z.enum(PROBE_STATUSES), at: z.string() }).optional(),
  instances: z.number(),
});
export type GraphNode = z.infer<typeof GraphNode>;

export const GraphEdge = z.object({
  source: z.string(),
  target: z.string(),
  requests: z.number(),
  rps: z.number(),
  errorRate: z.number(),
  ...Latency,
  /** Share of attempts that were retries. */
  retryRate: z.number(),
  timeoutRate: z.number(),
  /** Queue → consumer edges: publish→process lag, 95th percentile, ms. */
  lagP95: z.number().optional(),
  breaker: z.object({ state: z.enum(BREAKER_STATES), since: z.string(), openInstances: z.number(), instances: z.number() }).optional(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

export const GraphResult = z.object({
  from: z.string(),
  to: z.string(),
  /** SLO the health classification used (per-service overrides come with alert rules). */
  slo: z.object({ latencyP99Ms: z.number(), errorRate: z.number() }),
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
});
export type GraphResult = z.infer<typeof GraphResult>;

// GET /api/services/:service/metrics?from=&to= (default: the last hour): RED per minute and the
// service's callers and callees over the range.

export const ServiceMetricsQuery = TimeRangeQuery;

export const ServiceMinutePoint = z.object({
  minute: z.string(),
  requests: z.number(),
  rps: z.number(),
  errorRate: z.number(),
  ...Latency,
});

export const ServiceMetrics = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string(),
  series: z.array(ServiceMinutePoint),
  /** Edges into the service (its callers), and out of it (what it calls). */
  upstream: z.array(GraphEdge),
  downstream: z.array(GraphEdge),
});
export type ServiceMetrics = z.infer<typeof ServiceMetrics>;
