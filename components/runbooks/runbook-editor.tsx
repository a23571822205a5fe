'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
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
  describeBodyRenderFailure,
  describeFieldList,
  describeMergeStatus,
  describePreviewFailure,
  describeStoredDraft,
  draftFromContent,
  draftStorageKey,
  formErrorsFromApi,
  isSameDraft,
  newRunbookDraft,
  renderFailureReason,
  slugFromTitle,
  storedDraftDiffers,
  storedDraftFromJson,
  storedDraftToJson,
  toggleRuleKind,
  validateRunbookDraft,
  type RunbookDraft,
  type RunbookField,
  type RunbookPrefill,
  type StoredRunbookDraft,
} from './runbook-model';

const LEAVE_MESSAGE = 'You have unsaved changes. Leave without saving?';
/** A leave the user just confirmed in our dialog must not be asked again by the browser's. */
const CONFIRMED_LEAVE_MS = 2_000;
/** How long typing pauses before the draft is kept in the browser. */
const DRAFT_AUTOSAVE_MS = 500;
const REPLACE_WITH_DRAFT_MESSAGE = 'Replace what the form holds now with the kept draft?';

type Pane = 'write' | 'preview';
/** What the author did with a draft kept from an earlier visit. */
type KeptDraftChoice = 'undecided' | 'restored' | 'discarded';
/** What the autosave keeps: the form and the revision it started from. */
type UnsavedWork = Omit<StoredRunbookDraft, 'savedAt'>;

/** The body as HTML, or why it cannot be: some markdown (thousands of nested quotes) overflows the renderer's stack. */
type PreviewResult = { html: string; failure: null } | { html: null; failure: string };

function renderPreview(body: string): PreviewResult {
  try {
    return { html: renderRunbookMarkdown(body).html, failure: null };
  } catch (error) {
    return { html: null, failure: renderFailureReason(error) };
  }
}

// localStorage can be missing or refuse (private mode, a full quota, storage switched off): the
// draft is then simply not kept, and the editor works as before.
function readStoredDraft(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The form's work, stamped now; whether storage took it. */
function writeStoredDraft(key: string, work: UnsavedWork): boolean {
  try {
    window.localStorage.setItem(key, storedDraftToJson({ ...work, savedAt: new Date().toISOString() }));
    return true;
  } catch {
    return false;
  }
}

function removeStoredDraft(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Nothing was kept, or nothing can be: either way there is nothing to remove.
  }
}

const noSubscription = () => () => {};

/**
 * Reads the key once and answers the same from then on: the editor offers what was kept when it
 * opened, not the copies its own autosave writes afterwards.
 */
function storedDraftReaderOnce(key: string): () => string | null {
  let json: string | null | undefined;
  return () => {
    if (json === undefined) json = readStoredDraft(key);
    return json;
  };
}

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
  // Whether this editor has kept a draft in storage, so that undoing every change removes it again.
  const hasStoredDraft = useRef(false);
  // Work the autosave is waiting to keep, so that leaving during the pause keeps it at once.
  const pendingWork = useRef<UnsavedWork | null>(null);

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
  // Bumped with each focus request, so that the render the focus effect waits for happens even when nothing else changed.
  const [, setFocusRequests] = useState(0);

  const storageKey = draftStorageKey(runbook?.id ?? null);
  const [readStoredDraftOnce] = useState(() => storedDraftReaderOnce(storageKey));
  // Null on the server and while hydrating (storage is the browser's), the kept JSON right after.
  const storedJson = useSyncExternalStore(noSubscription, readStoredDraftOnce, () => null);
  const keptDraft = useMemo(() => storedDraftFromJson(storedJson), [storedJson]);
  const [keptDraftChoice, setKeptDraftChoice] = useState<KeptDraftChoice>('undecided');
  const doesKeptDraftDiffer = useMemo(() => keptDraft !== null && storedDraftDiffers(keptDraft, savedDraft), [keptDraft, savedDraft]);
  const isKeptDraftOffered = keptDraft !== null && keptDraftChoice === 'undecided' && doesKeptDraftDiffer;

  const deferredBody = useDeferredValue(draft.body);
  const preview = useMemo(() => renderPreview(deferredBody), [deferredBody]);

  const isDirty = !isLeaving && !isSameDraft(draft, savedDraft);
  const remainingBlocks = merge ? countConflictBlocks(draft.body) : 0;
  const clientErrors = hasTriedSave ? checkDraft(draft, remainingBlocks, preview.failure) : {};
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

  // Keeps the unsaved work in the browser once typing pauses, and drops it when every change is undone.
  useEffect(() => {
    pendingWork.current = null;
    if (isLeaving) return;
    if (isDirty) {
      pendingWork.current = { draft, baseRevision };
      const timer = window.setTimeout(() => {
        const work = pendingWork.current;
        pendingWork.current = null;
        if (work && writeStoredDraft(storageKey, work)) hasStoredDraft.current = true;
      }, DRAFT_AUTOSAVE_MS);
      return () => window.clearTimeout(timer);
    }
    // A clean form leaves alone a draft kept by an earlier visit (still offered) or by another tab.
    if (isKeptDraftOffered || (!hasStoredDraft.current && keptDraft === null)) return;
    const timer = window.setTimeout(() => {
      removeStoredDraft(storageKey);
      hasStoredDraft.current = false;
    }, DRAFT_AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [draft, baseRevision, isDirty, isLeaving, isKeptDraftOffered, keptDraft, storageKey]);

  // Closing the tab, or leaving the editor by a way the guards do not see (Back, signing out), in
  // the pause before the autosave: what was typed last is kept there and then.
  useEffect(() => {
    const keepPendingWork = () => {
      const work = pendingWork.current;
      pendingWork.current = null;
      if (work && writeStoredDraft(storageKey, work)) hasStoredDraft.current = true;
    };
    window.addEventListener('pagehide', keepPendingWork);
    return () => {
      window.removeEventListener('pagehide', keepPendingWork);
      keepPendingWork();
    };
  }, [storageKey]);

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
      forgetStoredDraft();
      invalidateRunbooks(queryClient, saved);
      router.push(`/runbooks/${saved.slug}`);
    },
    onError: (error) => {
      const found = conflictOf(error);
      if (found) {
        setConflict(found);
        setKeptMineOver(null);
        setServerErrors(noFormErrors());
        requestFocus(`${ids}-conflict-title`);
        return;
      }
      const errors = error instanceof ApiError ? formErrorsFromApi(error.status, error.message) : { fields: {}, general: error.message };
      setServerErrors(errors);
      const first = RUNBOOK_FIELDS.find((f) => errors.fields[f]);
      if (first) focusField(first);
    },
  });

  /** Drops the kept draft; clearing the pending work first stops an autosave already timed from bringing it back. */
  function forgetStoredDraft() {
    pendingWork.current = null;
    removeStoredDraft(storageKey);
    hasStoredDraft.current = false;
  }

  /** Moves focus to the element after the next render, when errors and panels it refers to exist. */
  function requestFocus(id: string) {
    focusAfterRender.current = id;
    setFocusRequests((n) => n + 1);
  }

  /** Focuses a field, first showing the Write pane when the Markdown is hidden behind the Preview tab. */
  function focusField(field: RunbookField) {
    if (field === 'body') setPane('write');
    requestFocus(field === 'ruleKinds' ? `${fieldId('ruleKinds')}-${RULE_KINDS[0]}` : fieldId(field));
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
    // The preview may still be catching up with the last keystrokes: then the body is rendered now.
    const renderFailure = deferredBody === draft.body ? preview.failure : renderPreview(draft.body).failure;
    const errors = checkDraft(draft, remainingBlocks, renderFailure);
    const first = RUNBOOK_FIELDS.find((f) => errors[f]);
    if (first) {
      focusField(first);
      return;
    }
    setServerErrors(noFormErrors());
    save.mutate({ draft, baseRevision });
  }

  function cancel() {
    if (isDirty && !window.confirm(LEAVE_MESSAGE)) return;
    // Confirmed: the changes are discarded. A draft from an earlier visit that is still offered,
    // untouched, stays for next time.
    if (isDirty || hasStoredDraft.current) forgetStoredDraft();
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
    if (found.merged.conflicts > 0) focusField('body');
    else requestFocus(`${ids}-merge-notice`);
  }

  function keepMine(found: RunbookConflictDto) {
    setBaseRevision(found.current.revision);
    setKeptMineOver(found.current.revision);
    setMerge(null);
    setConflict(null);
    requestFocus(`${ids}-merge-notice`);
  }

  /** Puts the kept draft in the form with the revision it started from: a stale one meets the usual conflict and merge on save. */
  function restoreKeptDraft(kept: StoredRunbookDraft) {
    if (isDirty && !window.confirm(REPLACE_WITH_DRAFT_MESSAGE)) return;
    setDraft(kept.draft);
    setBaseRevision(kept.baseRevision);
    // A new runbook's slug keeps following the title only if the draft's still did.
    setIsSlugChosen(runbook !== null || kept.draft.slug !== slugFromTitle(kept.draft.title));
    setConflict(null);
    setMerge(null);
    setKeptMineOver(null);
    setServerErrors(noFormErrors());
    setKeptDraftChoice('restored');
    requestFocus(fieldId('title'));
  }

  function discardKeptDraft() {
    // Work typed since the editor opened stays kept; only the earlier draft goes.
    if (isDirty) {
      if (writeStoredDraft(storageKey, { draft, baseRevision })) hasStoredDraft.current = true;
    } else {
      forgetStoredDraft();
    }
    setKeptDraftChoice('discarded');
    requestFocus(fieldId('title'));
  }

  const saveStatus = isLeaving && save.isSuccess ? 'Saved. Opening the runbook…' : save.isPending ? 'Saving…' : isDirty ? 'Unsaved changes' : 'No changes yet';

  return (
    <>
      <PageHeader
        title={runbook ? `Edit ${runbook.title}` : 'New runbook'}
        description={runbook ? `Editing revision ${baseRevision}; saving makes revision ${baseRevision + 1} unless someone saves first.` : 'Markdown linked to services and alert kinds, so their alerts show it.'}
      />
      {keptDraft && isKeptDraftOffered && (
        <KeptDraftBanner kept={keptDraft} latestRevision={runbook?.revision ?? null} onRestore={() => restoreKeptDraft(keptDraft)} onDiscard={discardKeptDraft} />
      )}
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
                Comma-separated, e.g. database, rollback. A comma always starts the next tag, so a tag cannot contain one.
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
                Comma-separated services or dependencies (a name cannot contain a comma); their alerts and incidents show this runbook.
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
          <Preview id={`${ids}-preview`} isEmpty={deferredBody.trim() === ''} isBusy={deferredBody !== draft.body} result={preview} />
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

/**
 * The client's checks, plus two the API does not make: a body the preview cannot render is not
 * saved (nor could it be shown), and neither is a loaded merge with its markers.
 */
function checkDraft(draft: RunbookDraft, remainingBlocks: number, renderFailure: string | null): Partial<Record<RunbookField, string>> {
  const errors = validateRunbookDraft(draft);
  if (renderFailure !== null && !errors.body) errors.body = describeBodyRenderFailure(renderFailure);
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

/**
 * The body as it will read, re-rendered when typing pauses (the editor renders a deferred copy, so
 * keystrokes stay ahead of rendering). Markdown the renderer cannot handle is said so here instead
 * of taking the editor, and the draft in it, down.
 */
function Preview({ id, isEmpty, isBusy, result }: { id: string; isEmpty: boolean; isBusy: boolean; result: PreviewResult }) {
  let content: ReactNode;
  if (isEmpty) content = <p className="muted">Nothing to preview yet.</p>;
  else if (result.html === null)
    content = (
      <p className="alert error" role="alert">
        {describePreviewFailure(result.failure)}
      </p>
    );
  else content = <MarkdownView html={result.html} />;
  return (
    // Scrollable on its own, so it takes focus: keyboard users can scroll it too.
    <section className="runbook-editor-preview" id={id} aria-label="Preview" aria-busy={isBusy} tabIndex={0}>
      {content}
    </section>
  );
}

/** Unsaved work kept from an earlier visit: when it was kept, what it started from, and the two ways on. */
function KeptDraftBanner({ kept, latestRevision, onRestore, onDiscard }: { kept: StoredRunbookDraft; latestRevision: number | null; onRestore: () => void; onDiscard: () => void }) {
  const isStale = latestRevision !== null && kept.baseRevision > 0 && kept.baseRevision < latestRevision;
  return (
    <div className="alert runbook-merge-notice" role="status" data-testid="draft-banner">
      <p>
        {describeStoredDraft(kept, formatDateTime(kept.savedAt))}
        {isStale ? ` Revision ${latestRevision} has been saved since, so saving the draft first shows their changes to merge.` : ''}
      </p>
      <div className="form-actions">
        <button type="button" className="primary" onClick={onRestore}>
          Restore draft
        </button>
        <button type="button" onClick={onDiscard}>
          Discard draft
        </button>
      </div>
    </div>
  );
}

/** A stale save: who saved what since, both sides' changes, and the way forward. Nothing in the form changes until the author chooses. */
function ConflictPanel({ conflict, titleId, onLoadMerged, onKeepMine }: { conflict: RunbookConflictDto; titleId: string; onLoadMerged: () => void; onKeepMine: () => void }) {
  const { current, baseRevision, merged } = conflict;
  const bothFields = merged.bothChanged.filter((f) => f !== 'body');
  return (
    // Only the one-sentence summary is announced: as an alert, the whole panel would read out both diffs, row by row.
    <section className="card runbook-conflict" aria-labelledby={titleId} data-testid="conflict-panel">
      <h2 id={titleId} tabIndex={-1}>
        Someone else saved this runbook
      </h2>
      <p role="alert">
        {current.author} saved revision {current.revision} while you were editing revision {baseRevision}, so your changes are not saved yet: load the merged version
        to review and save both, or keep yours.
      </p>
      <p>
        Revision {current.revision} was saved at {formatDateTime(current.at)}
        {current.message ? ` (“${current.message}”)` : ''}. The form still holds your changes.
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
