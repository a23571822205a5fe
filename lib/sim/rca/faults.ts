// The faults the RCA evaluation injects, where each may strike in a fleet, and the ground truth it
// is scored against: a service, a dependency (a database or external API, named as the product
// names it), or the edge between two services.
import type { CandidateRef } from '@/lib/schemas/incidents';
import type { Rng } from './random';
import { callersOf, serviceOf, upstreamOf, type SimTopology } from './topology';

export const FAULT_TYPES = [
  'service_errors',
  'latency',
  'partition',
  'crash',
  'db_slow',
  'queue_stall',
  'bad_replica',
  'retry_storm',
  'external_outage',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** What the evaluation reports per row: each single fault, and two unrelated ones at once. */
export const CASE_TYPES = [...FAULT_TYPES, 'two_faults'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export interface Fault {
  type: FaultType;
  /** The service the fault is in (service faults) or the caller (edges, dependencies). */
  service: string;
  /** The callee of an edge fault, or the leaf id of a dependency fault. */
  target?: string;
  /** bad_replica: the failing instance. */
  instance?: string;
  /** Share of requests failing (service_errors, bad_replica, retry_storm's overloaded callee). */
  rate: number;
  /** Added milliseconds (latency, db_slow). */
  extraMs: number;
  startMs: number;
  endMs: number;
}

export function truthOf(fault: Pick<Fault, 'type' | 'service' | 'target'>): CandidateRef {
  switch (fault.type) {
    case 'partition':
    case 'retry_storm':
      return { kind: 'edge', source: fault.service, target: fault.target! };
    case 'db_slow':
    case 'external_outage':
      return { kind: 'dependency', service: fault.service, target: fault.target! };
    default:
      return { kind: 'service', service: fault.service };
  }
}

/** Services that see the fault: where its symptoms can show (used to tell simultaneous faults apart). */
export function reachOf(topology: SimTopology, fault: Pick<Fault, 'type' | 'service' | 'target'>): Set<string> {
  const reach = upstreamOf(topology, fault.service);
  if (fault.target) {
    reach.add(fault.target);
    // A database or API shared with other services hurts all of them.
    for (const s of topology.services) if (s.calls.some((c) => c.kind !== 'service' && c.to === fault.target)) for (const n of upstreamOf(topology, s.name)) reach.add(n);
  }
  return reach;
}

type Placement = Pick<Fault, 'type' | 'service' | 'target' | 'instance'>;

/** Every place a fault of this type can strike in the topology (empty when it cannot). */
export function placementsOf(topology: SimTopology, type: FaultType): Placement[] {
  const called = topology.services.filter((s) => callersOf(topology, s.name).length > 0);
  const serviceEdges = topology.services.flatMap((s) => s.calls.filter((c) => c.kind === 'service').map((c) => ({ source: s.name, target: c.to })));
  switch (type) {
    case 'service_errors':
    case 'latency':
    case 'crash':
      return called.map((s) => ({ type, service: s.name }));
    case 'partition':
      return serviceEdges.map((e) => ({ type, service: e.source, target: e.target }));
    case 'retry_storm':
      // A storm needs a caller retrying without a breaker to stop it, and enough of the callee's
      // traffic to overload it: its only caller, serving requests (not draining a queue).
      return topology.services
        .filter((s) => s.consumes === null)
        .flatMap((s) => s.calls.filter((c) => c.kind === 'service' && !c.breaker && callersOf(topology, c.to).length === 1).map((c) => ({ type, service: s.name, target: c.to })));
    case 'db_slow':
      return topology.services.flatMap((s) => s.calls.filter((c) => c.kind === 'database').map((c) => ({ type, service: s.name, target: c.to })));
    case 'queue_stall':
      return topology.services.filter((s) => s.consumes !== null).map((s) => ({ type, service: s.name }));
    case 'bad_replica':
      return called.filter((s) => s.instances.length >= 2).map((s) => ({ type, service: s.name, instance: s.instances[s.instances.length - 1]! }));
    case 'external_outage':
      // "Behind a fallback": the caller degrades instead of failing.
      return topology.services.flatMap((s) => s.calls.filter((c) => c.kind === 'external' && c.fallback).map((c) => ({ type, service: s.name, target: c.to })));
  }
}

/** The fault's strength, drawn once per case. */
export function strengthOf(type: FaultType, rng: Rng): Pick<Fault, 'rate' | 'extraMs'> {
  switch (type) {
    case 'service_errors':
      return { rate: 0.3 + rng.next() * 0.4, extraMs: 0 };
    case 'latency':
      return { rate: 0, extraMs: 700 + Math.round(rng.next() * 1300) };
    case 'db_slow':
      return { rate: 0.3, extraMs: 800 + Math.round(rng.next() * 1700) };
    case 'bad_replica':
      return { rate: 0.9, extraMs: 0 };
    case 'retry_storm':
      return { rate: 0.7, extraMs: 0 };
    default:
      return { rate: 1, extraMs: 0 };
  }
}

/** Two placements whose reach does not overlap: unrelated failures at the same time. */
export function disjointPair(topology: SimTopology, rng: Rng): [Placement, Placement] | null {
  const kinds: FaultType[] = ['service_errors', 'latency', 'db_slow', 'crash', 'partition', 'bad_replica'];
  const all = rng.shuffle(kinds.flatMap((k) => placementsOf(topology, k)));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (a.type === b.type) continue;
      const ra = reachOf(topology, a);
      const rb = reachOf(topology, b);
      if (![...ra].some((n) => rb.has(n)) && !sharesLeaf(topology, a, b)) return [a, b];
    }
  }
  return null;
}

function sharesLeaf(topology: SimTopology, a: Placement, b: Placement): boolean {
  const leaves = (p: Placement) => new Set(p.target && !topology.services.some((s) => s.name === p.target) ? [p.target] : serviceOf(topology, p.service).calls.filter((c) => c.kind !== 'service').map((c) => c.to));
  const la = leaves(a);
  return [...leaves(b)].some((l) => la.has(l));
}
