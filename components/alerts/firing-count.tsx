'use client';

import { useFiringCount } from './alert-api';

/** The navigation's badge: how many alerts are firing; nothing at all when none are, or when the count cannot be had. */
export function FiringCount() {
  const firing = useFiringCount();
  const count = firing.error ? 0 : (firing.data ?? 0);
  if (count === 0) return null;
  const label = count === 1 ? '1 firing alert' : `${count} firing alerts`;
  return (
    // The number is drawn for the eye; screen readers hear the words as part of the link's name.
    <span className="nav-count" title={label} data-testid="nav-firing-count">
      <span aria-hidden="true">{count}</span>
      <span className="sr-only">, {label}</span>
    </span>
  );
}
