'use client';

import { useOpenIncidentCount } from './incident-api';

/** The navigation's badge: how many incidents nobody has acknowledged yet; nothing when none are, or when the count cannot be had. */
export function OpenIncidentCount() {
  const open = useOpenIncidentCount();
  const count = open.error ? 0 : (open.data ?? 0);
  if (count === 0) return null;
  const label = count === 1 ? '1 open incident' : `${count} open incidents`;
  return (
    // The number is drawn for the eye; screen readers hear the words as part of the link's name.
    <span className="nav-count" title={label} data-testid="nav-open-incidents">
      <span aria-hidden="true">{count}</span>
      <span className="sr-only">, {label}</span>
    </span>
  );
}
