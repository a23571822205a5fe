// Which alerts belong to the same failure. Two alerts are related when they overlap in time and
// touch the same part of the dependency graph: they name a common service or dependency, or a
// caller and its callee. An incident is the connected group of related alerts. Groups only grow
// (an alert never leaves its incident); an alert related to two incidents joins them into the
// older one. Pure and ordered, so a replay of the same alerts groups them the same way.

export interface GroupableAlert {
  id: string;
  /** Services and dependencies the alert names (an edge names both ends). */
  nodes: readonly string[];
  /** Event times, epoch ms; null while open. */
  startedAt: number;
  resolvedAt: number | null;
  incidentId: string | null;
}

export interface GroupableIncident {
  id: string;
  openedAt: number;
}

/** Undirected: who calls whom in the period (either direction relates two alerts). */
export type Adjacency = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Neighbours in the calls of the period. A queue joins its producers and consumers as if they
 * called each other: a consumer starving because its producer fails is the same failure.
 */
export function adjacencyOf(edges: Iterable<{ source: string; target: string; targetKind?: string }>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    let set = out.get(a);
    if (!set) out.set(a, (set = new Set()));
    set.add(b);
  };
  const all = [...edges];
  const queues = new Set(all.filter((e) => e.targetKind === 'queue').map((e) => e.target));
  for (const e of all) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  for (const q of queues) {
    const producers = all.filter((e) => e.target === q).map((e) => e.source);
    const consumers = all.filter((e) => e.source === q).map((e) => e.target);
    for (const p of producers) {
      for (const c of consumers) {
        if (p === c) continue;
        link(p, c);
        link(c, p);
      }
    }
  }
  return out;
}

/** Whether two alerts touch the same or neighbouring nodes. */
export function touches(a: readonly string[], b: readonly string[], adjacency: Adjacency): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x === y || adjacency.get(x)?.has(y)) return true;
    }
  }
  return false;
}

export interface GroupingResult {
  /** Every alert given, with the incident it belongs to (existing id, or "new:<n>"). */
  assignments: Map<string, string>;
  /** Incidents to create, each with its first alert's start. */
  created: Array<{ key: string; openedAt: number }>;
  /** Incidents folded into an older one: their alerts now belong to `into`. */
  merged: Array<{ from: string; into: string }>;
}

/** Whether two alerts were open at the same time, give or take the re-open window. */
function overlap(a: GroupableAlert, b: GroupableAlert, reopenMs: number): boolean {
  const end = (x: GroupableAlert) => (x.resolvedAt === null ? Infinity : x.resolvedAt + reopenMs);
  return a.startedAt <= end(b) && b.startedAt <= end(a);
}

/**
 * Places the alerts without an incident. `alerts` holds those plus the alerts of every incident
 * in `incidents` (open ones, and ones resolved recently enough to re-open).
 *
 * A new alert is related to an alert whose time overlaps its own, counting `reopenMs` after each
 * resolution; it joins the incident of every alert it is related to. Whether an incident is
 * resolved (or re-opened) follows from its alerts afterwards.
 */
export function groupAlerts(alerts: readonly GroupableAlert[], incidents: readonly GroupableIncident[], adjacency: Adjacency, reopenMs: number): GroupingResult {
  const incidentOf = new Map<string, string>();
  const openedAt = new Map<string, number>(incidents.map((i) => [i.id, i.openedAt]));
  const members = new Map<string, GroupableAlert[]>();
  const join = (alert: GroupableAlert, incident: string) => {
    incidentOf.set(alert.id, incident);
    let list = members.get(incident);
    if (!list) members.set(incident, (list = []));
    list.push(alert);
  };
  for (const a of alerts) if (a.incidentId && openedAt.has(a.incidentId)) join(a, a.incidentId);

  const result: GroupingResult = { assignments: incidentOf, created: [], merged: [] };
  const pending = alerts.filter((a) => !incidentOf.has(a.id)).sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
  for (const alert of pending) {
    const related = new Set<string>();
    for (const [incident, list] of members) {
      if (list.some((other) => overlap(alert, other, reopenMs) && touches(alert.nodes, other.nodes, adjacency))) related.add(incident);
    }
    if (related.size === 0) {
      const key = `new:${result.created.length + 1}`;
      result.created.push({ key, openedAt: alert.startedAt });
      openedAt.set(key, alert.startedAt);
      join(alert, key);
      continue;
    }
    // A recorded incident survives over a new one (its id is already out there), then the oldest;
    // ties by id so the choice never depends on map order.
    const isNew = (k: string) => (k.startsWith('new:') ? 1 : 0);
    const [into, ...others] = [...related].sort((a, b) => isNew(a) - isNew(b) || openedAt.get(a)! - openedAt.get(b)! || a.localeCompare(b));
    join(alert, into!);
    for (const other of others) {
      for (const moved of members.get(other) ?? []) join(moved, into!);
      members.delete(other);
      if (other.startsWith('new:')) result.created = result.created.filter((c) => c.key !== other);
      else result.merged.push({ from: other, into: into! });
    }
  }
  return result;
}
