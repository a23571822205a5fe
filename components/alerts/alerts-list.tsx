'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { RULE_KINDS, SEVERITIES, type AlertDto } from '@/lib/schemas/alerts';
import { acknowledgeAlerts, useAlertList, useRefreshAlerts } from './alert-api';
import { AlertTags, SeverityBadge, StateBadge } from './alert-badges';
import {
  ALERT_LIST_LIMIT,
  RULE_LABELS,
  STATE_FILTERS,
  STATE_FILTER_LABELS,
  alertsApiPath,
  describeBulkOutcome,
  entityLabel,
  filtersQueryString,
  formatAgo,
  formatDateTime,
  hasNarrowingFilters,
  parseAlertFilters,
  type AlertFilters,
} from './alert-model';

/**
 * Alerts as the API sorts them (most severe, then youngest), filtered by the URL's query string so
 * a filtered view can be shared; refreshed every 5 s while the selection stays put.
 */
export function AlertsList({ canAct }: { canAct: boolean }) {
  const router = useRouter();
  const filters = parseAlertFilters(useSearchParams());
  const queryString = filtersQueryString(filters);
  const list = useAlertList(alertsApiPath(filters));
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());

  const alerts = list.data?.alerts ?? [];
  // Only firing alerts can be acknowledged; ids that left the list simply stop counting.
  const selectable = alerts.filter((a) => a.state === 'firing').map((a) => a.id);
  const selectedIds = selectable.filter((id) => selected.has(id));

  function applyFilters(next: AlertFilters) {
    const qs = filtersQueryString(next);
    router.push(qs ? `/alerts?${qs}` : '/alerts', { scroll: false });
  }

  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  return (
    <section className="card" aria-labelledby="alert-list-title">
      <h2 id="alert-list-title">Alerts</h2>
      {/* Keyed by the URL so Back shows the filters it went to, not what was typed. */}
      <FiltersForm key={queryString} initial={filters} onApply={applyFilters} />
      {list.data && (
        <p className="muted">
          Across all services: <strong>{list.data.counts.firing}</strong> firing, <strong>{list.data.counts.acknowledged}</strong> acknowledged. Refreshes every 5
          seconds.
        </p>
      )}
      <QueryFeedback isPending={list.isPending} error={list.data ? null : list.error} what="alerts" />
      {/* A failed refresh keeps the rows it had; it says so rather than emptying the table. */}
      {list.data && list.error && <ErrorMessage>{`Could not refresh alerts: ${list.error.message}`}</ErrorMessage>}
      {canAct && alerts.length > 0 && <BulkAcknowledge ids={selectedIds} onDone={(done) => setSelected((s) => new Set([...s].filter((id) => !done.includes(id))))} />}
      {list.data && alerts.length === 0 && <NoAlerts isFiltered={hasNarrowingFilters(filters)} />}
      {alerts.length > 0 && (
        <AlertsTable
          alerts={alerts}
          reference={list.dataUpdatedAt}
          selection={canAct ? { selected, selectable, toggle, setAll: (all) => setSelected(new Set(all ? selectable : [])) } : null}
        />
      )}
      {alerts.length >= ALERT_LIST_LIMIT && <p className="muted">Showing the first {ALERT_LIST_LIMIT} alerts; narrow the filters to see the rest.</p>}
    </section>
  );
}

function NoAlerts({ isFiltered }: { isFiltered: boolean }) {
  if (isFiltered) {
    return (
      <EmptyState title="No alerts match">
        <p>
          No alert matches these filters. <Link href="/alerts">Show all open alerts</Link>, or choose State: All to include those resolved in the last 24 hours.
        </p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Nothing is firing">
      <p>No alert is open. Alerts resolved in the last 24 hours are listed under State: All.</p>
    </EmptyState>
  );
}

function FiltersForm({ initial, onApply }: { initial: AlertFilters; onApply: (filters: AlertFilters) => void }) {
  const [service, setService] = useState(initial.service);
  // Choosing from a list applies at once; the service name waits for Enter or Apply, so typing does not reload per key.
  const choose = (change: Partial<AlertFilters>) => onApply({ ...initial, service: service.trim(), ...change });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ ...initial, service: service.trim() });
  }

  return (
    <form className="form-row alert-filters" aria-label="Filter alerts" onSubmit={submit}>
      <label>
        State
        <select value={initial.state} onChange={(e) => choose({ state: e.target.value as AlertFilters['state'] })}>
          {STATE_FILTERS.map((s) => (
            <option key={s} value={s}>
              {STATE_FILTER_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select value={initial.severity} onChange={(e) => choose({ severity: e.target.value as AlertFilters['severity'] })}>
          <option value="">Any</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Rule
        <select value={initial.rule} onChange={(e) => choose({ rule: e.target.value as AlertFilters['rule'] })}>
          <option value="">Any</option>
          {RULE_KINDS.map((r) => (
            <option key={r} value={r}>
              {RULE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Service
        <input type="search" value={service} onChange={(e) => setService(e.target.value)} placeholder="e.g. checkout" maxLength={256} />
      </label>
      <div className="form-actions">
        <button type="submit">Apply</button>
        {hasNarrowingFilters(initial) && (
          <Link className="button" href="/alerts" scroll={false}>
            Clear filters
          </Link>
        )}
      </div>
    </form>
  );
}

function BulkAcknowledge({ ids, onDone }: { ids: string[]; onDone: (doneIds: string[]) => void }) {
  const noteId = useId();
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = useRefreshAlerts();
  const bulk = useMutation({
    mutationFn: () => acknowledgeAlerts(ids, note.trim() || undefined),
    onSuccess: (result) => {
      setNotice(describeBulkOutcome(result));
      setNote('');
      onDone(result.results.map((r) => r.id).concat(result.notFound));
      refresh();
    },
    onError: () => setNotice(null),
  });

  return (
    <form
      className="alert-bulk"
      aria-label="Acknowledge selected alerts"
      onSubmit={(e) => {
        e.preventDefault();
        bulk.mutate();
      }}
    >
      <span className="muted" aria-live="polite">
        {ids.length === 0 ? 'Select firing alerts to acknowledge them together.' : `${ids.length} selected`}
      </span>
      <label htmlFor={noteId} className="sr-only">
        Note for the selected alerts (optional)
      </label>
      <input id={noteId} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note (optional)" maxLength={2000} />
      <button type="submit" className="primary" disabled={ids.length === 0 || bulk.isPending}>
        {bulk.isPending ? 'Acknowledging…' : 'Acknowledge selected'}
      </button>
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage>{bulk.error ? `Could not acknowledge: ${bulk.error.message}` : null}</ErrorMessage>
    </form>
  );
}

interface Selection {
  selected: ReadonlySet<string>;
  selectable: string[];
  toggle: (id: string) => void;
  setAll: (all: boolean) => void;
}

function AlertsTable({ alerts, reference, selection }: { alerts: AlertDto[]; reference: number; selection: Selection | null }) {
  const allRef = useRef<HTMLInputElement>(null);
  const selectedCount = selection ? selection.selectable.filter((id) => selection.selected.has(id)).length : 0;
  const isAll = selection !== null && selection.selectable.length > 0 && selectedCount === selection.selectable.length;
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = selectedCount > 0 && !isAll;
  }, [selectedCount, isAll]);

  return (
    <div className="table-scroll">
      <table className="alert-table">
        <caption className="sr-only">Alerts, most severe first, then youngest first</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col">
                <input
                  ref={allRef}
                  type="checkbox"
                  aria-label="Select all firing alerts"
                  checked={isAll}
                  disabled={selection.selectable.length === 0}
                  onChange={(e) => selection.setAll(e.target.checked)}
                />
              </th>
            )}
            <th scope="col">Severity</th>
            <th scope="col">State</th>
            <th scope="col">Rule</th>
            <th scope="col">Entity</th>
            <th scope="col">Summary</th>
            <th scope="col">Started</th>
            <th scope="col">Acknowledged by</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <tr key={alert.id} className={`alert-row alert-row-${alert.state}`}>
              {selection && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${RULE_LABELS[alert.rule]} on ${entityLabel(alert.entity)}`}
                    checked={selection.selected.has(alert.id) && alert.state === 'firing'}
                    disabled={alert.state !== 'firing'}
                    title={alert.state === 'firing' ? undefined : `Already ${alert.state}`}
                    onChange={() => selection.toggle(alert.id)}
                  />
                </td>
              )}
              <td>
                <SeverityBadge severity={alert.severity} />
              </td>
              <td className="nowrap">
                <StateBadge state={alert.state} />
                <AlertTags alert={alert} />
              </td>
              <td className="nowrap">{RULE_LABELS[alert.rule]}</td>
              <td className="alert-entity">{entityLabel(alert.entity)}</td>
              <td>
                <Link href={`/alerts/${alert.id}`}>{alert.summary}</Link>
              </td>
              <td className="nowrap">
                <time dateTime={alert.startedAt} title={formatDateTime(alert.startedAt)}>
                  {formatAgo(alert.startedAt, reference)}
                </time>
              </td>
              <td className="alert-entity">{alert.acknowledgedBy ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
