import type { ActorType, Prisma, Runbook, RunbookRevision } from './generated/client';
import { prisma, type DbClient } from './client';
import { HIGHLIGHT_END, HIGHLIGHT_START, type RunbookContent, type RunbookSection } from '@/lib/schemas/runbooks';

// Storage of runbooks and their revisions. The runbook row mirrors its latest revision; a save
// compare-and-sets `revision`, so two editors racing cannot both win.

export type { Runbook, RunbookRevision };

export interface RevisionAuthor {
  type: ActorType;
  id?: string;
  label: string;
}

/** The body as rendered at save time (lib/runbooks/markdown.ts), stored on the runbook row. */
export interface RenderedBody {
  html: string;
  sections: RunbookSection[];
}

const renderedColumns = (r: RenderedBody) => ({ html: r.html, sections: r.sections as unknown as Prisma.InputJsonValue });

const contentColumns = (c: RunbookContent) => ({
  title: c.title,
  slug: c.slug,
  ownerTeam: c.ownerTeam,
  tags: c.tags,
  services: c.services,
  ruleKinds: c.ruleKinds,
  body: c.body,
});

export function findRunbookById(id: string, db: DbClient = prisma()) {
  return db.runbook.findUnique({ where: { id } });
}

export function findRunbookBySlug(slug: string, db: DbClient = prisma()) {
  return db.runbook.findUnique({ where: { slug } });
}

export function countRunbooks(db: DbClient = prisma()) {
  return db.runbook.count();
}

export function allRunbooks(db: DbClient = prisma()) {
  return db.runbook.findMany({ orderBy: { slug: 'asc' } });
}

/** Creates the runbook and its revision 1. A taken slug raises a unique violation. */
export async function insertRunbook(content: RunbookContent, rendered: RenderedBody, author: RevisionAuthor, message: string, db: DbClient): Promise<Runbook> {
  const now = new Date();
  const runbook = await db.runbook.create({
    data: { ...contentColumns(content), ...renderedColumns(rendered), revision: 1, createdAt: now, updatedAt: now, updatedBy: author.label },
  });
  await insertRevision(runbook.id, 1, content, author, message, null, now, db);
  return runbook;
}

/**
 * Saves `content` as the revision after `baseRevision`, only if `baseRevision` is still the
 * latest. Returns null when it is not (someone saved first): nothing is written then.
 */
export async function updateRunbookIfLatest(
  {
    id,
    baseRevision,
    content,
    rendered,
    author,
    message,
    restoredFrom = null,
  }: { id: string; baseRevision: number; content: RunbookContent; rendered: RenderedBody; author: RevisionAuthor; message: string; restoredFrom?: number | null },
  db: DbClient,
): Promise<Runbook | null> {
  const now = new Date();
  const { count } = await db.runbook.updateMany({
    where: { id, revision: baseRevision },
    data: { ...contentColumns(content), ...renderedColumns(rendered), revision: baseRevision + 1, updatedAt: now, updatedBy: author.label },
  });
  if (count === 0) return null;
  await insertRevision(id, baseRevision + 1, content, author, message, restoredFrom, now, db);
  return db.runbook.findUniqueOrThrow({ where: { id } });
}

function insertRevision(runbookId: string, revision: number, content: RunbookContent, author: RevisionAuthor, message: string, restoredFrom: number | null, at: Date, db: DbClient) {
  return db.runbookRevision.create({
    data: { runbookId, revision, ...contentColumns(content), message, restoredFrom, authorType: author.type, authorId: author.id, authorLabel: author.label, createdAt: at },
  });
}

export function listRevisions(runbookId: string, db: DbClient = prisma()) {
  return db.runbookRevision.findMany({ where: { runbookId }, orderBy: { revision: 'desc' } });
}

export function findRevision(runbookId: string, revision: number, db: DbClient = prisma()) {
  return db.runbookRevision.findUnique({ where: { runbookId_revision: { runbookId, revision } } });
}

/** A search hit: the runbook without its body and rendering (a list shows neither). */
export type RunbookSearchRow = Omit<Runbook, 'body' | 'html' | 'sections'> & { snippet: string | null };

/**
 * Runbooks matching the filters; with `q`, PostgreSQL full-text search over titles, tags and
 * bodies (websearch syntax: quotes, OR, -word), best first, each with a highlighted passage.
 */
export async function searchRunbooks(
  { q, service, ruleKind, tag, limit }: { q?: string; service?: string; ruleKind?: string; tag?: string; limit: number },
  db: DbClient = prisma(),
): Promise<RunbookSearchRow[]> {
  const filters: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (service) filters.push(`services @> ARRAY[${param(service)}]::text[]`);
  if (ruleKind) filters.push(`rule_kinds @> ARRAY[${param(ruleKind)}]::text[]`);
  if (tag) filters.push(`tags @> ARRAY[${param(tag)}]::text[]`);
  let order = 'title ASC';
  let snippet = 'NULL::text';
  if (q) {
    const query = `websearch_to_tsquery('english', ${param(q)})`;
    filters.push(`runbook_search_vector(title, tags, body) @@ ${query}`);
    order = `ts_rank_cd(runbook_search_vector(title, tags, body), ${query}) DESC, title ASC`;
    snippet = `ts_headline('english', body, ${query}, ${param(`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`)})`;
  }
  const where = filters.length ? `WHERE ${filters.join(' AND ')}` : '';
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT id, slug, title, owner_team, tags, services, rule_kinds, revision, created_at, updated_at, updated_by, ${snippet} AS snippet
       FROM runbooks ${where}
      ORDER BY ${order}
      LIMIT ${param(limit)}`,
    ...values,
  );
  return rows.map((r) => ({
    id: r.id as string,
    slug: r.slug as string,
    title: r.title as string,
    ownerTeam: r.owner_team as string,
    tags: r.tags as string[],
    services: r.services as string[],
    ruleKinds: r.rule_kinds as string[],
    revision: r.revision as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    updatedBy: r.updated_by as string,
    snippet: (r.snippet as string | null) ?? null,
  }));
}

/** Runbooks linked to any of these services/dependencies or rule kinds, with their headings (matching needs nothing more). */
export function runbooksLinkedTo({ services, ruleKinds }: { services: string[]; ruleKinds: string[] }, db: DbClient = prisma()) {
  return db.runbook.findMany({
    where: { OR: [{ services: { hasSome: services } }, { ruleKinds: { hasSome: ruleKinds } }] },
    select: { id: true, slug: true, title: true, ownerTeam: true, services: true, ruleKinds: true, sections: true },
  });
}

/** The latest alerts about these services/dependencies or of these rule kinds. */
export async function recentAlertsMatching({ services, ruleKinds, limit }: { services: string[]; ruleKinds: string[]; limit: number }, db: DbClient = prisma()) {
  if (services.length === 0 && ruleKinds.length === 0) return [];
  return db.alert.findMany({
    where: { OR: [{ service: { in: services } }, { target: { in: services } }, { rule: { in: ruleKinds } }] },
    orderBy: { startedAt: 'desc' },
    take: limit,
  });
}

/** The incidents with an alert matching these services/dependencies or rule kinds, latest first. */
export async function recentIncidentsMatching({ services, ruleKinds, limit }: { services: string[]; ruleKinds: string[]; limit: number }, db: DbClient = prisma()) {
  if (services.length === 0 && ruleKinds.length === 0) return [];
  return db.incident.findMany({
    where: { alerts: { some: { OR: [{ service: { in: services } }, { target: { in: services } }, { rule: { in: ruleKinds } }] } } },
    orderBy: { openedAt: 'desc' },
    take: limit,
    select: { id: true, title: true, status: true, severity: true, openedAt: true },
  });
}
