import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { audit } from '@/lib/auth/audit';
import { requirePermission } from '@/lib/auth/guard';
import type { Actor } from '@/lib/auth/permissions';
import { inTransaction, isUniqueViolation } from '@/lib/db/client';
import { allRunbooks, countRunbooks, findRunbookBySlug, insertRunbook, updateRunbookIfLatest, type RenderedBody } from '@/lib/db/runbooks';
import { AppError } from '@/lib/http/errors';
import type { RunbookContent } from '@/lib/schemas/runbooks';
import { parseRunbookFile, RunbookFileError, runbookFileName, serializeRunbookFile } from './files';
import { authorOf, contentOf, renderForSave, sameContent } from './runbooks';

// `npm run runbooks:export|import` and the starter runbooks: a directory of <slug>.md files in
// and out of the database. Imports are all or nothing: every file is read and validated before
// anything is written, and the writes share one transaction.

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Runbooks in the database with no file in the directory (left as they are). */
  notInDirectory: string[];
}

export class RunbookImportError extends Error {
  constructor(readonly problems: string[]) {
    super(`No runbooks were imported; fix these first:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RunbookImportError';
  }
}

// Prisma's default of 5 s is short for a directory of hundreds of runbooks, each rendered and written.
const IMPORT_TIMEOUT_MS = 120_000;

interface ImportedFile {
  content: RunbookContent;
  rendered: RenderedBody;
}

async function readRunbookDirectory(dir: string): Promise<ImportedFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.md')).sort();
  } catch (err) {
    throw new RunbookImportError([`${dir}: cannot read the directory (${(err as Error).message})`]);
  }
  if (names.length === 0) throw new RunbookImportError([`${dir}: no .md files`]);
  const problems: string[] = [];
  const contents: ImportedFile[] = [];
  for (const name of names) {
    try {
      const content = parseRunbookFile(await readFile(join(dir, name), 'utf8'), name);
      contents.push({ content, rendered: renderForSave(content.body) });
    } catch (err) {
      if (err instanceof RunbookFileError) problems.push(err.message);
      else if (err instanceof AppError) problems.push(`${name}: ${err.message}`);
      else throw err;
    }
  }
  if (problems.length > 0) throw new RunbookImportError(problems);
  return contents;
}

/** Creates runbooks that are new, saves a revision of those that changed, leaves the rest. */
export async function importRunbookDirectory({ actor, dir, message }: { actor: Actor; dir: string; message?: string }): Promise<ImportReport> {
  requirePermission(actor, 'edit_runbooks');
  const contents = await readRunbookDirectory(resolve(dir));
  const author = authorOf(actor);
  const report: ImportReport = { created: [], updated: [], unchanged: [], notInDirectory: [] };
  await inTransaction(async (tx) => {
    for (const { content, rendered } of contents) {
      const existing = await findRunbookBySlug(content.slug, tx);
      const why = message ?? `Imported from ${runbookFileName(content.slug)}`;
      if (!existing) {
        const created = await insertRunbook(content, rendered, author, why, tx);
        await audit({ actor, action: 'runbook.import', target: { type: 'runbook', id: created.id }, details: { slug: content.slug, revision: 1 } }, tx);
        report.created.push(content.slug);
      } else if (sameContent(contentOf(existing), content)) {
        report.unchanged.push(content.slug);
      } else {
        const saved = await updateRunbookIfLatest({ id: existing.id, baseRevision: existing.revision, content, rendered, author, message: why }, tx);
        if (!saved) throw new RunbookImportError([`${runbookFileName(content.slug)}: the runbook was saved by someone else during the import; run it again`]);
        await audit({ actor, action: 'runbook.import', target: { type: 'runbook', id: existing.id }, details: { slug: content.slug, revision: saved.revision } }, tx);
        report.updated.push(content.slug);
      }
    }
    const inFiles = new Set(contents.map((c) => c.content.slug));
    report.notInDirectory = (await allRunbooks(tx)).map((r) => r.slug).filter((slug) => !inFiles.has(slug));
  }, { timeoutMs: IMPORT_TIMEOUT_MS });
  return report;
}

export interface ExportReport {
  written: string[];
  /** .md files in the directory that are no runbook's (a renamed or deleted one): removed with `prune`. */
  stale: string[];
  pruned: boolean;
}

/**
 * Writes every runbook's latest revision as <slug>.md into `dir` (created if missing). Other .md
 * files there would come back as runbooks on the next import, so they are reported, and removed
 * when `prune` is set.
 */
export async function exportRunbookDirectory({ actor, dir, prune = false }: { actor: Actor; dir: string; prune?: boolean }): Promise<ExportReport> {
  requirePermission(actor, 'read');
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const written: string[] = [];
  for (const row of await allRunbooks()) {
    const name = runbookFileName(row.slug);
    await writeFile(join(target, name), serializeRunbookFile(contentOf(row)), 'utf8');
    written.push(name);
  }
  const current = new Set(written);
  const stale = (await readdir(target)).filter((n) => n.toLowerCase().endsWith('.md') && !current.has(n)).sort();
  if (prune) for (const name of stale) await unlink(join(target, name));
  return { written, stale, pruned: prune };
}

export const STARTER_RUNBOOKS_DIR = join(process.cwd(), 'prisma', 'seed', 'runbooks');

/**
 * On first start (no runbooks at all) loads the starter runbooks, editable like any other.
 * Returns how many were added; 0 once any runbook exists, so edits and deletions stay as made.
 */
export async function seedStarterRunbooks(dir = STARTER_RUNBOOKS_DIR): Promise<number> {
  if ((await countRunbooks()) > 0) return 0;
  const actor: Actor = { kind: 'system', name: 'starter runbooks' };
  try {
    const report = await importRunbookDirectory({ actor, dir, message: 'Starter runbook shipped with Faultline' });
    return report.created.length;
  } catch (err) {
    // Another process seeding at the same moment won the race: its runbooks are the same ones.
    if (isUniqueViolation(err)) return 0;
    throw err;
  }
}
