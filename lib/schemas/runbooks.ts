import { z } from 'zod';
import { RULE_KINDS } from './alerts';
import { EntityName, NUL_MESSAGE, withoutNul } from './common';

// Contract of runbooks (/api/runbooks…, `npm run runbooks:export|import`). A runbook is markdown
// linked to the services (or dependencies) and the alert rule kinds it helps with; every save is
// a numbered revision holding the whole runbook, so any two can be compared and any restored.

// About 50 printed pages. Rendering is done once per save, but a body this size still takes about
// a second to render on a busy core, and the editor renders it on every keystroke.
export const RUNBOOK_BODY_MAX = 100_000;
/** Revision numbers are PostgreSQL integers. */
const REVISION_MAX = 2_147_483_647;
const Revision = z.number().int().min(1, 'must be a revision number').max(REVISION_MAX, 'must be a revision number');

export const RunbookSlug = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(80, 'must be at most 80 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens, such as "retry-storm"');

/**
 * Search snippets wrap matched words in these private-use characters: they cannot come from a
 * runbook (refused below), and the page turns them into highlights without parsing any HTML.
 */
export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';

// The highlight markers are refused so a snippet never highlights text that did not match.
const SafeText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(withoutNul, NUL_MESSAGE)
    .refine((s) => !s.includes(HIGHLIGHT_START) && !s.includes(HIGHLIGHT_END), 'must not contain the private-use characters U+E000 or U+E001');
// Tags and linked names are edited as comma-separated lists, so a comma inside one could not survive an edit.
const NoComma = (s: string) => !s.includes(',');
const Label = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').refine(withoutNul, NUL_MESSAGE).refine(NoComma, 'must not contain commas');

/** Lists are kept as given (order is the author's) but without repeats. */
function uniqueList<T extends z.ZodType<string>>(item: T, max: number, what: string) {
  return z
    .array(item)
    .max(max, `must list at most ${max} ${what}`)
    .refine((list) => new Set(list).size === list.length, { message: `must not repeat ${what}` });
}

/** Everything a revision records about a runbook: what an editor saves and `runbooks:import` reads. */
export const RunbookContent = z.strictObject({
  title: SafeText(200).pipe(z.string().trim().min(1, 'must not be empty')),
  slug: RunbookSlug,
  ownerTeam: SafeText(100).pipe(z.string().trim()),
  tags: uniqueList(Label, 20, 'tags'),
  services: uniqueList(EntityName.refine(NoComma, 'must not contain commas'), 100, 'services'),
  ruleKinds: uniqueList(z.enum(RULE_KINDS, { message: `must be one of ${RULE_KINDS.join(', ')}` }), RULE_KINDS.length, 'rule kinds'),
  body: SafeText(RUNBOOK_BODY_MAX),
});
export type RunbookContent = z.infer<typeof RunbookContent>;

const Message = SafeText(500).pipe(z.string().trim());

/** POST /api/runbooks. */
export const CreateRunbookInput = RunbookContent.extend({ message: Message.optional() });
export type CreateRunbookInput = z.infer<typeof CreateRunbookInput>;

/**
 * PUT /api/runbooks/:id. `baseRevision` is the revision the editor started from: when it is no
 * longer the latest the save is refused with 409 and a conflict to merge, never applied.
 */
export const UpdateRunbookInput = RunbookContent.extend({
  baseRevision: Revision,
  message: Message.optional(),
});
export type UpdateRunbookInput = z.infer<typeof UpdateRunbookInput>;

/** POST /api/runbooks/:id/revisions/:revision/restore. */
export const RestoreRunbookInput = z.strictObject({ baseRevision: Revision, message: Message.optional() });
export type RestoreRunbookInput = z.infer<typeof RestoreRunbookInput>;

/** GET /api/runbooks: full-text search and filters; all optional. */
export const RunbookListQuery = z.object({
  q: SafeText(200).pipe(z.string().trim()).optional(),
  service: EntityName.optional(),
  ruleKind: z.enum(RULE_KINDS).optional(),
  tag: Label.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type RunbookListQuery = z.infer<typeof RunbookListQuery>;

export const RunbookDiffQuery = z.object({ from: z.coerce.number().pipe(Revision), to: z.coerce.number().pipe(Revision) });

/** A heading of the rendered body: `id` is its anchor (`/runbooks/<slug>#<id>`). */
export const RunbookSection = z.object({ depth: z.number().int(), id: z.string(), text: z.string() });
export type RunbookSection = z.infer<typeof RunbookSection>;

export const RunbookSummaryDto = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  ownerTeam: z.string(),
  tags: z.array(z.string()),
  services: z.array(z.string()),
  ruleKinds: z.array(z.enum(RULE_KINDS)),
  revision: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /**
   * For searches: a passage around the matches. Matched words are wrapped in U+E000 … U+E001
   * (private-use characters that cannot come from the text) for the page to highlight as text.
   */
  snippet: z.string().optional(),
});
export type RunbookSummaryDto = z.infer<typeof RunbookSummaryDto>;

export const RunbookDto = RunbookSummaryDto.extend({
  body: z.string(),
  /** The body rendered as sanitised HTML (lib/runbooks/markdown.ts). */
  html: z.string(),
  sections: z.array(RunbookSection),
  createdAt: z.string(),
});
export type RunbookDto = z.infer<typeof RunbookDto>;

export const RunbookRevisionSummaryDto = z.object({
  revision: z.number().int(),
  at: z.string(),
  author: z.string(),
  message: z.string(),
  /** Set when this revision restored an earlier one. */
  restoredFrom: z.number().int().nullable(),
});
export type RunbookRevisionSummaryDto = z.infer<typeof RunbookRevisionSummaryDto>;

/**
 * A runbook's content as the API returns it: the same shape as RunbookContent without the input
 * limits, so what was stored (or a merge that grew past the body limit) always parses.
 */
export const RunbookContentDto = z.object({
  title: z.string(),
  slug: z.string(),
  ownerTeam: z.string(),
  tags: z.array(z.string()),
  services: z.array(z.string()),
  ruleKinds: z.array(z.enum(RULE_KINDS)),
  body: z.string(),
});

export const RunbookRevisionDto = RunbookRevisionSummaryDto.extend({ content: RunbookContentDto });
export type RunbookRevisionDto = z.infer<typeof RunbookRevisionDto>;

/** A line-level diff of two bodies: each line once, marked as kept, removed or added. */
export const DiffLine = z.object({
  type: z.enum(['context', 'removed', 'added']),
  text: z.string(),
  /** Line numbers in the old and the new text (absent on the side the line is not in). */
  oldLine: z.number().int().optional(),
  newLine: z.number().int().optional(),
});
export type DiffLine = z.infer<typeof DiffLine>;

/** Runs of changed lines with a little context, as `diff -u` shows them. */
export const DiffHunk = z.object({
  oldStart: z.number().int(),
  newStart: z.number().int(),
  lines: z.array(DiffLine),
});
export type DiffHunk = z.infer<typeof DiffHunk>;

/** A field other than the body that differs: values as JSON-able strings or lists. */
export const FieldChange = z.object({
  field: z.enum(['title', 'slug', 'ownerTeam', 'tags', 'services', 'ruleKinds']),
  from: z.union([z.string(), z.array(z.string())]),
  to: z.union([z.string(), z.array(z.string())]),
});
export type FieldChange = z.infer<typeof FieldChange>;

export const RunbookDiffDto = z.object({
  fields: z.array(FieldChange),
  body: z.array(DiffHunk),
  /** Lines added and removed in the body. */
  added: z.number().int(),
  removed: z.number().int(),
});
export type RunbookDiffDto = z.infer<typeof RunbookDiffDto>;

export const RunbookCompareDto = RunbookDiffDto.extend({ from: RunbookRevisionSummaryDto, to: RunbookRevisionSummaryDto });
export type RunbookCompareDto = z.infer<typeof RunbookCompareDto>;

/**
 * The 409 answer to a stale save (in `error.conflict`): what changed since the editor's base
 * (`theirs`), what the editor changed (`yours`), and a three-way merge of the bodies, with
 * git-style conflict markers where both changed the same lines.
 */
export const RunbookConflictDto = z.object({
  baseRevision: z.number().int(),
  current: RunbookRevisionDto,
  theirs: RunbookDiffDto,
  yours: RunbookDiffDto,
  /**
   * Your save merged onto the latest revision: each field takes whichever side changed it (yours
   * when both did: listed in `bothChanged`; lists merge as sets instead); the body is merged
   * line by line.
   */
  merged: z.object({ content: RunbookContentDto, conflicts: z.number().int(), bothChanged: z.array(z.string()) }),
});
export type RunbookConflictDto = z.infer<typeof RunbookConflictDto>;

/** A runbook shown beside an alert or incident, best match first, with where to jump in it. */
export const RunbookMatchDto = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  ownerTeam: z.string(),
  score: z.number(),
  /** Why it matched, for the reader: "linked to checkout", "covers Retry amplification". */
  reasons: z.array(z.string()),
  /** The section to open at, when one matches the alert better than the top of the page. */
  section: RunbookSection.nullable(),
});
export type RunbookMatchDto = z.infer<typeof RunbookMatchDto>;

/** GET /api/runbooks/:id/activity: the recent alerts and incidents this runbook matched. */
export const RunbookActivityDto = z.object({
  alerts: z.array(
    z.object({
      id: z.string(),
      rule: z.enum(RULE_KINDS),
      service: z.string(),
      target: z.string().nullable(),
      severity: z.string(),
      state: z.string(),
      summary: z.string(),
      startedAt: z.string(),
    }),
  ),
  incidents: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), severity: z.string(), openedAt: z.string() })),
});
export type RunbookActivityDto = z.infer<typeof RunbookActivityDto>;

/** Path segments of /api/runbooks/:id/revisions/:revision. */
export const RevisionParams = z.object({ id: z.uuid({ message: 'must be a UUID' }), revision: z.string().regex(/^[1-9][0-9]{0,8}$/, 'must be a revision number') });
