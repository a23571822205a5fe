'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useId, useState, useSyncExternalStore, type FormEvent, type MouseEvent, type ReactNode } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage, QueryFeedback } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { OperationList, ServiceList } from '@/lib/schemas/trace-catalog';
import { DurationMs, TraceId, TraceSearchResult, type TraceSummaryDto } from '@/lib/schemas/traces';
import { formatDuration } from '@/lib/traces/waterfall';
import { ServiceBadge, formatTimestamp, rememberSearch } from './trace-parts';

// The search lives in the URL (same names as GET /api/traces), so a search can be shared and
// Back returns to the previous one; the URL's query string is also the results' cache key.
const FILTERS = ['service', 'operation', 'status', 'minDuration', 'from', 'to', 'limit'] as const;
type Filter = (typeof FILTERS)[number];
type Search = Record<Filter, string>;

const DEFAULT_LIMIT = '20';
const LIMITS = ['10', '20', '50', '100', '200', '500'];
const STATUSES = [
  { value: '', label: 'Any' },
  { value: 'error', label: 'Error' },
  { value: 'ok', label: 'OK' },
  { value: 'unset', label: 'Unset' },
] as const;

function readSearch(params: URLSearchParams): Search {
  return Object.fromEntries(FILTERS.map((f) => [f, params.get(f)?.trim() ?? ''])) as Search;
}

/** Canonical order and no empty or default values, so equal searches share one cache entry. */
function toQueryString(search: Search): string {
  const params = new URLSearchParams();
  for (const f of FILTERS) {
    const value = search[f];
    if (value && !(f === 'limit' && value === DEFAULT_LIMIT)) params.set(f, value);
  }
  return params.toString();
}

function hasFilters(search: Search): boolean {
  return FILTERS.some((f) => f !== 'limit' && search[f] !== '');
}

/** An ISO time as a datetime-local value, in the browser's time zone. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInput(value: string): string {
  // A datetime-local value without an offset is read as local time, which is what the user meant.
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
}

const noSubscription = () => () => {};

export function TraceSearch({ getStarted }: { getStarted?: ReactNode }) {
  const router = useRouter();
  const current = readSearch(useSearchParams());
  const queryString = toQueryString(current);

  const results = useQuery({
    queryKey: ['traces', 'search', queryString],
    queryFn: ({ signal }) => apiFetch(`/api/traces${queryString ? `?${queryString}` : ''}`, TraceSearchResult, { signal }),
  });

  useEffect(() => rememberSearch(queryString), [queryString]);

  function search(next: Search) {
    const nextQueryString = toQueryString(next);
    // The same URL would not navigate; the user still expects spans that arrived since.
    if (nextQueryString === queryString) void results.refetch();
    else router.push(nextQueryString ? `/traces?${nextQueryString}` : '/traces');
  }

  return (
    <>
      <FindTraceById />
      {/* Keyed by the URL so Back and Clear show the search they went to, not what was typed. */}
      <SearchForm key={queryString} initial={current} onSearch={search} />
      <section className="card" aria-labelledby="trace-results-title">
        <h2 id="trace-results-title">Results</h2>
        <QueryFeedback isPending={results.isPending} error={results.error} what="traces" />
        {results.isFetching && !results.isPending && <p className="loading">Refreshing…</p>}
        {results.data && <ResultsSummary result={results.data} />}
        {results.data && results.data.traces.length === 0 && (
          <EmptyState title="No traces match this search">
            <p>
              No trace that started between {formatTimestamp(results.data.from)} and {formatTimestamp(results.data.to)}
              {hasFilters(current) ? ' matches these filters. Widen the time range with From and To, or remove filters.' : ' was found. Widen the time range with From and To.'}
            </p>
            {!hasFilters(current) && getStarted}
          </EmptyState>
        )}
        {results.data && results.data.traces.length > 0 && <ResultsTable traces={results.data.traces} />}
      </section>
    </>
  );
}

function ResultsSummary({ result }: { result: TraceSearchResult }) {
  const count = result.traces.length;
  return (
    <p className="muted" role="status">
      {count === 1 ? '1 trace' : `${count} traces`}, latest first, started between {formatTimestamp(result.from)} and {formatTimestamp(result.to)}.
    </p>
  );
}

function SearchForm({ initial, onSearch }: { initial: Search; onSearch: (search: Search) => void }) {
  const router = useRouter();
  const ids = useId();
  const [service, setService] = useState(initial.service);
  const [operation, setOperation] = useState(initial.operation);
  const [error, setError] = useState<{ field: 'minDuration' | 'from'; message: string } | null>(null);

  const services = useQuery({
    queryKey: ['traces', 'services'],
    queryFn: ({ signal }) => apiFetch('/api/traces/services', ServiceList, { signal }),
  });
  const operations = useQuery({
    queryKey: ['traces', 'operations', service],
    queryFn: ({ signal }) => apiFetch(`/api/traces/operations?${new URLSearchParams({ service })}`, OperationList, { signal }),
    enabled: service !== '',
  });
  // Values from a shared URL stay selectable even when the lists no longer hold them.
  const serviceOptions = withCurrent(services.data?.services ?? [], service);
  const operationOptions = withCurrent(service ? (operations.data?.operations ?? []) : [], operation);
  const limitOptions = withCurrent(LIMITS, initial.limit || DEFAULT_LIMIT);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const minDuration = text('minDuration');
    if (minDuration && !DurationMs.safeParse(minDuration).success) {
      setError({ field: 'minDuration', message: 'Min duration must be a duration such as 250ms, 1.5s or 2m.' });
      return;
    }
    const from = fromLocalInput(text('from'));
    const to = fromLocalInput(text('to'));
    if (from && to && Date.parse(from) > Date.parse(to)) {
      setError({ field: 'from', message: 'From must not be after To.' });
      return;
    }
    setError(null);
    onSearch({ service, operation, status: text('status'), minDuration, from, to, limit: text('limit') });
  }

  const errorId = `${ids}-error`;
  const describe = (field: 'minDuration' | 'from', hint?: string) => {
    const isInvalid = error?.field === field;
    return { 'aria-invalid': isInvalid || undefined, 'aria-describedby': [hint, isInvalid ? errorId : undefined].filter(Boolean).join(' ') || undefined };
  };

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Search</h2>
      <form className="form-row trace-search-form" onSubmit={onSubmit} aria-labelledby={`${ids}-title`}>
        <label>
          Service
          {/* The aria-label keeps the name to "Service": a wrapping label would also read out the options. */}
          <select
            name="service"
            aria-label="Service"
            value={service}
            onChange={(e) => {
              setService(e.target.value);
              setOperation('');
            }}
          >
            <option value="">All services</option>
            {serviceOptions.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Operation
          <select name="operation" aria-label="Operation" value={operation} onChange={(e) => setOperation(e.target.value)} disabled={!service && !operation} aria-describedby={`${ids}-operation-hint`}>
            <option value="">All operations</option>
            {operationOptions.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" aria-label="Status" defaultValue={initial.status}>
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Min duration
          <input name="minDuration" defaultValue={initial.minDuration} placeholder="e.g. 250ms" size={9} autoComplete="off" spellCheck={false} {...describe('minDuration')} />
        </label>
        <label>
          From
          <LocalTimeInput name="from" iso={initial.from} {...describe('from', `${ids}-time-hint`)} />
        </label>
        <label>
          To
          <LocalTimeInput name="to" iso={initial.to} aria-describedby={`${ids}-time-hint`} />
        </label>
        <label>
          Limit
          <select name="limit" aria-label="Limit" defaultValue={initial.limit || DEFAULT_LIMIT}>
            {limitOptions.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <button className="primary" type="submit">
          Search
        </button>
        <button type="button" onClick={() => router.push('/traces')}>
          Clear filters
        </button>
      </form>
      <p className="muted trace-hint">
        <span id={`${ids}-time-hint`}>Leave From and To empty to search the last hour (To alone searches the hour before it).</span>{' '}
        <span id={`${ids}-operation-hint`}>{service ? (operations.isPending ? 'Loading operations…' : '') : 'Choose a service to list its operations.'}</span>
      </p>
      {services.error && <ErrorMessage>{`Could not load services: ${services.error.message}`}</ErrorMessage>}
      {operations.error && <ErrorMessage>{`Could not load operations: ${operations.error.message}`}</ErrorMessage>}
      {error && (
        <p id={errorId} className="alert error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}

/**
 * A datetime-local input showing an ISO time in the browser's time zone. The server cannot know
 * that zone, so it renders the input empty and the browser remounts it with the value.
 */
function LocalTimeInput({ name, iso, ...aria }: { name: string; iso: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) {
  const isBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  return <input key={String(isBrowser)} type="datetime-local" name={name} defaultValue={isBrowser ? toLocalInput(iso) : ''} {...aria} />;
}

function withCurrent(options: readonly string[], current: string): string[] {
  return current && !options.includes(current) ? [current, ...options] : [...options];
}

function FindTraceById() {
  const router = useRouter();
  const ids = useId();
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = TraceId.safeParse(new FormData(event.currentTarget).get('traceId') ?? '');
    if (!parsed.success) {
      setError(`Not a trace ID: it ${parsed.error.issues[0]?.message ?? 'must be 32 hexadecimal characters'}.`);
      return;
    }
    setError(null);
    router.push(`/traces/${parsed.data}`);
  }

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Find trace by ID</h2>
      <form className="form-row" onSubmit={onSubmit} aria-labelledby={`${ids}-title`} noValidate>
        <label className="trace-id-field">
          Trace ID
          <input
            name="traceId"
            placeholder="32 hexadecimal characters"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
            onChange={() => setError(null)}
          />
        </label>
        <button type="submit">Open trace</button>
      </form>
      {error && (
        <p id={`${ids}-error`} className="alert error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function ResultsTable({ traces }: { traces: TraceSummaryDto[] }) {
  const router = useRouter();
  const longest = Math.max(...traces.map((t) => t.durationMs), 0);

  // The trace id link is the keyboard route; this lets a pointer click anywhere on the row.
  function onRowClick(event: MouseEvent<HTMLTableRowElement>, href: string) {
    const target = event.target as HTMLElement;
    if (target.closest('a, button') || window.getSelection()?.toString()) return;
    router.push(href);
  }

  return (
    <table className="trace-results">
      <thead>
        <tr>
          <th scope="col">Trace</th>
          <th scope="col">Start</th>
          <th scope="col">Root service</th>
          <th scope="col">Root operation</th>
          <th scope="col">Duration</th>
          <th scope="col">Spans</th>
          <th scope="col">Errors</th>
          <th scope="col">Services</th>
        </tr>
      </thead>
      <tbody>
        {traces.map((t) => {
          const href = `/traces/${t.traceId}`;
          return (
            <tr key={t.traceId} className="trace-result" onClick={(e) => onRowClick(e, href)}>
              <td>
                <Link href={href} aria-label={`Trace ${t.traceId}`} title={t.traceId}>
                  <code>{t.traceId.slice(0, 8)}</code>
                </Link>
              </td>
              <td className="trace-nowrap">{formatTimestamp(t.startTime)}</td>
              <td>{t.rootService ?? <span className="muted">root span missing</span>}</td>
              <td>{t.rootOperation ?? <span className="muted">root span missing</span>}</td>
              <td>
                <span className="trace-duration">
                  {formatDuration(t.durationMs)}
                  <span className="trace-duration-track" aria-hidden="true">
                    <span className="trace-duration-bar" style={{ width: `${longest > 0 ? Math.max(1, (t.durationMs / longest) * 100) : 0}%` }} />
                  </span>
                </span>
              </td>
              <td>{t.spanCount}</td>
              <td>{t.errorCount > 0 ? <span className="badge trace-error-count">{t.errorCount === 1 ? '1 error' : `${t.errorCount} errors`}</span> : <span className="muted">0</span>}</td>
              <td>
                {t.services.map((s) => (
                  <ServiceBadge key={s} name={s} />
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
