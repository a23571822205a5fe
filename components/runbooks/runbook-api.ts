import { useQuery, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiFetch } from '@/lib/http/api-client';
import {
  RunbookActivityDto,
  RunbookCompareDto,
  RunbookConflictDto,
  RunbookDto,
  RunbookRevisionDto,
  RunbookRevisionSummaryDto,
  RunbookSummaryDto,
  type CreateRunbookInput,
  type RestoreRunbookInput,
  type UpdateRunbookInput,
} from '@/lib/schemas/runbooks';

// Every runbook query sits under ['runbooks'], so one invalidation after a save or a restore
// refreshes the list, the runbook, its history and its comparisons together.
export const RUNBOOKS_KEY = ['runbooks'] as const;

export const runbookKey = (id: string) => [...RUNBOOKS_KEY, 'detail', id] as const;

export function useRunbookList(path: string) {
  return useQuery({
    queryKey: [...RUNBOOKS_KEY, 'list', path],
    queryFn: ({ signal }) => apiFetch(path, z.array(RunbookSummaryDto), { signal }),
    // Typing a search keeps the previous results on screen until the next ones arrive.
    placeholderData: (previous) => previous,
  });
}

export function useRunbook(id: string) {
  return useQuery({ queryKey: runbookKey(id), queryFn: ({ signal }) => apiFetch(`/api/runbooks/${id}`, RunbookDto, { signal }) });
}

export function useRunbookRevisions(id: string) {
  return useQuery({
    queryKey: [...RUNBOOKS_KEY, 'revisions', id],
    queryFn: ({ signal }) => apiFetch(`/api/runbooks/${id}/revisions`, z.array(RunbookRevisionSummaryDto), { signal }),
  });
}

/** One revision's whole content; revisions never change, so it is fetched once. */
export function useRunbookRevision(id: string, revision: number, isEnabled: boolean) {
  return useQuery({
    queryKey: [...RUNBOOKS_KEY, 'revision', id, revision],
    queryFn: ({ signal }) => apiFetch(`/api/runbooks/${id}/revisions/${revision}`, RunbookRevisionDto, { signal }),
    enabled: isEnabled,
    staleTime: Infinity,
  });
}

export function useRunbookDiff(id: string, from: number | null, to: number | null) {
  return useQuery({
    queryKey: [...RUNBOOKS_KEY, 'diff', id, from, to],
    queryFn: ({ signal }) => apiFetch(`/api/runbooks/${id}/diff?${new URLSearchParams({ from: String(from), to: String(to) })}`, RunbookCompareDto, { signal }),
    enabled: from !== null && to !== null && from !== to,
    staleTime: Infinity,
  });
}

export function useRunbookActivity(id: string) {
  return useQuery({
    queryKey: [...RUNBOOKS_KEY, 'activity', id],
    queryFn: ({ signal }) => apiFetch(`/api/runbooks/${id}/activity`, RunbookActivityDto, { signal }),
    refetchInterval: 30_000,
  });
}

/** After a save or a restore: the saved runbook goes straight into the cache, everything else is refetched. */
export function invalidateRunbooks(queryClient: QueryClient, saved?: RunbookDto): void {
  if (saved) queryClient.setQueryData(runbookKey(saved.id), saved);
  void queryClient.invalidateQueries({ queryKey: RUNBOOKS_KEY });
}

export const createRunbook = (input: CreateRunbookInput) => apiFetch('/api/runbooks', RunbookDto, { method: 'POST', body: input });
export const updateRunbook = (id: string, input: UpdateRunbookInput) => apiFetch(`/api/runbooks/${id}`, RunbookDto, { method: 'PUT', body: input });
export const restoreRunbookRevision = (id: string, revision: number, input: RestoreRunbookInput) =>
  apiFetch(`/api/runbooks/${id}/revisions/${revision}/restore`, RunbookDto, { method: 'POST', body: input });

/** The merge a stale save or restore was answered with (409 `error.conflict`), or null for any other failure. */
export function conflictOf(error: unknown): RunbookConflictDto | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const parsed = RunbookConflictDto.safeParse(error.body.conflict);
  return parsed.success ? parsed.data : null;
}
