import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import { describeActor, type Actor } from '@/lib/auth/permissions';
import { inTransaction, isUniqueViolation } from '@/lib/db/client';
import { findAlertRow } from '@/lib/db/alerts';
import { findIncidentWithAlerts } from '@/lib/db/incidents';
import {
  findRevision,
  findRunbookById,
  findRunbookBySlug,
  insertRunbook,
  listRevisions,
  recentAlertsMatching,
  recentIncidentsMatching,
  runbooksLinkedTo,
  searchRunbooks,
  updateRunbookIfLatest,
  type RenderedBody,
  type RevisionAuthor,
  type Runbook,
  type RunbookRevision,
} from '@/lib/db/runbooks';
import { AppError, badRequest, conflict, notFound } from '@/lib/http/errors';
import { RULE_KINDS, type RuleKind } from '@/lib/schemas/alerts';
import { IncidentAnalysis } from '@/lib/schemas/incidents';
import {
  RunbookSection,
  type CreateRunbookInput,
  type RestoreRunbookInput,
  type RunbookActivityDto,
  type RunbookCompareDto,
  type RunbookConflictDto,
  type RunbookContent,
  type RunbookDto,
  type RunbookListQuery,
  type RunbookMatchDto,
  type RunbookRevisionDto,
  type RunbookRevisionSummaryDto,
  type RunbookSummaryDto,
  type UpdateRunbookInput,
} from '@/lib/schemas/runbooks';
import { diffRunbooks, mergeBodies } from './diff';
import { renderRunbookMarkdown } from './markdown';
import { rankRunbooks, type MatchContext } from './match';

// Runbooks: create, edit without lost updates, history, compare, restore, search, and the
// runbooks that match an alert or incident. Everyone who can read sees them; editors and admins
// change them, and every change is a revision and an audit entry in the same transaction.

const isRuleKind = (k: string): k is RuleKind => (RULE_KINDS as readonly string[]).includes(k);

export function contentOf(row: Runbook | RunbookRevision): RunbookContent {
  return { title: row.title, slug: row.slug, ownerTeam: row.ownerTeam, tags: row.tags, services: row.services, ruleKinds: row.ruleKinds.filter(isRuleKind), body: row.body };
}

type SummaryRow = Pick<Runbook, 'id' | 'slug' | 'title' | 'ownerTeam' | 'tags' | 'services' | 'ruleKinds' | 'revision' | 'updatedAt' | 'updatedBy'>;

function toSummaryDto(row: SummaryRow, snippet?: string | null): RunbookSummaryDto {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    ownerTeam: row.ownerTeam,
    tags: row.tags,
    services: row.services,
    ruleKinds: row.ruleKinds.filter(isRuleKind),
    revision: row.revision,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
    ...(snippet ? { snippet } : {}),
  };
}

/**
 * Renders a body for storage. Markdown nested thousands of levels deep overflows the renderer's
 * stack: that is the author's input to fix, so it is a 400 naming the body, not a 500.
 */
export function renderForSave(body: string): RenderedBody {
  try {
    return renderRunbookMarkdown(body);
  } catch (err) {
    throw badRequest(`body: cannot be rendered (${(err as Error).message}); reduce the nesting of quotes or lists`);
  }
}

const StoredSections = RunbookSection.array();

/** The headings stored at save time (JSON in the row). */
function storedSections(sections: Runbook['sections']): RunbookSection[] {
  const parsed = StoredSections.safeParse(sections);
  return parsed.success ? parsed.data : [];
}

function toRunbookDto(row: Runbook): RunbookDto {
  return { ...toSummaryDto(row), body: row.body, html: row.html, sections: storedSections(row.sections), createdAt: row.createdAt.toISOString() };
}

function toRevisionSummaryDto(row: RunbookRevision): RunbookRevisionSummaryDto {
  return { revision: row.revision, at: row.createdAt.toISOString(), author: row.authorLabel, message: row.message, restoredFrom: row.restoredFrom };
}

const toRevisionDto = (row: RunbookRevision): RunbookRevisionDto => ({ ...toRevisionSummaryDto(row), content: contentOf(row) });

export function authorOf(actor: Actor): RevisionAuthor {
  return { type: actor.kind, id: actor.kind === 'system' ? undefined : actor.id, label: describeActor(actor) };
}

/** Whether a save would change nothing (field order is fixed by contentOf and the schemas). */
export const sameContent = (a: RunbookContent, b: RunbookContent) => JSON.stringify(a) === JSON.stringify(b);

async function runbookOrThrow(id: string): Promise<Runbook> {
  const row = await findRunbookById(id);
  if (!row) throw notFound(`No runbook with id ${id}`);
  return row;
}

async function revisionOrThrow(runbookId: string, revision: number): Promise<RunbookRevision> {
  const row = await findRevision(runbookId, revision);
  if (!row) throw notFound(`Runbook ${runbookId} has no revision ${revision}`);
  return row;
}

function slugTaken(slug: string): AppError {
  return conflict(`slug: "${slug}" is already used by another runbook; choose another`);
}

export async function listRunbooks({ actor, query }: { actor: Actor; query: RunbookListQuery }): Promise<RunbookSummaryDto[]> {
  requirePermission(actor, 'read');
  const rows = await searchRunbooks(query);
  return rows.map((row) => toSummaryDto(row, row.snippet));
}

export async function getRunbook({ actor, id }: { actor: Actor; id: string }): Promise<RunbookDto> {
  requirePermission(actor, 'read');
  return toRunbookDto(await runbookOrThrow(id));
}

/** For pages addressed by slug; null when there is none. */
export async function getRunbookBySlug({ actor, slug }: { actor: Actor; slug: string }): Promise<RunbookDto | null> {
  requirePermission(actor, 'read');
  const row = await findRunbookBySlug(slug);
  return row ? toRunbookDto(row) : null;
}

export async function createRunbook({ actor, input, ip }: { actor: Actor; input: CreateRunbookInput; ip?: string }): Promise<RunbookDto> {
  requirePermission(actor, 'edit_runbooks');
  const { message, ...content } = input;
  const rendered = renderForSave(content.body);
  try {
    const row = await inTransaction(async (tx) => {
      const created = await insertRunbook(content, rendered, authorOf(actor), message || 'Created', tx);
      await audit({ actor, action: 'runbook.create', target: { type: 'runbook', id: created.id }, details: { slug: created.slug, revision: 1 }, ip }, tx);
      return created;
    });
    return toRunbookDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken(content.slug);
    throw err;
  }
}

/**
 * Everything an editor needs when their save lost a race: what others changed since their base,
 * what they changed, and their changes merged onto the latest revision.
 */
export function describeConflict(base: RunbookRevision, current: RunbookRevision, yours: RunbookContent): RunbookConflictDto {
  const baseContent = contentOf(base);
  const theirs = contentOf(current);
  const bothChanged: string[] = [];
  const changed = <K extends keyof RunbookContent>(field: K) => {
    const byYou = JSON.stringify(yours[field]) !== JSON.stringify(baseContent[field]);
    const byThem = JSON.stringify(theirs[field]) !== JSON.stringify(baseContent[field]);
    return { byYou, byThem, both: byYou && byThem && JSON.stringify(yours[field]) !== JSON.stringify(theirs[field]) };
  };
  const pick = <K extends 'title' | 'slug' | 'ownerTeam'>(field: K): RunbookContent[K] => {
    const { byYou, both } = changed(field);
    if (both) bothChanged.push(field);
    return byYou ? yours[field] : theirs[field];
  };
  // Lists merge as sets: your list, plus what they added, minus what either of you removed.
  const pickList = <K extends 'tags' | 'services' | 'ruleKinds'>(field: K): RunbookContent[K] => {
    const { byYou, both } = changed(field);
    if (!both) return byYou ? yours[field] : theirs[field];
    const base = new Set<string>(baseContent[field]);
    const mine = new Set<string>(yours[field]);
    const added = (theirs[field] as string[]).filter((v) => !base.has(v) && !mine.has(v));
    const removedByThem = new Set([...base].filter((v) => !(theirs[field] as string[]).includes(v)));
    return [...(yours[field] as string[]).filter((v) => !removedByThem.has(v)), ...added] as RunbookContent[K];
  };
  const body = mergeBodies(baseContent.body, yours.body, theirs.body, `revision ${current.revision}`);
  if (body.conflicts > 0 && !bothChanged.includes('body')) bothChanged.push('body');
  return {
    baseRevision: base.revision,
    current: toRevisionDto(current),
    theirs: diffRunbooks(baseContent, theirs),
    yours: diffRunbooks(baseContent, yours),
    merged: {
      content: {
        title: pick('title'),
        slug: pick('slug'),
        ownerTeam: pick('ownerTeam'),
        tags: pickList('tags'),
        services: pickList('services'),
        ruleKinds: pickList('ruleKinds'),
        body: body.body,
      },
      conflicts: body.conflicts,
      bothChanged,
    },
  };
}

function assertKnownBase(baseRevision: number, current: Runbook): void {
  if (baseRevision > current.revision) throw badRequest(`body.baseRevision: revision ${baseRevision} does not exist (the latest is ${current.revision})`);
}

async function staleSaveError(id: string, baseRevision: number, yours: RunbookContent): Promise<AppError> {
  const current = await runbookOrThrow(id);
  const [base, latest] = await Promise.all([revisionOrThrow(id, baseRevision), revisionOrThrow(id, current.revision)]);
  const details = describeConflict(base, latest, yours);
  return new AppError(
    409,
    'conflict',
    `Runbook changed since revision ${baseRevision}: revision ${current.revision} was saved by ${latest.authorLabel}. Merge your changes with theirs and save again.`,
    {},
    { conflict: details },
  );
}

/**
 * Saves a new revision on top of `baseRevision`. A stale base gets 409 with the conflict to merge
 * (nothing is written); a save identical to the latest revision writes nothing either.
 */
export async function updateRunbook({ actor, id, input, ip }: { actor: Actor; id: string; input: UpdateRunbookInput; ip?: string }): Promise<RunbookDto> {
  requirePermission(actor, 'edit_runbooks');
  const { baseRevision, message, ...content } = input;
  const current = await runbookOrThrow(id);
  if (sameContent(contentOf(current), content)) return toRunbookDto(current);
  assertKnownBase(baseRevision, current);
  const rendered = renderForSave(content.body);
  let saved: Runbook | null;
  try {
    saved = await inTransaction(async (tx) => {
      const row = await updateRunbookIfLatest({ id, baseRevision, content, rendered, author: authorOf(actor), message: message || 'Edited' }, tx);
      if (row) await audit({ actor, action: 'runbook.update', target: { type: 'runbook', id }, details: { slug: row.slug, revision: row.revision, message: message ?? null }, ip }, tx);
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken(content.slug);
    throw err;
  }
  if (!saved) throw await staleSaveError(id, baseRevision, content);
  return toRunbookDto(saved);
}

/** Brings back an earlier revision's content as a new revision (history is never rewritten). */
export async function restoreRunbookRevision({ actor, id, revision, input, ip }: { actor: Actor; id: string; revision: number; input: RestoreRunbookInput; ip?: string }): Promise<RunbookDto> {
  requirePermission(actor, 'edit_runbooks');
  const old = await revisionOrThrow(id, revision);
  assertKnownBase(input.baseRevision, await runbookOrThrow(id));
  const content = contentOf(old);
  const rendered = renderForSave(content.body);
  let saved: Runbook | null;
  try {
    saved = await inTransaction(async (tx) => {
      const row = await updateRunbookIfLatest(
        { id, baseRevision: input.baseRevision, content, rendered, author: authorOf(actor), message: input.message || `Restored revision ${revision}`, restoredFrom: revision },
        tx,
      );
      if (row) await audit({ actor, action: 'runbook.restore', target: { type: 'runbook', id }, details: { slug: row.slug, revision: row.revision, restoredFrom: revision }, ip }, tx);
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken(content.slug);
    throw err;
  }
  if (!saved) throw await staleSaveError(id, input.baseRevision, content);
  return toRunbookDto(saved);
}

export async function listRunbookRevisions({ actor, id }: { actor: Actor; id: string }): Promise<RunbookRevisionSummaryDto[]> {
  requirePermission(actor, 'read');
  await runbookOrThrow(id);
  return (await listRevisions(id)).map(toRevisionSummaryDto);
}

export async function getRunbookRevision({ actor, id, revision }: { actor: Actor; id: string; revision: number }): Promise<RunbookRevisionDto> {
  requirePermission(actor, 'read');
  return toRevisionDto(await revisionOrThrow(id, revision));
}

/** The differences between any two revisions (older or newer in either order). */
export async function compareRunbookRevisions({ actor, id, from, to }: { actor: Actor; id: string; from: number; to: number }): Promise<RunbookCompareDto> {
  requirePermission(actor, 'read');
  const [a, b] = await Promise.all([revisionOrThrow(id, from), revisionOrThrow(id, to)]);
  return { from: toRevisionSummaryDto(a), to: toRevisionSummaryDto(b), ...diffRunbooks(contentOf(a), contentOf(b)) };
}

const ACTIVITY_LIMIT = 10;

/** The recent alerts and incidents this runbook would be shown on. */
export async function runbookActivity({ actor, id }: { actor: Actor; id: string }): Promise<RunbookActivityDto> {
  requirePermission(actor, 'read');
  const row = await runbookOrThrow(id);
  const links = { services: row.services, ruleKinds: row.ruleKinds, limit: ACTIVITY_LIMIT };
  const [alerts, incidents] = await Promise.all([recentAlertsMatching(links), recentIncidentsMatching(links)]);
  return {
    alerts: alerts
      .filter((a) => isRuleKind(a.rule))
      .map((a) => ({ id: a.id, rule: a.rule as RuleKind, service: a.service, target: a.target, severity: a.severity, state: a.state, summary: a.summary, startedAt: a.startedAt.toISOString() })),
    incidents: incidents.map((i) => ({ id: i.id, title: i.title, status: i.status, severity: i.severity, openedAt: i.openedAt.toISOString() })),
  };
}

async function matchingRunbooks(context: MatchContext): Promise<RunbookMatchDto[]> {
  const services = [...context.primaryServices, ...context.otherServices];
  const ruleKinds = [...context.primaryKinds, ...context.otherKinds];
  const rows = await runbooksLinkedTo({ services, ruleKinds });
  return rankRunbooks(
    rows.map((row) => ({ ...row, sections: storedSections(row.sections) })),
    context,
  );
}

/** Runbooks for an alert: linked to its service or dependency, or covering its rule kind. */
export async function runbooksForAlert({ actor, alertId }: { actor: Actor; alertId: string }): Promise<RunbookMatchDto[]> {
  requirePermission(actor, 'read');
  const alert = await findAlertRow(alertId);
  if (!alert) throw notFound(`No alert with id ${alertId}`);
  return matchingRunbooks({
    primaryServices: [alert.service, ...(alert.target ? [alert.target] : [])],
    otherServices: [],
    primaryKinds: isRuleKind(alert.rule) ? [alert.rule] : [],
    otherKinds: [],
  });
}

/**
 * Runbooks for an incident: the root cause's services and the kinds of the alerts raised on it
 * come first; the other alerted services and kinds still match, below them.
 */
export async function runbooksForIncident({ actor, incidentId }: { actor: Actor; incidentId: string }): Promise<RunbookMatchDto[]> {
  requirePermission(actor, 'read');
  const incident = await findIncidentWithAlerts(incidentId);
  if (!incident) throw notFound(`No incident with id ${incidentId}`);
  const analysis = IncidentAnalysis.safeParse(incident.analysis);
  const root = analysis.success ? analysis.data.rootCause : null;
  const primaryServices = root ? [root.service, root.source, root.target].filter((s): s is string => !!s) : [];
  const atRoot = (a: { service: string; target: string | null }) => primaryServices.includes(a.service) || (a.target !== null && primaryServices.includes(a.target));
  const rootAlerts = incident.alerts.filter(atRoot);
  const primaryKinds = [...new Set(rootAlerts.map((a) => a.rule).filter(isRuleKind))];
  const otherKinds = [...new Set(incident.alerts.map((a) => a.rule).filter(isRuleKind))].filter((k) => !primaryKinds.includes(k));
  const otherServices = [...new Set(incident.alerts.flatMap((a) => [a.service, ...(a.target ? [a.target] : [])]))].filter((s) => !primaryServices.includes(s));
  return matchingRunbooks({ primaryServices, otherServices, primaryKinds, otherKinds });
}
