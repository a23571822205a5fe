// Current state and state bands of every breaker, derived from its transitions, grouped by the
// caller→dependency edge the dependency map draws.
import type { BreakerEventRow } from '@/lib/db/breaker-events';
import type { BreakerEdge, BreakerInstanceState, BreakerSegment, BreakerState } from '@/lib/schemas/breakers';

/** How bad a state is for the calls crossing the edge: an open breaker fails them fast. */
const SEVERITY: Record<BreakerState, number> = { forced_open: 4, open: 4, half_open: 3, closed: 1, disabled: 0 };

export function isOpen(state: BreakerState): boolean {
  return state === 'open' || state === 'forced_open';
}

/** Open, or half-open on the way back from open: calls are still (mostly) refused. */
const notClosed = (state: BreakerState) => state !== 'closed' && state !== 'disabled';

/**
 * `rows` must hold, per breaker, its last transition before `from` (if any) and every one in
 * [from, to], ordered by time — as breakerEventsForRange returns them.
 */
export function deriveBreakerEdges(rows: readonly BreakerEventRow[], range: { from: Date; to: Date }): BreakerEdge[] {
  const byBreaker = new Map<string, BreakerEventRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.service, row.dependency, row.breaker, row.instance]);
    let list = byBreaker.get(key);
    if (!list) byBreaker.set(key, (list = []));
    list.push(row);
  }

  const edges = new Map<string, { service: string; dependency: string; breakers: BreakerInstanceState[]; openedAt: Date[] }>();
  for (const events of byBreaker.values()) {
    const first = events[0]!;
    const { openedAt, ...state } = instanceState(events, range.from);
    const key = JSON.stringify([first.service, first.dependency]);
    let edge = edges.get(key);
    if (!edge) edges.set(key, (edge = { service: first.service, dependency: first.dependency, breakers: [], openedAt: [] }));
    edge.breakers.push(state);
    if (openedAt) edge.openedAt.push(openedAt);
  }

  return [...edges.values()].map(({ service, dependency, breakers, openedAt }) => {
    const worst = breakers.reduce((a, b) => (SEVERITY[b.state] > SEVERITY[a.state] ? b : a)).state;
    const since = breakers
      .filter((b) => SEVERITY[b.state] === SEVERITY[worst])
      .map((b) => b.since)
      .sort()[0]!;
    const openInstances = breakers.filter((b) => isOpen(b.state)).length;
    return {
      service,
      dependency,
      state: worst,
      since,
      // A breaker cycling open → half-open → open has been open since it first opened.
      openForMs: notClosed(worst) && openedAt.length > 0 ? Math.max(0, range.to.getTime() - Math.min(...openedAt.map((d) => d.getTime()))) : null,
      openInstances,
      instances: breakers.length,
      breakers: breakers.sort((a, b) => a.breaker.localeCompare(b.breaker) || a.instance.localeCompare(b.instance)),
    };
  });
}

/** An instance's state now and its bands; `openedAt`: when it last left closed, if it has not closed since. */
function instanceState(events: readonly BreakerEventRow[], rangeFrom: Date): BreakerInstanceState & { openedAt: Date | null } {
  const segments: BreakerSegment[] = [];
  let since = events[0]!.at;
  let current = events[0]!;
  let openedAt: Date | null = notClosed(current.to) ? current.at : null;
  for (const [i, event] of events.entries()) {
    // A repeated state (a duplicate report, or a missed transition in between) continues the band.
    if (i > 0 && event.to === current.to) continue;
    if (i > 0) since = event.at;
    if (!notClosed(event.to)) openedAt = null;
    else openedAt ??= event.at;
    current = event;
    const start = event.at < rangeFrom ? rangeFrom : event.at;
    const open = segments.at(-1);
    if (open) open.to = start.toISOString();
    segments.push({ state: event.to, from: start.toISOString(), to: null });
  }
  const last = events.at(-1)!;
  return {
    breaker: current.breaker,
    instance: current.instance,
    state: current.to,
    since: since.toISOString(),
    failureRate: last.failureRate ?? current.failureRate,
    reason: current.reason,
    segments,
    openedAt: notClosed(current.to) ? openedAt : null,
  };
}
