'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useEffectEvent, useId, useState, type FormEvent } from 'react';
import { formatAgo, formatDateTime } from '@/components/alerts/alert-model';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorMessage, QueryFeedback } from '@/components/ui/feedback';
import { RULE_KINDS, RULE_LABELS } from '@/lib/schemas/alerts';
import type { RunbookSummaryDto } from '@/lib/schemas/runbooks';
import { useRunbookList } from './runbook-api';
import {
  NO_RUNBOOK_FILTERS,
  RUNBOOK_LIST_LIMIT,
  hasRunbookFilters,
  parseRunbookFilters,
  runbookFiltersQueryString,
  runbooksApiPath,
  splitSnippet,
  type RunbookFilters,
} from './runbook-model';
import { RuleKindList, ServiceList, TagList } from './runbook-view';

/** How long typing pauses before the search runs: short enough to feel live, long enough not to query per key. */
const SEARCH_DELAY_MS = 300;

/**
 * Runbooks, searched as you type (best match first, with the matching passage) and filtered by tag,
 * alert kind and service. The search lives in the URL so it can be shared and Back returns to it.
 */
export function RunbooksList({ canCreate }: { canCreate: boolean }) {
  const router = useRouter();
  const filters = parseRunbookFilters(useSearchParams());
  const list = useRunbookList(runbooksApiPath(filters));
  const runbooks = list.data ?? [];
  const isFiltered = hasRunbookFilters(filters);

  function search(queryString: string, how: 'push' | 'replace') {
    const href = queryString ? `/runbooks?${queryString}` : '/runbooks';
    if (how === 'push') router.push(href, { scroll: false });
    else router.replace(href, { scroll: false });
  }

  return (
    <section className="card" aria-labelledby="runbook-list-title">
      <div className="runbook-list-head">
        <h2 id="runbook-list-title">Runbooks</h2>
        {canCreate && (
          <Link className="button primary" href="/runbooks/new">
            New runbook
          </Link>
        )}
      </div>
      <SearchForm filters={filters} onSearch={search} onRepeat={() => void list.refetch()} />
      <p className="muted runbook-count" role="status">
        {describeResults(list.isPending, list.isFetching && list.isPlaceholderData, runbooks.length, isFiltered)}
      </p>
      <QueryFeedback isPending={list.isPending} error={list.data ? null : list.error} what="runbooks" />
      {list.data && list.error && <ErrorMessage>{`Could not refresh runbooks: ${list.error.message}`}</ErrorMessage>}
      {list.data && runbooks.length === 0 && <NoRunbooks isFiltered={isFiltered} canCreate={canCreate} />}
      {runbooks.length > 0 && (
        <ul className="runbook-results" aria-label="Runbooks">
          {runbooks.map((runbook) => (
            <RunbookResult key={runbook.id} runbook={runbook} reference={list.dataUpdatedAt} />
          ))}
        </ul>
      )}
      {runbooks.length >= RUNBOOK_LIST_LIMIT && <p className="muted">Showing the first {RUNBOOK_LIST_LIMIT} runbooks; narrow the search to see the rest.</p>}
    </section>
  );
}

function describeResults(isPending: boolean, isSearching: boolean, count: number, isFiltered: boolean): string {
  if (isPending) return '';
  if (isSearching) return 'Searching…';
  const noun = count === 1 ? 'runbook' : 'runbooks';
  return isFiltered ? `${count} ${noun} found` : `${count} ${noun}`;
}

function NoRunbooks({ isFiltered, canCreate }: { isFiltered: boolean; canCreate: boolean }) {
  if (isFiltered) {
    return (
      <EmptyState title="No runbooks match">
        <p>
          No runbook matches this search. Try other words or fewer filters, or <Link href="/runbooks">show all runbooks</Link>.
        </p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No runbooks yet">
      <p>
        Runbooks are markdown documents linked to services and alert kinds, so an alert or incident shows the right fix.{' '}
        {canCreate ? <Link href="/runbooks/new">Write the first runbook</Link> : 'Editors and admins write them here.'}
      </p>
    </EmptyState>
  );
}

/**
 * The search fields. Typing updates the URL after a pause (replacing the entry, so Back skips the
 * keystrokes); Enter and the alert-kind menu apply at once. When the URL changes from elsewhere
 * (Back, a tag link) the fields follow it.
 */
function SearchForm({ filters, onSearch, onRepeat }: { filters: RunbookFilters; onSearch: (queryString: string, how: 'push' | 'replace') => void; onRepeat: () => void }) {
  const ids = useId();
  const urlQs = runbookFiltersQueryString(filters);
  const [draft, setDraft] = useState(filters);
  const [syncedQs, setSyncedQs] = useState(urlQs);
  // What this form last sent: the URL arriving at it is not "a change from elsewhere".
  const [sentQs, setSentQs] = useState<string | null>(null);
  if (urlQs !== syncedQs) {
    setSyncedQs(urlQs);
    if (urlQs !== sentQs) {
      setDraft(filters);
      setSentQs(null);
    }
  }
  const draftQs = runbookFiltersQueryString(draft);
  // Tags and services must match exactly: suggest the ones in use (the unfiltered list, cached when shown).
  const known = useRunbookList(runbooksApiPath(NO_RUNBOOK_FILTERS)).data ?? [];
  const knownTags = [...new Set(known.flatMap((r) => r.tags))].sort();
  const knownServices = [...new Set(known.flatMap((r) => r.services))].sort();

  function send(queryString: string, how: 'push' | 'replace') {
    setSentQs(queryString);
    onSearch(queryString, how);
  }
  // An Effect Event: the timer is not restarted when the parent re-renders with a new onSearch.
  const sendTyped = useEffectEvent((queryString: string) => send(queryString, 'replace'));
  useEffect(() => {
    // Already in the address, or sent and on its way there.
    if (draftQs === urlQs || draftQs === sentQs) return;
    const timer = window.setTimeout(() => sendTyped(draftQs), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draftQs, urlQs, sentQs]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (draftQs === urlQs) onRepeat();
    else send(draftQs, 'push');
  }

  const change = (next: Partial<RunbookFilters>) => setDraft((current) => ({ ...current, ...next }));

  return (
    <form className="form-row runbook-search" role="search" aria-label="Search runbooks" onSubmit={submit}>
      <label className="runbook-search-q">
        Search
        <input
          type="search"
          name="q"
          value={draft.q}
          onChange={(e) => change({ q: e.target.value })}
          placeholder='e.g. retry storm, "connection pool"'
          maxLength={200}
          aria-describedby={`${ids}-hint`}
        />
      </label>
      <label>
        Tag
        <input type="search" name="tag" list={`${ids}-tags`} value={draft.tag} onChange={(e) => change({ tag: e.target.value })} placeholder="e.g. database" maxLength={64} />
        <datalist id={`${ids}-tags`}>
          {knownTags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
      </label>
      <label>
        Alert kind
        <select
          name="ruleKind"
          value={draft.ruleKind}
          onChange={(e) => {
            const ruleKind = e.target.value as RunbookFilters['ruleKind'];
            setDraft({ ...draft, ruleKind });
            send(runbookFiltersQueryString({ ...draft, ruleKind }), 'push');
          }}
        >
          <option value="">Any</option>
          {RULE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {RULE_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Service
        <input
          type="search"
          name="service"
          list={`${ids}-services`}
          value={draft.service}
          onChange={(e) => change({ service: e.target.value })}
          placeholder="e.g. checkout"
          maxLength={256}
        />
        <datalist id={`${ids}-services`}>
          {knownServices.map((service) => (
            <option key={service} value={service} />
          ))}
        </datalist>
      </label>
      <div className="form-actions">
        <button type="submit">Search</button>
        {hasRunbookFilters(filters) && (
          <Link className="button" href="/runbooks" scroll={false}>
            Clear
          </Link>
        )}
      </div>
      <p id={`${ids}-hint`} className="muted runbook-search-hint">
        Searches titles, tags and text; use quotes for a phrase, OR for either word and - to leave a word out.
      </p>
    </form>
  );
}

function RunbookResult({ runbook, reference }: { runbook: RunbookSummaryDto; reference: number }) {
  return (
    <li className="runbook-result">
      <h3>
        <Link href={`/runbooks/${runbook.slug}`}>{runbook.title}</Link>
      </h3>
      <p className="muted runbook-meta">
        {runbook.ownerTeam ? `Owned by ${runbook.ownerTeam}` : 'No owner team'} · revision {runbook.revision} · updated by {runbook.updatedBy}{' '}
        <time dateTime={runbook.updatedAt} title={formatDateTime(runbook.updatedAt)}>
          {formatAgo(runbook.updatedAt, reference)}
        </time>
      </p>
      {runbook.snippet && (
        <p className="runbook-snippet">
          <Snippet text={runbook.snippet} />
        </p>
      )}
      <dl className="runbook-links">
        <div>
          <dt>Tags</dt>
          <dd>
            <TagList tags={runbook.tags} />
          </dd>
        </div>
        <div>
          <dt>Services</dt>
          <dd>
            <ServiceList services={runbook.services} />
          </dd>
        </div>
        <div>
          <dt>Alert kinds</dt>
          <dd>
            <RuleKindList kinds={runbook.ruleKinds} />
          </dd>
        </div>
      </dl>
    </li>
  );
}

/** The matched words as <mark>, everything as text: a snippet is the author's words, never HTML. */
function Snippet({ text }: { text: string }) {
  return (
    <>
      {splitSnippet(text).map((part, index) => (part.isMatch ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
    </>
  );
}
