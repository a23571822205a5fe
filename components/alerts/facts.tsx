import type { ReactNode } from 'react';
import { formatAgo, formatDateTime } from './alert-model';

// The term/value rows of the alert and incident facts cards.

export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A moment as date and time, with how long ago on hover; a dash when it has not happened. */
export function FactTime({ iso, reference }: { iso: string | null | undefined; reference: number }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatAgo(iso, reference)}>
      {formatDateTime(iso)}
    </time>
  );
}
