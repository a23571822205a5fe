import { structuredPatch } from 'diff';
import { diff3Merge } from 'node-diff3';
import type { DiffHunk, DiffLine, FieldChange, RunbookContent, RunbookDiffDto } from '@/lib/schemas/runbooks';

// Comparing and merging runbook revisions: line diffs of bodies (jsdiff), changes of the other
// fields, and a three-way merge (diff3) for a save that raced another.

const CONTEXT_LINES = 3;
const LIST_FIELDS = ['tags', 'services', 'ruleKinds'] as const;
const TEXT_FIELDS = ['title', 'slug', 'ownerTeam'] as const;

/** The body's changes as `diff -u` hunks with line numbers on both sides. */
export function diffBodies(before: string, after: string): { hunks: DiffHunk[]; added: number; removed: number } {
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context: CONTEXT_LINES });
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((hunk): DiffHunk => {
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    const lines: DiffLine[] = [];
    for (const raw of hunk.lines) {
      const text = raw.slice(1);
      if (raw.startsWith('\\')) continue; // "\ No newline at end of file"
      if (raw.startsWith('+')) {
        lines.push({ type: 'added', text, newLine: newLine++ });
        added++;
      } else if (raw.startsWith('-')) {
        lines.push({ type: 'removed', text, oldLine: oldLine++ });
        removed++;
      } else {
        lines.push({ type: 'context', text, oldLine: oldLine++, newLine: newLine++ });
      }
    }
    return { oldStart: hunk.oldStart, newStart: hunk.newStart, lines };
  });
  return { hunks, added, removed };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Everything that differs between two versions of a runbook. */
export function diffRunbooks(before: RunbookContent, after: RunbookContent): RunbookDiffDto {
  const fields: FieldChange[] = [];
  for (const field of TEXT_FIELDS) if (before[field] !== after[field]) fields.push({ field, from: before[field], to: after[field] });
  for (const field of LIST_FIELDS) if (!sameList(before[field], after[field])) fields.push({ field, from: [...before[field]], to: [...after[field]] });
  const body = diffBodies(before.body, after.body);
  return { fields, body: body.hunks, added: body.added, removed: body.removed };
}

export interface MergedBody {
  body: string;
  /** Places where both sides changed the same lines differently (marked as git does). */
  conflicts: number;
}

/**
 * Three-way merge of a body: `yours` and `theirs` both started from `base`. Changes on one side
 * only are taken; where both changed the same lines differently, both versions are kept between
 * git-style markers for the editor to resolve.
 */
export function mergeBodies(base: string, yours: string, theirs: string, theirsLabel: string): MergedBody {
  const regions = diff3Merge(yours.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      lines.push(...region.ok);
    } else if (region.conflict) {
      conflicts++;
      lines.push('<<<<<<< yours', ...region.conflict.a, '=======', ...region.conflict.b, `>>>>>>> ${theirsLabel}`);
    }
  }
  return { body: lines.join('\n'), conflicts };
}
