'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { formatDateTime } from '@/components/alerts/alert-model';
import { ErrorMessage } from '@/components/ui/feedback';
import { noFormErrors, type FormErrors } from '@/components/ui/form-errors';
import { PageHeader } from '@/components/ui/page-header';
import { useShortcutKeys } from '@/components/ui/use-shortcut-keys';
import { ApiError } from '@/lib/http/api-client';
import { renderRunbookMarkdown } from '@/lib/runbooks/markdown';
import { RULE_KINDS, RULE_LABELS } from '@/lib/schemas/alerts';
import type { RunbookConflictDto, RunbookDto } from '@/lib/schemas/runbooks';
import { DiffView } from './diff-view';
import { MarkdownView } from './markdown-view';
import { conflictOf, createRunbook, invalidateRunbooks, updateRunbook } from './runbook-api';
import {
  RUNBOOK_FIELDS,
  contentFromDraft,
  countConflictBlocks,
  describeFieldList,
  describeMergeStatus,
  draftFromContent,
  formErrorsFromApi,
  isSameDraft,
  newRunbookDraft,
  slugFromTitle,
  toggleRuleKind,
  validateRunbookDraft,
  type RunbookDraft,
  type RunbookField,
  type RunbookPrefill,
} from './runbook-model';

const LEAVE_MESSAGE = 'You have unsaved changes. Leave without saving?';
/** A leave the user just confirmed in our dialog must not be asked again by the browser's. */
const CONFIRMED_LEAVE_MS = 2_000;

type Pane = 'write' | 'preview';

interface MergeState {
  revision: number;
  author: string;
  bothChanged: string[];
}

/**
 * Writes a new runbook (`runbook` null) or edits one. Every save names the revision it started
 * from; when someone else saved meanwhile the API answers with a merge, shown here for the author
 * to load and finish. Unsaved work is guarded against closing the tab and following links.
 */
export function RunbookEditor({ runbook, prefill }: { runbook: RunbookDto | null; prefill?: RunbookPrefill }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  // Set by handlers, read after the next render: the element to focus once errors or panels exist.
  const focusAfterRender = useRef<string | null>(null);
  const leaveConfirmedAt = useRef(0);

  const [savedDraft] = useState<RunbookDraft>(() => (runbook ? draftFromContent(runbook) : newRunbookDraft(prefill)));
  const [draft, setDraft] = useState(savedDraft);
  const [baseRevision, setBaseRevision] = useState(runbook?.revision ?? 0);
  // A new runbook's slug follows its title until the author types one.
  const [isSlugChosen, setIsSlugChosen] = useState(runbook !== null);
  const [hasTriedSave, setHasTriedSave] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors<RunbookField>>(noFormErrors);
  const [conflict, setConflict] = useState<RunbookConflictDto | null>(null);
  const [merge, setMerge] = useState<MergeState | null>(null);
  const [keptMineOver, setKeptMineOver] = useState<number | null>(null);
  const [isLeaving, setIsLeaving] = useState(false);
  const [pane, setPane] = useState<Pane>('write');

  const isDirty = !isLeaving && !isSameDraft(draft, savedDraft);
  const remainingBlocks = merge ? countConflictBlocks(draft.body) : 0;
  const clientErrors = hasTriedSave ? checkDraft(draft, remainingBlocks) : {};
  const fieldErrors: Partial<Record<RunbookField, string>> = { ...serverErrors.fields, ...clientErrors };

  const fieldId = (field: RunbookField) => `${ids}-${field}`;
  const errorId = (field: RunbookField) => `${ids}-${field}-error`;
  const hintId = (field: RunbookField) => `${ids}-${field}-hint`;
  const fieldProps = (field: RunbookField, hasHint = false) => ({
    id: fieldId(field),
    name: field,
    'aria-invalid': fieldErrors[field] ? (true as const) : undefined,
    'aria-describedby': [hasHint ? hintId(field) : null, fieldErrors[field] ? errorId(field) : null].filter(Boolean).join(' ') || undefined,
  });
  const fieldError = (field: RunbookField) =>
    fieldErrors[field] ? (
      <p className="field-error" id={errorId(field)}>
        {fieldErrors[field]}
      </p>
    ) : null;

  useEffect(() => {
    const id = focusAfterRender.current;
    if (!id) return;
    focusAfterRender.current = null;
    document.getElementById(id)?.focus();
  });

  // Closing the tab, reloading or leaving for another site while the draft differs from what is saved.
  useEffect(() => {
    if (!isDirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (Date.now() - leaveConfirmedAt.current < CONFIRMED_LEAVE_MS) return;
      event.preventDefault();
      // Older browsers only ask when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  // In-app links navigate without unloading the page, so beforeunload never sees them: ask on the
  // click itself, in the capture phase, before Next's <Link> handles it (it skips prevented clicks).
  useEffect(() => {
    if (!isDirty) return;
    const confirmLeaving = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(anchor instanceof HTMLAnchorElement)) return;
      if ((anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin === window.location.origin && url.pathname === window.location.pathname && url.search === window.location.search) return;
      if (window.confirm(LEAVE_MESSAGE)) leaveConfirmedAt.current = Date.now();
      else event.preventDefault();
    };
    document.addEventListener('click', confirmLeaving, true);
    return () => document.removeEventListener('click', confirmLeaving, true);
  }, [isDirty]);

  useShortcutKeys(
    !isLeaving,
    (key) => ((key.ctrlKey || key.metaKey) && !key.altKey && key.key.toLowerCase() === 's' ? 'save' : null),
    () => formRef.current?.requestSubmit(),
  );

  const save = useMutation({
    mutationFn: (input: { draft: RunbookDraft; baseRevision: number }) => {
      const content = contentFromDraft(input.draft);
      const message = input.draft.message.trim() || undefined;
      return runbook ? updateRunbook(runbook.id, { ...content, baseRevision: input.baseRevision, message }) : createRunbook({ ...content, message });
    },
    onSuccess: (saved) => {
      // The guards go first: the page is about to change on purpose.
      setIsLeaving(true);
      invalidateRunbooks(queryClient, saved);
      router.push(`/runbooks/${saved.slug}`);
    },
    onError: (error) => {
      const found = conflictOf(error);
      if (found) {
        setConflict(found);
        setKeptMineOver(null);
        setServerErrors(noFormErrors());
        focusAfterRender.current = `${ids}-conflict-title`;
        return;
      }
      const errors = error instanceof ApiError ? formErrorsFromApi(error.status, error.message) : { fields: {}, general: error.message };
      setServerErrors(errors);
      const first = RUNBOOK_FIELDS.find((f) => errors.fields[f]);
      if (first) focusAfterRender.current = focusTargetOf(first);
    },
  });

  function focusTargetOf(field: RunbookField): string {
    return field === 'ruleKinds' ? `${fieldId('ruleKinds')}-${RULE_KINDS[0]}` : fieldId(field);
  }

  function change(next: Partial<RunbookDraft>) {
    setDraft((current) => {
      const updated = { ...current, ...next };
      if (!isSlugChosen && next.title !== undefined) updated.slug = slugFromTitle(next.title);
      return updated;
    });
    // A server's message is about the value it was sent; once that value changes it no longer applies.
    setServerErrors((current) => {
      const fields = { ...current.fields };
      for (const field of Object.keys(next)) delete fields[field as RunbookField];
      if (!isSlugChosen && next.title !== undefined) delete fields.slug;
      return { fields, general: current.general };
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending || isLeaving) return;
    setHasTriedSave(true);
    const errors = checkDraft(draft, remainingBlocks);
    const first = RUNBOOK_FIELDS.find((f) => errors[f]);
    if (first) {
      focusAfterRender.current = focusTargetOf(first);
      return;
    }
    setServerErrors(noFormErrors());
    save.mutate({ draft, baseRevision });
  }

  function cancel() {
    if (isDirty && !window.confirm(LEAVE_MESSAGE)) return;
    setIsLeaving(true);
    router.push(runbook ? `/runbooks/${runbook.slug}` : '/runbooks');
  }

  function loadMerged(found: RunbookConflictDto) {
    // The summary stays the author's; everything else comes from the merge (theirs plus yours).
    setDraft((current) => ({ ...draftFromContent(found.merged.content), message: current.message }));
    setBaseRevision(found.current.revision);
    setMerge({ revision: found.current.revision, author: found.current.author, bothChanged: found.merged.bothChanged });
    setKeptMineOver(null);
    setConflict(null);
    setServerErrors(noFormErrors());
    focusAfterRender.current = found.merged.conflicts > 0 ? fieldId('body') : `${ids}-merge-notice`;
  }

  function keepMine(found: RunbookConflictDto) {
    setBaseRevision(found.current.revision);
    setKeptMineOver(found.current.revision);
    setMerge(null);
    setConflict(null);
    focusAfterRender.current = `${ids}-merge-notice`;
  }

  const saveStatus = isLeaving && save.isSuccess ? 'Saved. Opening the runbook…' : save.isPending ? 'Saving…' : isDirty ? 'Unsaved changes' : 'No changes yet';

  return (
    <>
      <PageHeader
        title={runbook ? `Edit ${runbook.title}` : 'New runbook'}
        description={runbook ? `Editing revision ${baseRevision}; saving makes revision ${baseRevision + 1} unless someone saves first.` : 'Markdown linked to services and alert kinds, so their alerts show it.'}
      />
      {conflict && <ConflictPanel conflict={conflict} titleId={`${ids}-conflict-title`} onLoadMerged={() => loadMerged(conflict)} onKeepMine={() => keepMine(conflict)} />}
      {merge && (
        <div className="alert runbook-merge-notice" role="status" id={`${ids}-merge-notice`} tabIndex={-1} data-testid="merge-notice">
          Merged version loaded: it is based on revision {merge.revision} by {merge.author}. {describeMergeStatus(remainingBlocks, merge.bothChanged)} Review it, then save.
        </div>
      )}
      {keptMineOver !== null && (
        <div className="alert runbook-merge-notice" role="status" id={`${ids}-merge-notice`} tabIndex={-1} data-testid="merge-notice">
          Your version is kept. Saving it replaces what revision {keptMineOver} changed; compare them in the history afterwards.
        </div>
      )}
      <form ref={formRef} className="card runbook-editor" aria-label={runbook ? 'Edit runbook' : 'New runbook'} onSubmit={submit} noValidate>
        <div className="runbook-editor-fields">
          <Field label="Title" htmlFor={fieldId('title')} error={fieldError('title')}>
            <input {...fieldProps('title')} required maxLength={200} value={draft.title} onChange={(e) => change({ title: e.target.value })} placeholder="e.g. Retry storm on checkout" />
          </Field>
          <Field
            label="Slug"
            htmlFor={fieldId('slug')}
            error={fieldError('slug')}
            hint={
              <p className="muted runbook-field-hint" id={hintId('slug')}>
                The address: <code>/runbooks/{draft.slug || '…'}</code>.{' '}
                {runbook ? 'Changing it changes the link.' : isSlugChosen ? 'Lowercase letters, digits and hyphens.' : 'Follows the title until you edit it.'}
              </p>
            }
          >
            <input
              {...fieldProps('slug', true)}
              required
              maxLength={80}
              spellCheck={false}
              autoCapitalize="none"
              value={draft.slug}
              onChange={(e) => {
                setIsSlugChosen(runbook !== null || e.target.value !== '');
                change({ slug: e.target.value });
              }}
            />
          </Field>
          <Field label="Owner team" htmlFor={fieldId('ownerTeam')} error={fieldError('ownerTeam')}>
            <input {...fieldProps('ownerTeam')} maxLength={100} value={draft.ownerTeam} onChange={(e) => change({ ownerTeam: e.target.value })} placeholder="e.g. payments" />
          </Field>
          <Field
            label="Tags"
            htmlFor={fieldId('tags')}
            error={fieldError('tags')}
            hint={
              <p className="muted runbook-field-hint" id={hintId('tags')}>
                Comma-separated, e.g. database, rollback.
              </p>
            }
          >
            <input {...fieldProps('tags', true)} value={draft.tags} onChange={(e) => change({ tags: e.target.value })} />
          </Field>
          <Field
            label="Services"
            htmlFor={fieldId('services')}
            error={fieldError('services')}
            hint={
              <p className="muted runbook-field-hint" id={hintId('services')}>
                Comma-separated services or dependencies; their alerts and incidents show this runbook.
              </p>
            }
          >
            <input {...fieldProps('services', true)} value={draft.services} onChange={(e) => change({ services: e.target.value })} placeholder="e.g. checkout, payments-db" />
          </Field>
        </div>
        <fieldset className="runbook-kinds" aria-describedby={[hintId('ruleKinds'), fieldErrors.ruleKinds ? errorId('ruleKinds') : null].filter(Boolean).join(' ')}>
          <legend>Alert kinds</legend>
          <p className="muted runbook-field-hint" id={hintId('ruleKinds')}>
            Alerts of these kinds show this runbook, on any service.
          </p>
          <div className="runbook-kind-options">
            {RULE_KINDS.map((kind) => (
              <label key={kind}>
                <input
                  type="checkbox"
                  id={`${fieldId('ruleKinds')}-${kind}`}
                  name="ruleKinds"
                  value={kind}
                  checked={draft.ruleKinds.includes(kind)}
                  onChange={(e) => change({ ruleKinds: toggleRuleKind(draft.ruleKinds, kind, e.target.checked) })}
                />
                {RULE_LABELS[kind]}
              </label>
            ))}
          </div>
          {fieldError('ruleKinds')}
        </fieldset>

        <PaneTabs pane={pane} onChange={setPane} writeId={`${ids}-write`} previewId={`${ids}-preview`} tabIds={`${ids}-tab`} />
        <div className="runbook-editor-split" data-pane={pane}>
          <div className="runbook-editor-write" id={`${ids}-write`}>
            <label htmlFor={fieldId('body')}>Markdown</label>
            <textarea {...fieldProps('body', true)} className="runbook-editor-body" value={draft.body} onChange={(e) => change({ body: e.target.value })} rows={24} spellCheck />
            <p className="muted runbook-field-hint" id={hintId('body')}>
              GitHub-flavoured markdown: <code>##</code> headings become sections in the contents, <code>- [ ]</code> makes a checklist. <kbd>Ctrl</kbd>+<kbd>S</kbd>{' '}
              (<kbd>⌘</kbd>+<kbd>S</kbd>) saves.
            </p>
            {fieldError('body')}
          </div>
          <Preview body={draft.body} id={`${ids}-preview`} />
        </div>

        <div className="runbook-editor-message">
          <Field
            label="Change summary"
            htmlFor={fieldId('message')}
            error={fieldError('message')}
            hint={
              <p className="muted runbook-field-hint" id={hintId('message')}>
                Optional; shown in the history.
              </p>
            }
          >
            <input
              {...fieldProps('message', true)}
              maxLength={500}
              value={draft.message}
              onChange={(e) => change({ message: e.target.value })}
              placeholder={runbook ? 'e.g. Added the rollback steps' : 'Created'}
            />
          </Field>
        </div>
        <div className="form-actions runbook-editor-actions">
          <button className="primary" type="submit" disabled={save.isPending || isLeaving}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={cancel} disabled={isLeaving}>
            Cancel
          </button>
          <p className="muted runbook-save-status" role="status" data-testid="save-status">
            {saveStatus}
          </p>
        </div>
        <ErrorMessage>{serverErrors.general ? `Could not save the runbook: ${serverErrors.general}` : null}</ErrorMessage>
      </form>
    </>
  );
}

/** The client's checks, plus one the API does not make: a loaded merge must not be saved with its markers. */
function checkDraft(draft: RunbookDraft, remainingBlocks: number): Partial<Record<RunbookField, string>> {
  const errors = validateRunbookDraft(draft);
  if (remainingBlocks > 0 && !errors.body) {
    errors.body = `Markdown still has ${remainingBlocks} conflict ${remainingBlocks === 1 ? 'block' : 'blocks'}: keep the right lines between <<<<<<< and >>>>>>>, delete the markers, then save.`;
  }
  return errors;
}

function Field({ label, htmlFor, error, hint, children }: { label: string; htmlFor: string; error: ReactNode; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="runbook-field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint}
      {error}
    </div>
  );
}

/** On narrow screens the editor shows one pane at a time; on wide ones both, and these tabs are hidden. */
function PaneTabs({ pane, onChange, writeId, previewId, tabIds }: { pane: Pane; onChange: (pane: Pane) => void; writeId: string; previewId: string; tabIds: string }) {
  const panes: { pane: Pane; label: string; controls: string }[] = [
    { pane: 'write', label: 'Write', controls: writeId },
    { pane: 'preview', label: 'Preview', controls: previewId },
  ];
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const next: Pane = event.key === 'Home' ? 'write' : event.key === 'End' ? 'preview' : pane === 'write' ? 'preview' : 'write';
    onChange(next);
    document.getElementById(`${tabIds}-${next}`)?.focus();
  }
  return (
    <div className="runbook-editor-tabs" role="tablist" aria-label="Editor view" onKeyDown={onKeyDown}>
      {panes.map((p) => (
        <button
          key={p.pane}
          type="button"
          role="tab"
          id={`${tabIds}-${p.pane}`}
          aria-selected={pane === p.pane}
          aria-controls={p.controls}
          tabIndex={pane === p.pane ? 0 : -1}
          onClick={() => onChange(p.pane)}
        >
          {p.label}
        </button>
      ))}
    </div>
  );
}

/** The body as it will read, re-rendered when typing pauses (useDeferredValue keeps keystrokes ahead of rendering). */
function Preview({ body, id }: { body: string; id: string }) {
  const deferredBody = useDeferredValue(body);
  const rendered = useMemo(() => renderRunbookMarkdown(deferredBody), [deferredBody]);
  return (
    // Scrollable on its own, so it takes focus: keyboard users can scroll it too.
    <section className="runbook-editor-preview" id={id} aria-label="Preview" aria-busy={deferredBody !== body} tabIndex={0}>
      {deferredBody.trim() ? <MarkdownView html={rendered.html} /> : <p className="muted">Nothing to preview yet.</p>}
    </section>
  );
}

/** A stale save: who saved what since, both sides' changes, and the way forward. Nothing in the form changes until the author chooses. */
function ConflictPanel({ conflict, titleId, onLoadMerged, onKeepMine }: { conflict: RunbookConflictDto; titleId: string; onLoadMerged: () => void; onKeepMine: () => void }) {
  const { current, baseRevision, merged } = conflict;
  const bothFields = merged.bothChanged.filter((f) => f !== 'body');
  return (
    <section className="card runbook-conflict" role="alert" aria-labelledby={titleId} data-testid="conflict-panel">
      <h2 id={titleId} tabIndex={-1}>
        Someone else saved this runbook
      </h2>
      <p>
        {current.author} saved revision {current.revision} at {formatDateTime(current.at)}
        {current.message ? ` (“${current.message}”)` : ''} while you were editing revision {baseRevision}. Your changes are not saved yet, and the form still holds
        them.
      </p>
      <p>
        The merged version puts your changes on top of revision {current.revision}.{' '}
        {merged.conflicts > 0
          ? `In ${merged.conflicts} ${merged.conflicts === 1 ? 'place' : 'places'} you both changed the same lines of the body; both versions are kept there between <<<<<<< and >>>>>>> markers for you to resolve.`
          : 'The body merges without overlapping edits.'}
        {bothFields.length > 0 ? ` You both changed the ${describeFieldList(bothFields)}; the merge keeps yours.` : ''}
      </p>
      <div className="form-actions">
        <button type="button" className="primary" onClick={onLoadMerged}>
          Load merged version
        </button>
        <button type="button" onClick={onKeepMine}>
          Keep my version
        </button>
      </div>
      <div className="runbook-conflict-diffs">
        <div>
          <h3>Their changes</h3>
          <DiffView diff={conflict.theirs} label="Their changes" fromLabel={`Revision ${baseRevision}`} toLabel={`Revision ${current.revision}`} />
        </div>
        <div>
          <h3>Your changes</h3>
          <DiffView diff={conflict.yours} label="Your changes" fromLabel={`Revision ${baseRevision}`} toLabel="Yours" />
        </div>
      </div>
    </section>
  );
}
