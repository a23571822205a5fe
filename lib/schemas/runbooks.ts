import { z } from 'zod';
import { RULE_KINDS } from './alerts';
import { EntityName } from './common';

// Contract of runbooks (/api/runbooks…, `npm run runbooks:export|import`). A runbook is markdown
// linked to the services (or dependencies) and the alert rule kinds it helps with; every save is
// a numbered revision holding the whole runbook, so any two can be compared and any restored.

export const RUNBOOK_BODY_MAX = 200_000;

export const RunbookSlug = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(80, 'must be at most 80 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens, such as "retry-storm"');

const Label = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

/** Lists are kept as given (order is the author's) but without repeats. */
function uniqueList<T extends z.ZodType<string>>(item: T, max: number, what: string) {
  return z
    .array(item)
    .max(max, `must list at most ${max} ${what}`)
    .refine((list) => new Set(list).size === list.length, { message: `must not repeat ${what}` });
}

/** Everything a revision records about a runbook: what an editor saves and `runbooks:import` reads. */
export const RunbookContent = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  slug: RunbookSlug,
  ownerTeam: z.string().trim().max(100, 'must be at most 100 characters'),
  tags: uniqueList(Label, 20, 'tags'),
  services: uniqueList(EntityName, 100, 'services'),
  ruleKinds: uniqueList(z.enum(RULE_KINDS, { message: `must be one of ${RULE_KINDS.join(', ')}` }), RULE_KINDS.length, 'rule kinds'),
  body: z.string().max(RUNBOOK_BODY_MAX, `must be at most ${RUNBOOK_BODY_MAX} characters`),
});
export type RunbookContent = z.infer<typeof RunbookContent>;

const Message = z.string().trim().max(500, 'must be at most 500 characters');

/** POST /api/runbooks. */
export const CreateRunbookInput = RunbookContent.extend({ message: Message.optional() });
export type CreateRunbookInput = z.infer<typeof CreateRunbookInput>;

/**
 * PUT /api/runbooks/:id. `baseRevision` is the revision the editor started from: when it is no
 * longer the latest the save is refused with 409 and a conflict to merge, never applied.
 */
export const UpdateRunbookInput = RunbookContent.extend({
  baseRevision: z.number().int().min(1),
  message: Message.optional(),
});
export type UpdateRunbookInput = z.infer<typeof UpdateRunbookInput>;

/** POST /api/runbooks/:id/revisions/:revision/restore. */
export const RestoreRunbookInput = z.strictObject({ baseRevision: z.number().int().min(1), message: Message.optional() });
export type RestoreRunbookInput = z.infer<typeof RestoreRunbookInput>;

/** GET /api/runbooks: full-text search and filters; all optional. */
export const RunbookListQuery = z.object({
  q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  service: EntityName.optional(),
  ruleKind: z.enum(RULE_KINDS).optional(),
  tag: Label.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type RunbookListQuery = z.infer<typeof RunbookListQuery>;

export const RunbookDiffQuery = z.object({
  from: z.coerce.number().int().min(1, 'must be a revision number'),
  to: z.coerce.number().int().min(1, 'must be a revision number'),
});

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

export const RunbookRevisionDto = RunbookRevisionSummaryDto.extend({ content: RunbookContent });
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
   * when both did: listed in `bothChanged`); the body is merged line by line.
   */
  merged: z.object({ content: RunbookContent, conflicts: z.number().int(), bothChanged: z.array(z.string()) }),
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
