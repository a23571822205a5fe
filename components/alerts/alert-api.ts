import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '@/lib/http/api-client';
import {
  AlertActionOutcome,
  AlertDetailDto,
  AlertEventDto,
  AlertListDto,
  BulkAcknowledgeResult,
  SignalSeriesDto,
  SilenceDto,
  type SilenceInput,
} from '@/lib/schemas/alerts';

// Every alert query sits under ['alerts'], so one invalidation after an action refreshes the
// list, the open alert and the navigation's count together.
export const ALERTS_KEY = ['alerts'] as const;
export const SILENCES_KEY = ['silences'] as const;
/** Responders watch these pages while things break: a few seconds' delay is the most they should see. */
export const LIVE_MS = 5_000;

export const alertKey = (id: string) => [...ALERTS_KEY, 'detail', id] as const;

export function useAlert(id: string) {
  return useQuery({
    queryKey: alertKey(id),
    queryFn: ({ signal }) => apiFetch(`/api/alerts/${id}`, AlertDetailDto, { signal }),
    refetchInterval: LIVE_MS,
  });
}

export function useAlertList(path: string) {
  return useQuery({
    queryKey: [...ALERTS_KEY, 'list', path],
    queryFn: ({ signal }) => apiFetch(path, AlertListDto, { signal }),
    refetchInterval: LIVE_MS,
  });
}

/** The navigation's badge: one row is enough, the counts cover every open alert. */
export function useFiringCount() {
  return useQuery({
    queryKey: [...ALERTS_KEY, 'firing-count'],
    queryFn: ({ signal }) => apiFetch('/api/alerts?state=firing&limit=1', AlertListDto, { signal }),
    select: (list) => list.counts.firing,
    refetchInterval: 10_000,
    retry: false,
  });
}

export function useSilences() {
  // Statuses turn over as time passes (scheduled → active → expired), so the list keeps polling.
  return useQuery({ queryKey: SILENCES_KEY, queryFn: ({ signal }) => apiFetch('/api/silences', z.array(SilenceDto), { signal }), refetchInterval: 10_000 });
}

/** After an action: the list, the alert and the count; the signal is left to its own interval (it costs the server most). */
export function invalidateAlerts(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: ALERTS_KEY, predicate: (q) => q.queryKey[1] !== 'signal' });
}

export function useRefreshAlerts() {
  const queryClient = useQueryClient();
  return () => invalidateAlerts(queryClient);
}

export const fetchSignal = (id: string, signal?: AbortSignal) => apiFetch(`/api/alerts/${id}/signal`, SignalSeriesDto, { signal });

export const acknowledgeAlert = (id: string, note?: string) => apiFetch(`/api/alerts/${id}/acknowledge`, AlertActionOutcome, { method: 'POST', body: { note } });
export const resolveAlert = (id: string, note?: string) => apiFetch(`/api/alerts/${id}/resolve`, AlertActionOutcome, { method: 'POST', body: { note } });
export const addAlertNote = (id: string, note: string) => apiFetch(`/api/alerts/${id}/notes`, AlertEventDto, { method: 'POST', body: { note } });
export const acknowledgeAlerts = (ids: string[], note?: string) => apiFetch('/api/alerts/acknowledge', BulkAcknowledgeResult, { method: 'POST', body: { ids, note } });

export const createSilence = (input: SilenceInput) => apiFetch('/api/silences', SilenceDto, { method: 'POST', body: input });
export const endSilence = (id: string) => apiFetch(`/api/silences/${id}`, SilenceDto, { method: 'DELETE' });
