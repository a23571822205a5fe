import { useQueries, useQuery, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { LIVE_MS, alertKey, invalidateAlerts } from '@/components/alerts/alert-api';
import { apiFetch } from '@/lib/http/api-client';
import { AlertDetailDto } from '@/lib/schemas/alerts';
import { GraphResult, ServiceMetrics } from '@/lib/schemas/graph';
import { IncidentActionOutcome, IncidentDetailDto, IncidentDto } from '@/lib/schemas/incidents';
import { incidentsApiPath, type IncidentFilters, type IncidentWindow, windowQuery } from './incident-model';

// Every incident query sits under ['incidents'], so one invalidation after an action refreshes the
// list, the open incident and the navigation's count together.
export const INCIDENTS_KEY = ['incidents'] as const;
/** Metrics and the graph cost the server most and change by the minute: refreshed less often than the incident. */
const EVIDENCE_REFRESH_MS = 15_000;

export const incidentKey = (id: string) => [...INCIDENTS_KEY, 'detail', id] as const;

export function useIncident(id: string) {
  return useQuery({
    queryKey: incidentKey(id),
    queryFn: ({ signal }) => apiFetch(`/api/incidents/${id}`, IncidentDetailDto, { signal }),
    refetchInterval: LIVE_MS,
  });
}

/** Just enough to name an incident in a link (an alert's page): read once, not polled. */
export function useIncidentTitle(id: string) {
  return useQuery({
    queryKey: incidentKey(id),
    queryFn: ({ signal }) => apiFetch(`/api/incidents/${id}`, IncidentDetailDto, { signal }),
    select: (incident) => incident.title,
    staleTime: 60_000,
    retry: false,
  });
}

export function useIncidentList(filters: IncidentFilters) {
  return useQuery({
    // The range's name, not its start, is the key: `from` is computed as each refresh runs, so the window slides.
    queryKey: [...INCIDENTS_KEY, 'list', filters.status, filters.range],
    queryFn: ({ signal }) => apiFetch(incidentsApiPath(filters, Date.now()), z.array(IncidentDto), { signal }),
    refetchInterval: LIVE_MS,
  });
}

/** The navigation's badge: open (not yet acknowledged) incidents; an open one matches any window, so the default will do. */
export function useOpenIncidentCount() {
  return useQuery({
    queryKey: [...INCIDENTS_KEY, 'open-count'],
    queryFn: ({ signal }) => apiFetch('/api/incidents?status=open&limit=1000', z.array(IncidentDto), { signal }),
    select: (list) => list.length,
    refetchInterval: 10_000,
    retry: false,
  });
}

/** Per-minute requests and errors of each service, over the incident's window. */
export function useServiceSeries(incidentId: string, services: readonly string[], period: IncidentWindow) {
  return useQueries({
    queries: services.map((service) => ({
      queryKey: [...INCIDENTS_KEY, 'evidence', incidentId, 'metrics', service, period.from, period.isOpen ? 'open' : period.to],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiFetch(`/api/services/${encodeURIComponent(service)}/metrics?${new URLSearchParams(windowQuery(period))}`, ServiceMetrics, { signal }),
      refetchInterval: period.isOpen ? EVIDENCE_REFRESH_MS : false,
    })),
  });
}

/** The dependency graph over the incident's window, for the small map. */
export function useIncidentGraph(incidentId: string, period: IncidentWindow) {
  return useQuery({
    queryKey: [...INCIDENTS_KEY, 'evidence', incidentId, 'graph', period.from, period.isOpen ? 'open' : period.to],
    queryFn: ({ signal }) => apiFetch(`/api/graph?${new URLSearchParams(windowQuery(period))}`, GraphResult, { signal }),
    refetchInterval: period.isOpen ? EVIDENCE_REFRESH_MS : false,
  });
}

/** The incident's alerts, one request each (the alerts API filters by nothing that names an incident); shared with the alerts' own pages. */
export function useIncidentAlerts(ids: readonly string[], isLive: boolean) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: alertKey(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => apiFetch(`/api/alerts/${id}`, AlertDetailDto, { signal }),
      refetchInterval: isLive ? EVIDENCE_REFRESH_MS : false,
    })),
  });
}

/** After an action: the incident, the list and the count, and the alerts it acknowledged or resolved along the way. */
export function invalidateIncidents(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: INCIDENTS_KEY, predicate: (q) => q.queryKey[1] !== 'evidence' });
  invalidateAlerts(queryClient);
}

export const acknowledgeIncident = (id: string, note?: string) => apiFetch(`/api/incidents/${id}/acknowledge`, IncidentActionOutcome, { method: 'POST', body: { note } });
export const resolveIncident = (id: string, note?: string) => apiFetch(`/api/incidents/${id}/resolve`, IncidentActionOutcome, { method: 'POST', body: { note } });
export const saveIncidentNotes = (id: string, notes: string) => apiFetch(`/api/incidents/${id}/notes`, IncidentDetailDto, { method: 'PUT', body: { notes } });
