import { z } from 'zod';
import { splitApiError, type FormErrors } from '@/components/ui/form-errors';
import { RULE_KINDS, RULE_LABELS, type RuleKind } from '@/lib/schemas/alerts';
import { CreateRunbookInput, HIGHLIGHT_END, HIGHLIGHT_START, type DiffHunk, type FieldChange, type RunbookContent, type RunbookDiffDto } from '@/lib/schemas/runbooks';

// Pure helpers behind the runbook pages: search filters in the URL, highlighted snippets, the
// editor's draft (comma lists, slug from title, validation messages per field, the copy kept in
// the browser), render failures and diff labels.

// ——— Search ———


export interface SnippetPart {
  text: string;
  isMatch: boolean;
}

/** A search snippet as plain-text runs, the matched ones flagged, for <mark> elements (never HTML). */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let isMatch = false;
  for (const piece of snippet.split(new RegExp(`([${HIGHLIGHT_START}${HIGHLIGHT_END}])`))) {
    if (piece === HIGHLIGHT_START) isMatch = true;
    else if (piece === HIGHLIGHT_END) isMatch = false;
    else if (piece) {
      const last = parts.at(-1);
      if (last && last.isMatch === isMatch) last.text += piece;
      else parts.push({ text: piece, isMatch });
    }
  }
  return parts;
}

export interface RunbookFilters {
  q: string;
  tag: string;
  ruleKind: RuleKind | '';
  service: string;
}

export const NO_RUNBOOK_FILTERS: RunbookFilters = { q: '', tag: '', ruleKind: '', service: '' };
/** The API's most; the list says so when a search reaches it. */
export const RUNBOOK_LIST_LIMIT = 100;

const isRuleKind = (value: string): value is RuleKind => (RULE_KINDS as readonly string[]).includes(value);

export function parseRunbookFilters(params: { get(name: string): string | null }): RunbookFilters {
  const ruleKind = params.get('ruleKind')?.trim() ?? '';
  return {
    q: params.get('q') ?? '',
    tag: params.get('tag') ?? '',
    ruleKind: isRuleKind(ruleKind) ? ruleKind : '',
    service: params.get('service') ?? '',
  };
}

/** Canonical order, trimmed, empty values left out: equal searches share one URL and one cache entry. */
export function runbookFiltersQueryString(filters: RunbookFilters): string {
  const params = new URLSearchParams();
  for (const name of ['q', 'tag', 'ruleKind', 'service'] as const) {
    const value = filters[name].trim();
    if (value) params.set(name, value);
  }
  return params.toString();
}

export function runbooksApiPath(filters: RunbookFilters): string {
  const qs = runbookFiltersQueryString(filters);
  return `/api/runbooks?${qs ? `${qs}&` : ''}limit=${RUNBOOK_LIST_LIMIT}`;
}

export function hasRunbookFilters(filters: RunbookFilters): boolean {
  return runbookFiltersQueryString(filters) !== '';
}

// ——— The editor's draft ———

/** What the editor's inputs hold: tags and services as the comma-separated text typed. */
export interface RunbookDraft {
  title: string;
  slug: string;
  ownerTeam: string;
  tags: string;
  services: string;
  ruleKinds: RuleKind[];
  body: string;
  message: string;
}

/**
 * "a, b,,a " → ["a", "b"]: trimmed, empty entries and repeats dropped, the author's order kept.
 * The comma only separates: no tag or service name may contain one (the API refuses it too), so a
 * name that arrived with a comma (an older import) is split into its parts when saved again.
 */
export function parseCommaList(text: string): string[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return [...new Set(items)];
}

export function formatCommaList(list: readonly string[]): string {
  return list.join(', ');
}

const SLUG_MAX = 80;

/** "Retry storm: what to do!" → "retry-storm-what-to-do": a slug RunbookSlug accepts, or "" for a title with no letters or digits. */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, SLUG_MAX).replace(/-+$/, '');
}

/** Checking a kind keeps RULE_KINDS' order, so the same choice always saves the same list. */
export function toggleRuleKind(kinds: readonly RuleKind[], kind: RuleKind, isOn: boolean): RuleKind[] {
  const chosen = new Set(kinds);
  if (isOn) chosen.add(kind);
  else chosen.delete(kind);
  return RULE_KINDS.filter((k) => chosen.has(k));
}

export function draftFromContent(content: RunbookContent): RunbookDraft {
  return {
    title: content.title,
    slug: content.slug,
    ownerTeam: content.ownerTeam,
    tags: formatCommaList(content.tags),
    services: formatCommaList(content.services),
    ruleKinds: [...content.ruleKinds],
    body: content.body,
    message: '',
  };
}

/** A starting body for a new runbook: the sections responders look for first. */
export const NEW_RUNBOOK_BODY = '## Symptoms\n\nWhat the alert or the dashboard shows.\n\n## Diagnosis\n\n1. \n\n## Mitigation\n\n- [ ] \n\n## Escalation\n\nWho to call when this does not help.\n';

export interface RunbookPrefill {
  services: string[];
  ruleKinds: RuleKind[];
}

export function newRunbookDraft(prefill: RunbookPrefill = { services: [], ruleKinds: [] }): RunbookDraft {
  return {
    title: '',
    slug: '',
    ownerTeam: '',
    tags: '',
    services: formatCommaList(prefill.services),
    ruleKinds: RULE_KINDS.filter((k) => prefill.ruleKinds.includes(k)),
    body: NEW_RUNBOOK_BODY,
    message: '',
  };
}

type QueryValue = string | string[] | undefined;
const queryValues = (value: QueryValue) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => v.split(','));

/** "Write a runbook for this" links: `?service=checkout&ruleKind=error_rate` (repeatable or comma-separated); unknown kinds are ignored. */
export function prefillFromQuery(query: { service?: QueryValue; ruleKind?: QueryValue }): RunbookPrefill {
  const services = [...new Set(queryValues(query.service).map((s) => s.trim()))].filter((s) => s !== '' && s.length <= 256);
  const ruleKinds = RULE_KINDS.filter((k) => queryValues(query.ruleKind).some((v) => v.trim() === k));
  return { services, ruleKinds };
}

/** The draft as the API takes it (without `message`, which is not content). */
export function contentFromDraft(draft: RunbookDraft): RunbookContent {
  return {
    title: draft.title,
    slug: draft.slug,
    ownerTeam: draft.ownerTeam,
    tags: parseCommaList(draft.tags),
    services: parseCommaList(draft.services),
    ruleKinds: draft.ruleKinds,
    body: draft.body,
  };
}

/** Whether two drafts would save the same runbook: "a,b" and "a, b" are the same tags. */
export function isSameDraft(a: RunbookDraft, b: RunbookDraft): boolean {
  return JSON.stringify(contentFromDraft(a)) === JSON.stringify(contentFromDraft(b)) && a.message.trim() === b.message.trim();
}

export const RUNBOOK_FIELDS = ['title', 'slug', 'ownerTeam', 'tags', 'services', 'ruleKinds', 'body', 'message'] as const;
export type RunbookField = (typeof RUNBOOK_FIELDS)[number];
export const isRunbookField = (name: string): name is RunbookField => (RUNBOOK_FIELDS as readonly string[]).includes(name);

/** How messages name each field: the field's label, so the message reads next to it. */
const FIELD_NAMES: Record<RunbookField, string> = {
  title: 'Title',
  slug: 'Slug',
  ownerTeam: 'Owner team',
  tags: 'Tags',
  services: 'Services',
  ruleKinds: 'Alert kinds',
  body: 'Markdown',
  message: 'Change summary',
};
/** One item of a list field, as "Tag 3". */
const ITEM_NAMES: Partial<Record<RunbookField, string>> = { tags: 'Tag', services: 'Service', ruleKinds: 'Alert kind' };

/** "Title" + "must not be empty" → "Title must not be empty."; an index names the list item. */
export function describeFieldError(field: RunbookField, message: string, index?: number): string {
  const item = ITEM_NAMES[field];
  const subject = index !== undefined && item ? `${item} ${index + 1}` : FIELD_NAMES[field];
  const sentence = `${subject} ${message}`;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** The same checks the API makes, as one message per field (the first found), for the editor to show beside each. */
export function validateRunbookDraft(draft: RunbookDraft): Partial<Record<RunbookField, string>> {
  const result = CreateRunbookInput.safeParse({ ...contentFromDraft(draft), message: draft.message });
  const errors: Partial<Record<RunbookField, string>> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const [field, index] = issue.path;
    if (typeof field !== 'string' || !isRunbookField(field) || errors[field] !== undefined) continue;
    errors[field] = describeFieldError(field, issue.message, typeof index === 'number' ? index : undefined);
  }
  return errors;
}

/**
 * A refused save spread over the form: 400's "body.slug: must be …" parts go to their fields, a
 * 409 for a taken slug to the slug; anything else (a refused role, a server fault) stays whole.
 * A list item's part ("body.tags.2: must not contain commas") goes to its list and names the item.
 */
export function formErrorsFromApi(status: number, message: string): FormErrors<RunbookField> {
  if (status === 409) {
    const taken = /^slug: ([\s\S]*)$/.exec(message);
    if (taken?.[1]) return { fields: { slug: describeFieldError('slug', taken[1]) }, general: null };
    return { fields: {}, general: message };
  }
  if (status !== 400) return { fields: {}, general: message };
  const split = splitApiError(message, isRunbookField);
  const fields: Partial<Record<RunbookField, string>> = {};
  for (const field of RUNBOOK_FIELDS) {
    const fieldMessage = split.fields[field];
    if (fieldMessage !== undefined) fields[field] = describeFieldError(field, fieldMessage, firstItemIndex(message, field));
  }
  return { fields, general: split.general };
}

/**
 * The item index of the field's first part ("body.tags.2: …" → 2), the part splitApiError keeps
 * for the field; undefined when that part is about the whole field ("body.tags: …").
 */
function firstItemIndex(message: string, field: RunbookField): number | undefined {
  // Parts are split as splitApiError splits them, so the first one found here is the one it kept.
  for (const part of message.split(/; (?=body[.:])/)) {
    const match = /^body\.([A-Za-z]+)(?:\.(\d+))?[^:]*: /.exec(part);
    if (match?.[1] !== field) continue;
    return match[2] === undefined ? undefined : Number(match[2]);
  }
  return undefined;
}

// ——— The draft kept in the browser ———

/**
 * The editor keeps its unsaved work in localStorage under this key, so that leaving without the
 * unsaved-changes guard (Back, signing out, a crash, a closed tab) does not lose it.
 */
export function draftStorageKey(runbookId: string | null): string {
  return `faultline:runbook-draft:${runbookId ?? 'new'}`;
}

/** The unsaved work as kept: every field, the revision it started from and when it was kept. */
export interface StoredRunbookDraft {
  draft: RunbookDraft;
  /** The revision the edit started from (0 for a new runbook): restoring keeps it, so a stale one still meets the merge. */
  baseRevision: number;
  /** ISO-8601. */
  savedAt: string;
}

// Whatever is in storage was written by some version of this app, or by anything else on the
// origin: it is checked before it reaches the form, and anything unexpected is ignored.
const StoredRunbookDraftJson = z.object({
  draft: z.object({
    title: z.string(),
    slug: z.string(),
    ownerTeam: z.string(),
    tags: z.string(),
    services: z.string(),
    // A kind this version no longer knows is dropped rather than losing the whole draft.
    ruleKinds: z.array(z.string()).transform((kinds) => RULE_KINDS.filter((k) => kinds.includes(k))),
    body: z.string(),
    message: z.string(),
  }),
  baseRevision: z.number().int().min(0),
  savedAt: z.iso.datetime({ offset: true }),
});

export function storedDraftToJson(stored: StoredRunbookDraft): string {
  return JSON.stringify({ draft: stored.draft, baseRevision: stored.baseRevision, savedAt: stored.savedAt });
}

/** The kept draft, or null when there is none or it is not one (broken JSON, another shape). */
export function storedDraftFromJson(json: string | null): StoredRunbookDraft | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const result = StoredRunbookDraftJson.safeParse(value);
  return result.success ? result.data : null;
}

/** Whether restoring the kept draft would change what the editor loaded: only then is it offered. */
export function storedDraftDiffers(stored: StoredRunbookDraft, loaded: RunbookDraft): boolean {
  return !isSameDraft(stored.draft, loaded);
}

/** "You have an unsaved draft from 3 Mar 2026, 10:02 (based on revision 4)." (without the revision for a new runbook). */
export function describeStoredDraft(stored: StoredRunbookDraft, formattedTime: string): string {
  const base = stored.baseRevision > 0 ? ` (based on revision ${stored.baseRevision})` : '';
  return `You have an unsaved draft from ${formattedTime}${base}.`;
}

// ——— Render failures ———

/** Why rendering markdown failed, as a clause: the error's message without its closing full stop. */
export function renderFailureReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).trim().replace(/[.\s]+$/, '');
  return message || 'unknown error';
}

/** Shown in the editor's preview in place of the HTML. */
export function describePreviewFailure(reason: string): string {
  return `The preview cannot render this markdown: ${reason}. Saving will be refused until it renders.`;
}

/** Shown at the Markdown field when a save is tried with a body the preview cannot render. */
export function describeBodyRenderFailure(reason: string): string {
  return `Markdown cannot be rendered: ${reason}. Simplify it (deeply nested quotes or lists are the usual cause) until the preview shows it, then save.`;
}

/** Shown in the history in place of an old revision's HTML. */
export function describeRevisionRenderFailure(reason: string): string {
  return `This revision's markdown cannot be rendered: ${reason}. Compare it with another revision to read its text.`;
}

// ——— Conflicts ———

/** Blocks a three-way merge left for the author: each starts with a "<<<<<<<" line. */
export function countConflictBlocks(body: string): number {
  return body.split('\n').filter((line) => /^<{7}(?:\s|$)/.test(line)).length;
}

/** "title and body": the fields both sides changed, as the editor's labels name them. */
export function describeFieldList(fields: readonly string[]): string {
  const names = fields.map((f) => (isRunbookField(f) ? FIELD_NAMES[f].toLowerCase() : f));
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** What is left to do after loading a merged version. */
export function describeMergeStatus(remainingBlocks: number, bothChanged: readonly string[]): string {
  const blocks =
    remainingBlocks === 0
      ? 'No conflict blocks remain in the body.'
      : `${remainingBlocks} conflict ${remainingBlocks === 1 ? 'block remains' : 'blocks remain'} in the body: keep the right lines between <<<<<<< and >>>>>>> and delete the markers.`;
  const fields = bothChanged.filter((f) => f !== 'body');
  const both = fields.length > 0 ? ` You both changed the ${describeFieldList(fields)}; your version is in the form.` : '';
  return `${blocks}${both}`;
}

// ——— Diffs ———

/** A diff's field changes are named as the editor labels the fields. */
export const CHANGE_FIELD_LABELS: Record<FieldChange['field'], string> = FIELD_NAMES;

/** A changed field's value as text: lists joined, alert kinds by their labels, nothing as "(none)". */
export function describeFieldValue(field: FieldChange['field'], value: FieldChange['from']): string {
  if (Array.isArray(value)) {
    const items = field === 'ruleKinds' ? value.map((v) => (isRuleKind(v) ? RULE_LABELS[v] : v)) : value;
    return items.length > 0 ? items.join(', ') : '(none)';
  }
  return value === '' ? '(empty)' : value;
}

/** The hunk's unified-diff header, "@@ -12 +14 @@" (where it starts on each side). */
export function hunkHeader(hunk: Pick<DiffHunk, 'oldStart' | 'newStart'>): string {
  return `@@ -${hunk.oldStart} +${hunk.newStart} @@`;
}

export function hasDifferences(diff: Pick<RunbookDiffDto, 'fields' | 'body'>): boolean {
  return diff.fields.length > 0 || diff.body.length > 0;
}

/** "2 fields changed; body: 3 lines added, 1 removed". */
export function describeDiffSummary(diff: RunbookDiffDto): string {
  if (!hasDifferences(diff)) return 'No differences';
  const parts: string[] = [];
  if (diff.fields.length > 0) parts.push(`${diff.fields.length} ${diff.fields.length === 1 ? 'field' : 'fields'} changed`);
  if (diff.body.length > 0) parts.push(`body: ${diff.added} ${diff.added === 1 ? 'line' : 'lines'} added, ${diff.removed} removed`);
  return parts.join('; ');
}

// ——— Freshness ———

/** The newer of two copies of a runbook (revisions only grow): a server-rendered one or a cached one. */
export function newerRunbook<R extends { revision: number }>(a: R, b: R | undefined): R {
  return b && b.revision > a.revision ? b : a;
}
