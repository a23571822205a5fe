'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { rootCauseKey, runbookMatchesKey, suggestForRootCause } from '@/components/runbooks/runbook-links-model';
import { RunbookMatches } from '@/components/runbooks/runbook-matches';
import type { CandidateRef } from '@/lib/schemas/incidents';

/**
 * The runbooks for the incident, inside its root-cause card: the server matches them on the root
 * cause and the alerts. While the analysis is pending there is no root cause (`rootCause` absent):
 * the alerts' matches show, and the empty state suggests no service to write one for.
 */
export function LinkedRunbooks({ incidentId, rootCause, canEdit }: { incidentId: string; rootCause?: CandidateRef; canEdit: boolean }) {
  const queryClient = useQueryClient();
  // Null while pending, so that the analysis landing counts as a change of root cause too.
  const currentRootCause = rootCause ? rootCauseKey(rootCause) : null;
  const shownFor = useRef(currentRootCause);
  // An open incident's root cause can move as evidence arrives, and the server's matches move with
  // it: ask again at once rather than show the old root cause's runbooks until they go stale.
  useEffect(() => {
    if (shownFor.current === currentRootCause) return;
    shownFor.current = currentRootCause;
    void queryClient.invalidateQueries({ queryKey: runbookMatchesKey({ kind: 'incident', id: incidentId }) });
  }, [currentRootCause, incidentId, queryClient]);

  return <RunbookMatches source={{ kind: 'incident', id: incidentId }} canEdit={canEdit} suggest={rootCause ? suggestForRootCause(rootCause) : undefined} embedded />;
}
