// Incidents end to end: new alerts are grouped (lib/correlate/group.ts) under the detection write
// lock, then every incident that changed, and every open one as evidence accumulates, is
// analysed (evidence.ts → rank.ts) and its status follows its alerts: resolved when all are,
// re-opened when a related alert fires within the re-open window.
import { inDetectionTransaction, type AlertRow } from '@/lib/db/alerts';
import { aggregateEdges } from '@/lib/db/graph';
import {
  alertsForGrouping,
  assignAlertsToIncident,
  findIncidentWithAlerts,
  insertIncidentEvents,
  insertIncidentRow,
  mergeIncidentRows,
  staleOpenIncidentIds,
  updateIncidentRow,
  type IncidentWithAlerts,
} from '@/lib/db/incidents';
import { severityRank, SEVERITIES, type Severity } from '@/lib/schemas/alerts';
import type { IncidentAnalysis } from '@/lib/schemas/incidents';
import { gatherEvidence } from './evidence';
import { adjacencyOf, groupAlerts } from './group';
import { describeRef, rankRootCauses } from './rank';

/** A related alert this soon after an incident resolved re-opens it rather than starting another. */
export const REOPEN_MS = 10 * 60_000;
/** How far back unassigned alerts are picked up (a detector that was down catches up this far). */
const LOOKBACK_MS = 24 * 3_600_000;
/** Open incidents are re-analysed at most this often. */
const REANALYSE_MS = 30_000;
const GRAPH_WINDOW_MS = 30 * 60_000;

const SYSTEM = { actorType: 'system' as const, actorLabel: 'correlator' };

export function alertNodes(a: Pick<AlertRow, 'service' | 'target'>): string[] {
  return a.target ? [a.service, a.target] : [a.service];
}

const PLACEHOLDER: IncidentAnalysis = { rootCause: { kind: 'service', service: 'unknown', confidence: 0, evidence: ['analysis pending'] }, candidates: [], symptoms: [] };

export interface CorrelationOutcome {
  created: string[];
  merged: Array<{ from: string; into: string }>;
  analysed: string[];
}

/**
 * Groups alerts not yet in an incident and refreshes the analyses due. `at` is the evaluation's
 * event time: it ends the window of open incidents' evidence.
 */
export async function correlateAlerts(at: Date, options: { force?: readonly string[] } = {}): Promise<CorrelationOutcome> {
  const grouped = await inDetectionTransaction(async (tx) => {
    const { alerts, incidents } = await alertsForGrouping(new Date(at.getTime() - LOOKBACK_MS), new Date(at.getTime() - REOPEN_MS), tx);
    if (!alerts.some((a) => a.incidentId === null)) return { created: [], merged: [], touched: new Set<string>() };
    // The calls of the last half hour, read only when a new alert needs placing (most ticks have none).
    const adjacency = adjacencyOf(await aggregateEdges(new Date(at.getTime() - GRAPH_WINDOW_MS), at));
    const result = groupAlerts(
      alerts.map((a) => ({ id: a.id, nodes: alertNodes(a), startedAt: a.startedAt.getTime(), resolvedAt: a.resolvedAt?.getTime() ?? null, incidentId: a.incidentId })),
      incidents.map((i) => ({ id: i.id, openedAt: i.openedAt.getTime() })),
      adjacency,
      REOPEN_MS,
    );
    const ids = new Map<string, string>();
    for (const c of result.created) {
      const first = alerts.find((a) => result.assignments.get(a.id) === c.key)!;
      const row = await insertIncidentRow(
        { title: first.summary, severity: first.severity, severityRank: first.severityRank, openedAt: new Date(c.openedAt), analysis: PLACEHOLDER, analyzedAt: new Date(0) },
        tx,
      );
      ids.set(c.key, row.id);
    }
    for (const m of result.merged) {
      await mergeIncidentRows(m.from, m.into, tx);
      await insertIncidentEvents([{ incidentId: m.into, type: 'merged', ...SYSTEM, note: `incident ${m.from} joined this one: a new alert connects them` }], tx);
    }
    const touched = new Set<string>();
    const byIncident = new Map<string, string[]>();
    for (const a of alerts) {
      const key = result.assignments.get(a.id)!;
      const id = ids.get(key) ?? key;
      if (a.incidentId !== id) {
        byIncident.set(id, [...(byIncident.get(id) ?? []), a.id]);
        touched.add(id);
      }
    }
    for (const [id, alertIds] of byIncident) await assignAlertsToIncident(alertIds, id, tx);
    return { created: [...ids.values()], merged: result.merged, touched };
  });

  const due = new Set([...grouped.touched, ...(options.force ?? []), ...(await staleOpenIncidentIds(new Date(Date.now() - REANALYSE_MS))).map((r) => r.id)]);
  const analysed: string[] = [];
  for (const id of [...due].sort()) {
    if (await analyseIncident(id, at)) analysed.push(id);
  }
  return { created: grouped.created, merged: grouped.merged, analysed };
}

function titleOf(incident: IncidentWithAlerts, analysis: IncidentAnalysis): string {
  const services = new Set(incident.alerts.flatMap(alertNodes));
  const root = analysis.rootCause.service === 'unknown' && analysis.candidates.length === 0 ? incident.alerts[0]?.service ?? 'unknown' : describeRef(analysis.rootCause);
  return `${root}: ${incident.alerts.length} alert${incident.alerts.length === 1 ? '' : 's'} across ${services.size} service${services.size === 1 ? '' : 's'}`;
}

/** Re-derives an incident's status, severity, title and analysis from its alerts and the evidence. */
export async function analyseIncident(id: string, at: Date): Promise<boolean> {
  const incident = await findIncidentWithAlerts(id);
  if (!incident || incident.alerts.length === 0) return false;
  const open = incident.alerts.filter((a) => a.resolvedAt === null);
  const resolvedAt = open.length === 0 ? new Date(Math.max(...incident.alerts.map((a) => a.resolvedAt!.getTime()))) : null;
  const openedAt = new Date(Math.min(...incident.alerts.map((a) => a.startedAt.getTime())));
  const worst = incident.alerts.reduce((w, a) => Math.min(w, a.severityRank), SEVERITIES.length - 1);
  const alerted = [...new Set(incident.alerts.flatMap(alertNodes))];
  const analysis = rankRootCauses(await gatherEvidence(openedAt, resolvedAt ?? at, alerted));
  const reopened = incident.status === 'resolved' && open.length > 0;
  await inDetectionTransaction(async (tx) => {
    await updateIncidentRow(
      id,
      {
        analysis,
        analyzedAt: new Date(),
        title: titleOf(incident, analysis),
        severity: SEVERITIES[worst] as Severity,
        severityRank: severityRank(SEVERITIES[worst] as Severity),
        openedAt,
        ...(open.length === 0
          ? { status: 'resolved', resolvedAt, resolvedBy: incident.status === 'resolved' ? incident.resolvedBy : 'detector' }
          : reopened
            ? { status: 'open', resolvedAt: null, resolvedBy: null }
            : {}),
      },
      tx,
    );
    if (reopened) await insertIncidentEvents([{ incidentId: id, at: open[0]!.startedAt, type: 'reopened', ...SYSTEM, note: `${open[0]!.summary}` }], tx);
  });
  return true;
}
