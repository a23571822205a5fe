'use client';

import Link from 'next/link';
import { useSyncExternalStore } from 'react';
import { serviceColor } from '@/lib/traces/waterfall';

/** A service name with its waterfall colour; the name is always written, so colour is never the only cue. */
export function ServiceBadge({ name }: { name: string }) {
  return (
    <span className="badge trace-service">
      <span className="trace-swatch" style={{ background: serviceColor(name) }} aria-hidden="true" />
      {name}
    </span>
  );
}

/** Local date and time to the millisecond: spans are often milliseconds apart. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
  });
}

const LAST_SEARCH_KEY = 'faultline.traces.lastSearch';
const noSubscription = () => () => {};

/** Remembers the search's query string for this tab, so leaving a trace returns to the same results. */
export function rememberSearch(queryString: string): void {
  try {
    window.sessionStorage.setItem(LAST_SEARCH_KEY, queryString);
  } catch {
    // Storage can be disabled; the link then falls back to a fresh search.
  }
}

function lastSearch(): string {
  try {
    return window.sessionStorage.getItem(LAST_SEARCH_KEY) ?? '';
  } catch {
    return '';
  }
}

export function BackToSearchLink() {
  const queryString = useSyncExternalStore(noSubscription, lastSearch, () => '');
  return (
    <p className="trace-back">
      <Link href={queryString ? `/traces?${queryString}` : '/traces'}>← Back to search</Link>
    </p>
  );
}
