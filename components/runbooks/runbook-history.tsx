'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Fragment, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { formatDateTime } from '@/components/alerts/alert-model';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { PageHeader } from '@/components/ui/page-header';
import { renderRunbookMarkdown } from '@/lib/runbooks/markdown';
import type { RunbookDto, RunbookRevisionSummaryDto } from '@/lib/schemas/runbooks';
import { DiffView } from './diff-view';
import { MarkdownView } from './markdown-view';
import { conflictOf, invalidateRunbooks, restoreRunbookRevision, useRunbook, useRunbookDiff, useRunbookRevision, useRunbookRevisions } from './runbook-api';
import { describeRevisionRenderFailure, newerRunbook, renderFailureReason } from './runbook-model';
import { RuleKindList } from './runbook-view';

/**
 * Every revision of a runbook, newest first: compare any two, read an old one, and (editors)
 * bring one back as a new revision. History is never rewritten, so a restore can be undone too.
 */
export function RunbookHistory({ runbook: rendered, canEdit }: { runbook: RunbookDto; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const ids = useId();
  // The page rendered one copy; a restore puts a newer one in the cache.
  const runbook = newerRunbook(rendered, useRunbook(rendered.id).data);
  const revisions = useRunbookRevisions(rendered.id);
  const list = revisions.data ?? [];
  const latest = Math.max(list[0]?.revision ?? 0, runbook.revision);

  // Unset means the default pair: the previous revision against the latest.
  const [chosenFrom, setChosenFrom] = useState<number | null>(null);
  const [chosenTo, setChosenTo] = useState<number | null>(null);
  const from = chosenFrom ?? list[1]?.revision ?? latest;
  const to = chosenTo ?? latest;

  const [openRevisions, setOpenRevisions] = useState<ReadonlySet<number>>(() => new Set());
  const [confirming, setConfirming] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [restoreError, setRestoreError] = useState<string | null>(null);

  const restore = useMutation({
    mutationFn: (input: { revision: number; baseRevision: number; message: string }) =>
      restoreRunbookRevision(rendered.id, input.revision, { baseRevision: input.baseRevision, message: input.message.trim() || undefined }),
    onMutate: () => {
      setNotice(null);
      setRestoreError(null);
    },
    onSuccess: (saved, input) => {
      setNotice(`Revision ${input.revision} restored as revision ${saved.revision}. The differences below show what it changed.`);
      setChosenFrom(null);
      setChosenTo(null);
      invalidateRunbooks(queryClient, saved);
      // A restore can bring back an older slug: keep the address working without leaving the page (Next.js syncs its router with replaceState).
      if (saved.slug !== runbook.slug) window.history.replaceState(null, '', `/runbooks/${saved.slug}/history`);
    },
    onError: (error, input) => {
      const conflict = conflictOf(error);
      if (conflict) {
        setRestoreError(
          `${conflict.current.author} saved revision ${conflict.current.revision} meanwhile, so revision ${input.revision} was not restored. The history is refreshed: check what changed, then restore again if you still want to.`,
        );
        invalidateRunbooks(queryClient);
      } else {
        setRestoreError(`Could not restore revision ${input.revision}: ${error.message}`);
      }
    },
  });

  function toggleOpen(revision: number) {
    setOpenRevisions((current) => {
      const next = new Set(current);
      if (!next.delete(revision)) next.add(revision);
      return next;
    });
  }

  return (
    <>
      <p className="trace-back">
        <Link href={`/runbooks/${runbook.slug}`}>← {runbook.title}</Link>
      </p>
      <PageHeader title={`History of ${runbook.title}`} description="Every save is a revision: compare any two, read an old one, or bring it back as a new revision." />
      <section className="card" aria-labelledby={`${ids}-title`}>
        <h2 id={`${ids}-title`}>Revisions</h2>
        <QueryFeedback isPending={revisions.isPending} error={revisions.data ? null : revisions.error} what="revisions" />
        {revisions.data && revisions.error && <ErrorMessage>{`Could not refresh revisions: ${revisions.error.message}`}</ErrorMessage>}
        <SuccessMessage>{notice}</SuccessMessage>
        <ErrorMessage>{restoreError}</ErrorMessage>
        {restore.isPending && (
          <p className="muted" role="status">
            Restoring revision {restore.variables.revision}…
          </p>
        )}
        {list.length > 0 && (
          <div className="table-scroll">
            <table className="runbook-revisions">
              <caption className="sr-only">Revisions, newest first; choose two to compare</caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Saved</th>
                  <th scope="col">Author</th>
                  <th scope="col">Summary</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((revision) => (
                  <Fragment key={revision.revision}>
                    <RevisionRow
                      revision={revision}
                      isLatest={revision.revision === latest}
                      isOpen={openRevisions.has(revision.revision)}
                      detailsId={`${ids}-rev-${revision.revision}`}
                      groupName={ids}
                      from={from}
                      to={to}
                      canEdit={canEdit}
                      isRestoring={restore.isPending}
                      onFrom={setChosenFrom}
                      onTo={setChosenTo}
                      onToggle={() => toggleOpen(revision.revision)}
                      onRestore={() => setConfirming(revision.revision)}
                    />
                    {openRevisions.has(revision.revision) && revision.revision !== latest && (
                      <tr className="runbook-revision-details" id={`${ids}-rev-${revision.revision}`}>
                        <td colSpan={7}>
                          <RevisionContent runbookId={rendered.id} revision={revision.revision} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Differences runbookId={rendered.id} from={from} to={to} revisionCount={list.length} isLoaded={revisions.data !== undefined} />
      {confirming !== null && (
        <RestoreDialog
          revision={confirming}
          latest={latest}
          onConfirm={(message) => restore.mutate({ revision: confirming, baseRevision: latest, message })}
          onClose={() => setConfirming(null)}
        />
      )}
    </>
  );
}

interface RevisionRowProps {
  revision: RunbookRevisionSummaryDto;
  isLatest: boolean;
  isOpen: boolean;
  detailsId: string;
  groupName: string;
  from: number;
  to: number;
  canEdit: boolean;
  isRestoring: boolean;
  onFrom: (revision: number) => void;
  onTo: (revision: number) => void;
  onToggle: () => void;
  onRestore: () => void;
}

function RevisionRow({ revision, isLatest, isOpen, detailsId, groupName, from, to, canEdit, isRestoring, onFrom, onTo, onToggle, onRestore }: RevisionRowProps) {
  const n = revision.revision;
  return (
    <tr data-testid={`revision-${n}`}>
      <th scope="row" className="nowrap">
        {n} {isLatest && <span className="badge">latest</span>}
      </th>
      <td className="nowrap">
        <time dateTime={revision.at}>{formatDateTime(revision.at)}</time>
      </td>
      <td className="alert-entity">{revision.author}</td>
      <td className="runbook-revision-message">
        {revision.message}
        {revision.restoredFrom !== null && <span className="badge runbook-restored">restored from {revision.restoredFrom}</span>}
      </td>
      <td>
        <input type="radio" name={`${groupName}-from`} aria-label={`Compare from revision ${n}`} checked={from === n} onChange={() => onFrom(n)} />
      </td>
      <td>
        <input type="radio" name={`${groupName}-to`} aria-label={`Compare to revision ${n}`} checked={to === n} onChange={() => onTo(n)} />
      </td>
      <td>
        {!isLatest && (
          <div className="row-actions">
            <button type="button" onClick={onToggle} aria-expanded={isOpen} aria-controls={isOpen ? detailsId : undefined}>
              {isOpen ? 'Hide' : 'View'}
              <span className="sr-only"> revision {n}</span>
            </button>
            {canEdit && (
              <button type="button" onClick={onRestore} disabled={isRestoring}>
                Restore revision {n}
              </button>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

/** The body as HTML, or why it cannot be: some markdown (thousands of nested quotes) overflows the renderer's stack. */
type RenderedBody = { html: string; failure: null } | { html: null; failure: string };

function renderBody(body: string): RenderedBody {
  try {
    return { html: renderRunbookMarkdown(body).html, failure: null };
  } catch (error) {
    return { html: null, failure: renderFailureReason(error) };
  }
}

/** An old revision as it read then: its fields and its body, rendered like the runbook page (or why it cannot be, without taking the page down). */
function RevisionContent({ runbookId, revision }: { runbookId: string; revision: number }) {
  const query = useRunbookRevision(runbookId, revision, true);
  const content = query.data?.content;
  const rendered = useMemo(() => (content ? renderBody(content.body) : null), [content]);
  if (!content || !rendered) return <QueryFeedback isPending={query.isPending} error={query.error} what={`revision ${revision}`} />;
  return (
    <article className="runbook-revision-content" aria-label={`Revision ${revision}`}>
      <h3>
        Revision {revision}: {content.title}
      </h3>
      <dl className="alert-facts">
        <div>
          <dt>Slug</dt>
          <dd>
            <code>{content.slug}</code>
          </dd>
        </div>
        <div>
          <dt>Owner team</dt>
          <dd>{content.ownerTeam || <span className="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Tags</dt>
          <dd>{content.tags.join(', ') || <span className="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Services</dt>
          <dd>{content.services.join(', ') || <span className="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Alert kinds</dt>
          <dd>
            <RuleKindList kinds={content.ruleKinds} />
          </dd>
        </div>
      </dl>
      {!content.body.trim() ? (
        <p className="muted">The body was empty.</p>
      ) : rendered.html === null ? (
        <p className="alert error" role="alert">
          {describeRevisionRenderFailure(rendered.failure)}
        </p>
      ) : (
        <MarkdownView html={rendered.html} />
      )}
    </article>
  );
}

function Differences({ runbookId, from, to, revisionCount, isLoaded }: { runbookId: string; from: number; to: number; revisionCount: number; isLoaded: boolean }) {
  const diff = useRunbookDiff(runbookId, isLoaded ? from : null, isLoaded ? to : null);
  let content;
  if (!isLoaded) content = null;
  else if (revisionCount < 2) content = <p className="muted">There is only one revision so far: nothing to compare yet.</p>;
  else if (from === to) content = <p className="muted">Choose two different revisions to compare.</p>;
  else if (diff.data) content = <DiffView diff={diff.data} label="Differences" fromLabel={`Revision ${from}`} toLabel={`Revision ${to}`} />;
  else content = <QueryFeedback isPending={diff.isPending} error={diff.error} what="the differences" />;
  return (
    <section className="card" aria-label="Differences" aria-busy={diff.isFetching}>
      <h2>{from === to ? 'Differences' : `Changes from revision ${from} to revision ${to}`}</h2>
      {content}
    </section>
  );
}

/** Asks before restoring; a modal <dialog> keeps focus inside and gives it back to the button on close. */
function RestoreDialog({ revision, latest, onConfirm, onClose }: { revision: number; latest: number; onConfirm: (message: string) => void; onClose: () => void }) {
  const ids = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onConfirm(message);
    dialogRef.current?.close();
  }

  return (
    <dialog ref={dialogRef} className="runbook-dialog" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-description`} onClose={onClose}>
      <form onSubmit={confirm}>
        <h2 id={`${ids}-title`}>Restore revision {revision}?</h2>
        <p id={`${ids}-description`}>
          Its content becomes revision {latest + 1}, on top of revision {latest}. Nothing is deleted: revision {latest} stays in the history and can be restored in turn.
        </p>
        <label>
          Change summary (optional)
          <input value={message} onChange={(e) => setMessage(e.target.value)} maxLength={500} placeholder={`Restored revision ${revision}`} />
        </label>
        <div className="form-actions">
          <button type="submit" className="primary">
            Confirm restore
          </button>
          <button type="button" onClick={() => dialogRef.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
