import { describe, expect, it } from 'vitest';
import { adjacencyOf, groupAlerts, type GroupableAlert } from './group';

// checkout calls payment, inventory and the queue; shipping consumes the queue; payment calls the
// bank. Apart from all that, reports reads the warehouse.
const graph = adjacencyOf([
  { source: 'gateway', target: 'checkout' },
  { source: 'checkout', target: 'payment' },
  { source: 'checkout', target: 'inventory' },
  { source: 'checkout', target: 'orders', targetKind: 'queue' },
  { source: 'orders', target: 'shipping' },
  { source: 'payment', target: 'bank' },
  { source: 'reports', target: 'warehouse' },
]);
const MIN = 60_000;
const alert = (id: string, nodes: string[], startMin: number, endMin: number | null = null, incidentId: string | null = null): GroupableAlert => ({
  id,
  nodes,
  startedAt: startMin * MIN,
  resolvedAt: endMin === null ? null : endMin * MIN,
  incidentId,
});
const groups = (r: ReturnType<typeof groupAlerts>) => {
  const byIncident = new Map<string, string[]>();
  for (const [a, i] of r.assignments) byIncident.set(i, [...(byIncident.get(i) ?? []), a]);
  return [...byIncident.values()].map((ids) => ids.sort().join(',')).sort();
};

describe('groupAlerts', () => {
  it('puts a cascade into one incident: the failing service, its callers and the edges between', () => {
    const r = groupAlerts(
      [alert('payment', ['payment'], 0), alert('edge', ['checkout', 'payment'], 0.2), alert('checkout', ['checkout'], 0.3), alert('gateway', ['gateway'], 0.5)],
      [],
      graph,
      10 * MIN,
    );
    expect(groups(r)).toEqual(['checkout,edge,gateway,payment']);
    expect(r.created).toEqual([{ key: 'new:1', openedAt: 0 }]);
  });

  it('relates a caller and its callee even when no alert names both (a latency cascade)', () => {
    expect(groups(groupAlerts([alert('inventory', ['inventory'], 0), alert('checkout', ['checkout'], 1)], [], graph, 10 * MIN))).toEqual(['checkout,inventory']);
  });

  it('keeps simultaneous failures in unconnected parts of the fleet apart', () => {
    const r = groupAlerts([alert('payment', ['payment'], 0), alert('checkout', ['checkout'], 0.2), alert('reports', ['reports'], 0.1)], [], graph, 10 * MIN);
    expect(groups(r)).toEqual(['checkout,payment', 'reports']);
  });

  it('keeps the same service failing twice, an hour apart, as two incidents; within the re-open window as one', () => {
    const apart = groupAlerts([alert('a', ['payment'], 0, 5), alert('b', ['payment'], 65)], [], graph, 10 * MIN);
    expect(groups(apart)).toEqual(['a', 'b']);
    const soon = groupAlerts([alert('a', ['payment'], 0, 5), alert('b', ['payment'], 12)], [], graph, 10 * MIN);
    expect(groups(soon)).toEqual(['a,b']);
  });

  it('joins a new alert to a recorded incident, and merges two incidents it connects into the older', () => {
    const r = groupAlerts(
      [alert('p', ['payment'], 0, null, 'I1'), alert('i', ['inventory'], 1, null, 'I2'), alert('c', ['checkout'], 2)],
      [
        { id: 'I2', openedAt: 1 * MIN },
        { id: 'I1', openedAt: 0 },
      ],
      graph,
      10 * MIN,
    );
    expect(r.assignments.get('c')).toBe('I1');
    expect(r.assignments.get('i')).toBe('I1');
    expect(r.merged).toEqual([{ from: 'I2', into: 'I1' }]);
    expect(r.created).toEqual([]);
  });

  it('groups the same alerts the same way whatever order they come in', () => {
    const alerts = [alert('x', ['bank'], 0), alert('y', ['payment', 'bank'], 0), alert('z', ['warehouse'], 0), alert('w', ['checkout'], 0.5)];
    const once = groups(groupAlerts(alerts, [], graph, 10 * MIN));
    expect(groups(groupAlerts([...alerts].reverse(), [], graph, 10 * MIN))).toEqual(once);
    expect(once).toEqual(['w,x,y', 'z']);
  });

  it('relates a queue consumer starving with its failing producer, across the queue', () => {
    const r = groupAlerts([alert('checkout', ['checkout'], 0), alert('shipping-drop', ['shipping'], 0.5)], [], graph, 10 * MIN);
    expect(groups(r)).toEqual(['checkout,shipping-drop']);
    // Without the queue between them, two services with a common callee stay apart.
    const r2 = groupAlerts([alert('payment', ['payment'], 0), alert('inventory', ['inventory'], 0.5)], [], graph, 10 * MIN);
    expect(groups(r2)).toEqual(['inventory', 'payment']);
  });
});
