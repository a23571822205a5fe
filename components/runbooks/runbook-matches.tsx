'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId } from 'react';
import { z } from 'zod';
import { ErrorMessage } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { RunbookMatchDto } from '@/lib/schemas/runbooks';
import { describeNoMatch, newRunbookHref, runbookHref, runbookMatchesKey, runbookMatchesPath, type RunbookSource, type RunbookSuggestion } from './runbook-links-model';
import styles from './runbook-links.module.css';

const RunbookMatchList = z.array(RunbookMatchDto);
/** Runbooks change by the hour, not the second: read once a minute at most, never polled. */
const MATCHES_STALE_MS = 60_000;

function useRunbookMatches(source: RunbookSource) {
  return useQuery({
    queryKey: runbookMatchesKey(source),
    queryFn: ({ signal }) => apiFetch(runbookMatchesPath(source), RunbookMatchList, { signal }),
    staleTime: MATCHES_STALE_MS,
  });
}

interface RunbookMatchesProps {
  source: RunbookSource;
  /** May write runbooks ('edit_runbooks'): offers "Write one" when nothing matches. */
  canEdit: boolean;
  /** What a new runbook should be linked to, for the empty state's text and link. */
  suggest?: RunbookSuggestion;
  /** Inside another card (the incident's root cause): a subheading and no card of its own. */
  embedded?: boolean;
}

/** The runbooks that match an alert or an incident, best first: the fix one click from the alarm. */
export function RunbookMatches({ source, canEdit, suggest, embedded = false }: RunbookMatchesProps) {
  const headingId = useId();
  const query = useRunbookMatches(source);
  const Heading = embedded ? 'h3' : 'h2';
  return (
    <section className={embedded ? styles.embedded : 'card'} aria-labelledby={headingId} aria-busy={query.isPending}>
      <Heading id={headingId} className={styles.heading}>
        Runbooks
      </Heading>
      {query.isPending ? (
        <p className={`muted ${styles.state}`}>Loading runbooks…</p>
      ) : query.data === undefined ? (
        <>
          <ErrorMessage>{`Could not load the runbooks: ${query.error?.message ?? 'unknown error'}`}</ErrorMessage>
          <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
            {query.isFetching ? 'Trying again…' : 'Try again'}
          </button>
        </>
      ) : query.data.length === 0 ? (
        <p className={`muted ${styles.state}`}>
          {describeNoMatch(suggest)}
          {canEdit && (
            <>
              {' '}
              <Link href={newRunbookHref(suggest)}>Write one</Link>
            </>
          )}
        </p>
      ) : (
        <>
          <ol className={styles.matches} aria-label="Matching runbooks, best first">
            {query.data.map((match, index) => (
              <MatchItem key={match.id} match={match} isBest={index === 0} />
            ))}
          </ol>
          {/* A failed refresh keeps the list it had: stale links still help more than none. */}
          {query.error && <p className={`muted ${styles.reasons}`}>{`Could not refresh the runbooks: ${query.error.message}`}</p>}
        </>
      )}
    </section>
  );
}

function MatchItem({ match, isBest }: { match: RunbookMatchDto; isBest: boolean }) {
  return (
    <li className={isBest ? `${styles.match} ${styles.best}` : styles.match}>
      {isBest && <span className={styles.bestLabel}>Best match</span>}
      <Link href={runbookHref(match.slug, match.section)} className={styles.title}>
        {match.title}
        {match.section && (
          <span className={styles.section}>
            {/* The arrow and § are for the eye; a screen reader hears ", section …". */}
            <span aria-hidden="true"> → § </span>
            <span className="sr-only">, section </span>
            {match.section.text}
          </span>
        )}
      </Link>
      <span className={`muted ${styles.owner}`}>{match.ownerTeam ? `Owner: ${match.ownerTeam}` : 'No owner team'}</span>
      {match.reasons.length > 0 && <p className={`muted ${styles.reasons}`}>Why: {match.reasons.join(' · ')}</p>}
    </li>
  );
}
