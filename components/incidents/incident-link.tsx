'use client';

import Link from 'next/link';
import { useIncidentTitle } from './incident-api';

/** "Part of incident …" on an alert's page: the incident's title once known, its id until then (or if it cannot be read). */
export function IncidentLink({ id }: { id: string }) {
  const title = useIncidentTitle(id);
  return (
    <>
      Part of incident <Link href={`/incidents/${id}`}>{title.data ?? id.slice(0, 8)}</Link>
    </>
  );
}
