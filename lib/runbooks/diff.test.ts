import { describe, expect, it } from 'vitest';
import type { RunbookContent } from '@/lib/schemas/runbooks';
import { diffBodies, diffRunbooks, mergeBodies } from './diff';

const lines = (...l: string[]) => l.join('\n');

const runbook = (over: Partial<RunbookContent> = {}): RunbookContent => ({
  title: 'Retry storm',
  slug: 'retry-storm',
  ownerTeam: 'SRE',
  tags: ['retries'],
  services: [],
  ruleKinds: ['retry_amplification'],
  body: lines('# Steps', 'one', 'two', 'three', ''),
  ...over,
});

describe('diffBodies', () => {
  it('numbers lines on both sides and counts changes', () => {
    const { hunks, added, removed } = diffBodies(lines('a', 'b', 'c', ''), lines('a', 'B', 'c', 'd', ''));
    expect(added).toBe(2);
    expect(removed).toBe(1);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]!.lines).toEqual([
      { type: 'context', text: 'a', oldLine: 1, newLine: 1 },
      { type: 'removed', text: 'b', oldLine: 2 },
      { type: 'added', text: 'B', newLine: 2 },
      { type: 'context', text: 'c', oldLine: 3, newLine: 3 },
      { type: 'added', text: 'd', newLine: 4 },
    ]);
  });

  it('splits far-apart changes into hunks with three lines of context', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    const after = before.replace('line 2\n', 'line two\n').replace('line 28\n', 'line twenty-eight\n');
    const { hunks } = diffBodies(before, after);
    expect(hunks.map((h) => [h.oldStart, h.newStart])).toEqual([
      [1, 1],
      [25, 25],
    ]);
  });

  it('is empty for equal texts', () => {
    expect(diffBodies('same\n', 'same\n')).toEqual({ hunks: [], added: 0, removed: 0 });
  });
});

describe('diffRunbooks', () => {
  it('lists changed fields beside the body', () => {
    const diff = diffRunbooks(runbook(), runbook({ title: 'Retry storms', tags: ['retries', 'overload'], body: lines('# Steps', 'one', 'two', 'three', 'four', '') }));
    expect(diff.fields).toEqual([
      { field: 'title', from: 'Retry storm', to: 'Retry storms' },
      { field: 'tags', from: ['retries'], to: ['retries', 'overload'] },
    ]);
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(0);
  });

  it('treats reordered lists as a change', () => {
    expect(diffRunbooks(runbook({ tags: ['a', 'b'] }), runbook({ tags: ['b', 'a'] })).fields.map((f) => f.field)).toEqual(['tags']);
  });
});

describe('mergeBodies', () => {
  const base = lines('# Steps', 'one', 'two', 'three', 'four', 'five', '');

  it('takes changes to different lines from both sides', () => {
    const yours = base.replace('one', 'ONE');
    const theirs = base.replace('five', 'FIVE');
    expect(mergeBodies(base, yours, theirs, 'revision 3')).toEqual({ body: lines('# Steps', 'ONE', 'two', 'three', 'four', 'FIVE', ''), conflicts: 0 });
  });

  it('marks lines both sides changed differently, keeping both versions', () => {
    const merged = mergeBodies(base, base.replace('three', 'three (yours)'), base.replace('three', 'three (theirs)'), 'revision 3');
    expect(merged.conflicts).toBe(1);
    expect(merged.body).toBe(lines('# Steps', 'one', 'two', '<<<<<<< yours', 'three (yours)', '=======', 'three (theirs)', '>>>>>>> revision 3', 'four', 'five', ''));
  });

  it('does not call the same change on both sides a conflict', () => {
    const same = base.replace('two', 'TWO');
    expect(mergeBodies(base, same, same, 'revision 3')).toEqual({ body: same, conflicts: 0 });
  });
});
