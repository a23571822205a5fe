import { describe, expect, it } from 'vitest';
import { RUNBOOK_BODY_MAX, type RunbookDiffDto } from '@/lib/schemas/runbooks';
import {
  NEW_RUNBOOK_BODY,
  contentFromDraft,
  countConflictBlocks,
  describeBodyRenderFailure,
  describeDiffSummary,
  describeFieldValue,
  describeMergeStatus,
  describePreviewFailure,
  describeRevisionRenderFailure,
  describeStoredDraft,
  draftFromContent,
  draftStorageKey,
  formErrorsFromApi,
  formatCommaList,
  hasRunbookFilters,
  hunkHeader,
  isSameDraft,
  newRunbookDraft,
  newerRunbook,
  parseCommaList,
  parseRunbookFilters,
  prefillFromQuery,
  renderFailureReason,
  runbookFiltersQueryString,
  runbooksApiPath,
  slugFromTitle,
  splitSnippet,
  storedDraftDiffers,
  storedDraftFromJson,
  storedDraftToJson,
  toggleRuleKind,
  validateRunbookDraft,
  type RunbookDraft,
  type StoredRunbookDraft,
} from './runbook-model';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '@/lib/schemas/runbooks';

const mark = (word: string) => `${HIGHLIGHT_START}${word}${HIGHLIGHT_END}`;

describe('splitSnippet', () => {
  it('flags the highlighted words and keeps everything else as text', () => {
    expect(splitSnippet(`when the ${mark('retry')} budget ${mark('storm')}s`)).toEqual([
      { text: 'when the ', isMatch: false },
      { text: 'retry', isMatch: true },
      { text: ' budget ', isMatch: false },
      { text: 'storm', isMatch: true },
      { text: 's', isMatch: false },
    ]);
  });

  it('keeps markup as literal text: a snippet is never HTML', () => {
    expect(splitSnippet(`<img src=x onerror=alert(1)> ${mark('<b>')}`)).toEqual([
      { text: '<img src=x onerror=alert(1)> ', isMatch: false },
      { text: '<b>', isMatch: true },
    ]);
  });

  it('joins adjacent highlights and drops empty runs', () => {
    expect(splitSnippet(`${mark('retry')}${mark('storm')}`)).toEqual([{ text: 'retrystorm', isMatch: true }]);
    expect(splitSnippet('')).toEqual([]);
    expect(splitSnippet('plain')).toEqual([{ text: 'plain', isMatch: false }]);
  });

  it('survives unbalanced markers (a snippet cut mid-highlight)', () => {
    expect(splitSnippet(`a ${HIGHLIGHT_START}b`)).toEqual([
      { text: 'a ', isMatch: false },
      { text: 'b', isMatch: true },
    ]);
    expect(splitSnippet(`a${HIGHLIGHT_END} b`)).toEqual([{ text: 'a b', isMatch: false }]);
  });
});

describe('parseCommaList / formatCommaList', () => {
  it('trims, drops empty entries and repeats, and keeps the order typed', () => {
    expect(parseCommaList(' database , rollback,,database, ')).toEqual(['database', 'rollback']);
    expect(parseCommaList('')).toEqual([]);
    expect(parseCommaList(' , ')).toEqual([]);
    expect(parseCommaList('payments-db')).toEqual(['payments-db']);
  });

  it('round-trips through the input text', () => {
    expect(formatCommaList(['a', 'b c'])).toBe('a, b c');
    expect(parseCommaList(formatCommaList(['a', 'b c']))).toEqual(['a', 'b c']);
  });
});

describe('slugFromTitle', () => {
  it('makes a lowercase, hyphenated slug', () => {
    expect(slugFromTitle('Retry storm on Checkout')).toBe('retry-storm-on-checkout');
    expect(slugFromTitle('  DB: connection pool exhausted!  ')).toBe('db-connection-pool-exhausted');
    expect(slugFromTitle('p99 > 2s (API)')).toBe('p99-2s-api');
  });

  it('drops accents and anything it cannot spell', () => {
    expect(slugFromTitle('Café déjà vu')).toBe('cafe-deja-vu');
    expect(slugFromTitle('🔥🔥')).toBe('');
    expect(slugFromTitle('')).toBe('');
  });

  it('stays within 80 characters without a trailing hyphen', () => {
    const slug = slugFromTitle(`${'a'.repeat(79)} b`);
    expect(slug).toBe('a'.repeat(79));
    expect(slugFromTitle('word '.repeat(40)).length).toBeLessThanOrEqual(80);
    expect(slugFromTitle('word '.repeat(40))).not.toMatch(/-$/);
  });
});

describe('search filters', () => {
  const params = (qs: string) => new URLSearchParams(qs);

  it('reads the URL, ignoring unknown alert kinds', () => {
    expect(parseRunbookFilters(params('q=retry&tag=db&ruleKind=error_rate&service=checkout'))).toEqual({ q: 'retry', tag: 'db', ruleKind: 'error_rate', service: 'checkout' });
    expect(parseRunbookFilters(params('ruleKind=bogus')).ruleKind).toBe('');
  });

  it('writes a canonical query string without empty values', () => {
    expect(runbookFiltersQueryString({ q: ' retry storm ', tag: '', ruleKind: '', service: 'checkout' })).toBe('q=retry+storm&service=checkout');
    expect(runbookFiltersQueryString({ q: '  ', tag: '', ruleKind: '', service: '' })).toBe('');
    expect(hasRunbookFilters({ q: '  ', tag: '', ruleKind: '', service: '' })).toBe(false);
  });

  it('asks the API for at most the list limit', () => {
    expect(runbooksApiPath({ q: '', tag: '', ruleKind: '', service: '' })).toBe('/api/runbooks?limit=100');
    expect(runbooksApiPath({ q: 'a&b', tag: '', ruleKind: 'queue_lag', service: '' })).toBe('/api/runbooks?q=a%26b&ruleKind=queue_lag&limit=100');
  });
});

const content = { title: 'Retry storm', slug: 'retry-storm', ownerTeam: 'payments', tags: ['db', 'retries'], services: ['checkout'], ruleKinds: ['retry_amplification' as const], body: '## Fix\n' };

describe('the draft', () => {
  it('round-trips content through the form', () => {
    const draft = draftFromContent(content);
    expect(draft.tags).toBe('db, retries');
    expect(contentFromDraft(draft)).toEqual(content);
  });

  it('counts formatting-only edits of the lists as unchanged', () => {
    const draft = draftFromContent(content);
    expect(isSameDraft(draft, { ...draft, tags: 'db,retries, ' })).toBe(true);
    expect(isSameDraft(draft, { ...draft, tags: 'db' })).toBe(false);
    expect(isSameDraft(draft, { ...draft, message: 'typed a summary' })).toBe(false);
  });

  it('starts a new runbook from the prefill, kinds in the canonical order', () => {
    const draft = newRunbookDraft({ services: ['checkout', 'payments'], ruleKinds: ['queue_lag', 'error_rate'] });
    expect(draft.services).toBe('checkout, payments');
    expect(draft.ruleKinds).toEqual(['error_rate', 'queue_lag']);
    expect(draft.body).toBe(NEW_RUNBOOK_BODY);
  });

  it('toggles alert kinds keeping their canonical order', () => {
    expect(toggleRuleKind(['queue_lag'], 'error_rate', true)).toEqual(['error_rate', 'queue_lag']);
    expect(toggleRuleKind(['error_rate', 'queue_lag'], 'error_rate', false)).toEqual(['queue_lag']);
    expect(toggleRuleKind(['error_rate'], 'error_rate', true)).toEqual(['error_rate']);
  });
});

describe('prefillFromQuery', () => {
  it('takes services and known kinds, single, repeated or comma-separated', () => {
    expect(prefillFromQuery({ service: 'checkout', ruleKind: 'error_rate' })).toEqual({ services: ['checkout'], ruleKinds: ['error_rate'] });
    expect(prefillFromQuery({ service: ['a', 'b,a'], ruleKind: 'queue_lag,nonsense,error_rate' })).toEqual({ services: ['a', 'b'], ruleKinds: ['error_rate', 'queue_lag'] });
    expect(prefillFromQuery({})).toEqual({ services: [], ruleKinds: [] });
    expect(prefillFromQuery({ service: ' ' })).toEqual({ services: [], ruleKinds: [] });
  });
});

describe('validateRunbookDraft', () => {
  const valid: RunbookDraft = draftFromContent(content);

  it('accepts a valid draft', () => {
    expect(validateRunbookDraft(valid)).toEqual({});
  });

  it('names each field in its message, one message per field', () => {
    const errors = validateRunbookDraft({ ...valid, title: '   ', slug: 'Retry Storm', ownerTeam: 'x'.repeat(101) });
    expect(errors.title).toBe('Title must not be empty.');
    expect(errors.slug).toBe('Slug must be lowercase letters, digits and single hyphens, such as "retry-storm".');
    expect(errors.ownerTeam).toBe('Owner team must be at most 100 characters.');
    expect(Object.keys(errors).sort()).toEqual(['ownerTeam', 'slug', 'title']);
  });

  it('names the list item that is wrong', () => {
    expect(validateRunbookDraft({ ...valid, tags: `ok, ${'t'.repeat(65)}` }).tags).toBe('Tag 2 must be at most 64 characters.');
    expect(validateRunbookDraft({ ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') }).tags).toBe('Tags must list at most 20 tags.');
  });

  it('never sends a name with a comma: a comma separates, so an older name that has one is split', () => {
    const draft = draftFromContent({ ...content, tags: ['db,replica'], services: ['checkout, eu'] });
    expect(contentFromDraft(draft)).toMatchObject({ tags: ['db', 'replica'], services: ['checkout', 'eu'] });
    expect(validateRunbookDraft(draft)).toEqual({});
  });

  it('checks the body and the change summary too', () => {
    expect(validateRunbookDraft({ ...valid, body: 'x'.repeat(RUNBOOK_BODY_MAX + 1) }).body).toBe(`Markdown must be at most ${RUNBOOK_BODY_MAX} characters.`);
    expect(validateRunbookDraft({ ...valid, message: 'm'.repeat(501) }).message).toBe('Change summary must be at most 500 characters.');
  });
});

describe('formErrorsFromApi', () => {
  it('spreads 400 messages over the fields', () => {
    const errors = formErrorsFromApi(400, 'body.slug: must be at least 2 characters; body.tags.1: must not be empty; body.baseRevision: expected number');
    expect(errors.fields).toEqual({ slug: 'Slug must be at least 2 characters.', tags: 'Tag 2 must not be empty.' });
    expect(errors.general).toBe('body.baseRevision: expected number');
  });

  it('puts a list item refused for its comma at its own list, naming the item', () => {
    expect(formErrorsFromApi(400, 'body.tags.0: must not contain commas')).toEqual({ fields: { tags: 'Tag 1 must not contain commas.' }, general: null });
    expect(formErrorsFromApi(400, 'body.services.3: must not contain commas')).toEqual({ fields: { services: 'Service 4 must not contain commas.' }, general: null });
    const both = formErrorsFromApi(400, 'body.tags.2: must not contain commas; body.services.0: must not contain commas; body.tags.4: must not contain commas');
    expect(both.fields).toEqual({ tags: 'Tag 3 must not contain commas.', services: 'Service 1 must not contain commas.' });
    expect(both.general).toBe('body.tags.4: must not contain commas');
  });

  it('names the whole list when the part is about the list', () => {
    expect(formErrorsFromApi(400, 'body.services: must not repeat services; body.services.1: must not contain commas').fields).toEqual({
      services: 'Services must not repeat services.',
    });
    expect(formErrorsFromApi(400, 'body.ruleKinds.0: must be one of error_rate').fields).toEqual({ ruleKinds: 'Alert kind 1 must be one of error_rate.' });
  });

  it('puts a taken slug at the slug field', () => {
    const errors = formErrorsFromApi(409, 'slug: "retry-storm" is already used by another runbook; choose another');
    expect(errors).toEqual({ fields: { slug: 'Slug "retry-storm" is already used by another runbook; choose another.' }, general: null });
  });

  it('keeps anything else whole', () => {
    expect(formErrorsFromApi(403, 'forbidden: needs edit_runbooks')).toEqual({ fields: {}, general: 'forbidden: needs edit_runbooks' });
    expect(formErrorsFromApi(409, 'Runbook changed since revision 2')).toEqual({ fields: {}, general: 'Runbook changed since revision 2' });
  });
});

describe('the draft kept in the browser', () => {
  const loaded = draftFromContent(content);
  const stored: StoredRunbookDraft = { draft: { ...loaded, body: '## Fix\n\nMore.\n', message: 'wip' }, baseRevision: 4, savedAt: '2026-03-03T10:02:00.000Z' };

  it('is keyed by runbook, or "new"', () => {
    expect(draftStorageKey('rb_123')).toBe('faultline:runbook-draft:rb_123');
    expect(draftStorageKey(null)).toBe('faultline:runbook-draft:new');
  });

  it('round-trips every field, the base revision and the time', () => {
    expect(storedDraftFromJson(storedDraftToJson(stored))).toEqual(stored);
  });

  it('ignores nothing stored, broken JSON and anything of another shape', () => {
    expect(storedDraftFromJson(null)).toBeNull();
    expect(storedDraftFromJson('')).toBeNull();
    expect(storedDraftFromJson('{"draft":')).toBeNull();
    expect(storedDraftFromJson('"a string"')).toBeNull();
    expect(storedDraftFromJson(JSON.stringify({ ...stored, baseRevision: '4' }))).toBeNull();
    expect(storedDraftFromJson(JSON.stringify({ ...stored, baseRevision: -1 }))).toBeNull();
    expect(storedDraftFromJson(JSON.stringify({ ...stored, savedAt: 'yesterday' }))).toBeNull();
    expect(storedDraftFromJson(JSON.stringify({ ...stored, draft: { ...stored.draft, body: 42 } }))).toBeNull();
    const { message: _message, ...withoutMessage } = stored.draft;
    expect(storedDraftFromJson(JSON.stringify({ ...stored, draft: withoutMessage }))).toBeNull();
  });

  it('keeps the draft when an alert kind is unknown, dropping only that kind', () => {
    const json = JSON.stringify({ ...stored, draft: { ...stored.draft, ruleKinds: ['queue_lag', 'retired_kind', 'error_rate'] } });
    expect(storedDraftFromJson(json)?.draft.ruleKinds).toEqual(['error_rate', 'queue_lag']);
  });

  it('differs from what was loaded only when restoring would change the form', () => {
    expect(storedDraftDiffers(stored, loaded)).toBe(true);
    expect(storedDraftDiffers({ ...stored, draft: { ...loaded, tags: 'db,retries' } }, loaded)).toBe(false);
    expect(storedDraftDiffers({ ...stored, draft: { ...loaded, message: 'only a summary' } }, loaded)).toBe(true);
  });

  it('says when it was kept and what it started from', () => {
    expect(describeStoredDraft(stored, '3 Mar 2026, 10:02')).toBe('You have an unsaved draft from 3 Mar 2026, 10:02 (based on revision 4).');
    expect(describeStoredDraft({ ...stored, baseRevision: 0 }, '3 Mar 2026, 10:02')).toBe('You have an unsaved draft from 3 Mar 2026, 10:02.');
  });
});

describe('render failures', () => {
  it('gives the error as a clause', () => {
    expect(renderFailureReason(new RangeError('Maximum call stack size exceeded'))).toBe('Maximum call stack size exceeded');
    expect(renderFailureReason(new Error('Bad input. '))).toBe('Bad input');
    expect(renderFailureReason('thrown text')).toBe('thrown text');
    expect(renderFailureReason(new Error(''))).toBe('unknown error');
  });

  it('says what it means where it is shown', () => {
    expect(describePreviewFailure('Maximum call stack size exceeded')).toBe(
      'The preview cannot render this markdown: Maximum call stack size exceeded. Saving will be refused until it renders.',
    );
    expect(describeBodyRenderFailure('Maximum call stack size exceeded')).toMatch(/^Markdown cannot be rendered: Maximum call stack size exceeded\. /);
    expect(describeRevisionRenderFailure('Maximum call stack size exceeded')).toMatch(/^This revision's markdown cannot be rendered: Maximum call stack size exceeded\. /);
  });
});

describe('conflicts', () => {
  it('counts the blocks a merge left', () => {
    expect(countConflictBlocks('a\n<<<<<<< yours\nb\n=======\nc\n>>>>>>> revision 3\nd\n<<<<<<< yours\ne\n=======\n>>>>>>> revision 3')).toBe(2);
    expect(countConflictBlocks('a\n  <<<<<<< not at the start\n<<<<<<<<< eight')).toBe(0);
    expect(countConflictBlocks('')).toBe(0);
  });

  it('says what is left to resolve and which fields both changed', () => {
    expect(describeMergeStatus(0, [])).toBe('No conflict blocks remain in the body.');
    expect(describeMergeStatus(1, ['body'])).toMatch(/^1 conflict block remains in the body/);
    expect(describeMergeStatus(2, ['title', 'ownerTeam', 'body'])).toMatch(/2 conflict blocks remain.* You both changed the title and owner team; your version is in the form\.$/);
  });
});

describe('diff labels', () => {
  it('writes field values as text', () => {
    expect(describeFieldValue('ruleKinds', ['error_rate', 'queue_lag'])).toBe('Error rate, Queue lag');
    expect(describeFieldValue('tags', [])).toBe('(none)');
    expect(describeFieldValue('ownerTeam', '')).toBe('(empty)');
    expect(describeFieldValue('title', 'Retry storm')).toBe('Retry storm');
  });

  it('heads each hunk with where it starts on both sides', () => {
    expect(hunkHeader({ oldStart: 3, newStart: 5 })).toBe('@@ -3 +5 @@');
  });

  it('summarises a diff', () => {
    const diff: RunbookDiffDto = { fields: [{ field: 'title', from: 'a', to: 'b' }], body: [{ oldStart: 1, newStart: 1, lines: [] }], added: 3, removed: 1 };
    expect(describeDiffSummary(diff)).toBe('1 field changed; body: 3 lines added, 1 removed');
    expect(describeDiffSummary({ fields: [], body: [], added: 0, removed: 0 })).toBe('No differences');
  });
});

describe('newerRunbook', () => {
  it('prefers the higher revision', () => {
    expect(newerRunbook({ revision: 3 }, { revision: 4 })).toEqual({ revision: 4 });
    expect(newerRunbook({ revision: 3 }, { revision: 2 })).toEqual({ revision: 3 });
    expect(newerRunbook({ revision: 3 }, undefined)).toEqual({ revision: 3 });
  });
});
