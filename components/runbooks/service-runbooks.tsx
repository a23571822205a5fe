'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId } from 'react';
import { z } from 'zod';
import { ErrorMessage } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { RunbookSummaryDto } from '@/lib/schemas/runbooks';
import { runbookHref, serviceRunbooksKey, serviceRunbooksPath } from './runbook-links-model';
import styles from './runbook-links.module.css';

const RunbookSummaryList = z.array(RunbookSummaryDto);
/** Runbooks change rarely; the map refreshes every few seconds but this list need not follow it. */
const SERVICE_RUNBOOKS_STALE_MS = 60_000;

/**
 * The runbooks linked to one service or dependency, as a short list of links: the map's details
 * panel (h3) and the service page (h2, in a card).
 */
export function ServiceRunbooks({ service, headingLevel = 3 }: { service: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = useId();
  const query = useQuery({
    queryKey: serviceRunbooksKey(service),
    queryFn: ({ signal }) => apiFetch(serviceRunbooksPath(service), RunbookSummaryList, { signal }),
    staleTime: SERVICE_RUNBOOKS_STALE_MS,
  });
  return (
    <section aria-labelledby={headingId} aria-busy={query.isPending} className={headingLevel === 2 ? 'card' : undefined}>
      <Heading id={headingId}>Runbooks</Heading>
      {query.isPending ? (
        <p className="muted">Loading runbooks…</p>
      ) : query.data === undefined ? (
        <ErrorMessage>{`Could not load the runbooks: ${query.error?.message ?? 'unknown error'}`}</ErrorMessage>
      ) : query.data.length === 0 ? (
        <p className="muted">No runbooks linked to {service}.</p>
      ) : (
        <ul className={styles.serviceList} aria-label={`Runbooks for ${service}`}>
          {query.data.map((runbook) => (
            <li key={runbook.id}>
              <Link href={runbookHref(runbook.slug)}>{runbook.title}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
