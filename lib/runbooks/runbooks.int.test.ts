// Runbooks through their real route handlers and PostgreSQL: revisions without lost updates,
// conflicts with a merge, history, diff, restore, search, permissions, matching, files.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as alertRunbooks from '@/app/api/alerts/[id]/runbooks/route';
import * as incidentRunbooks from '@/app/api/incidents/[id]/runbooks/route';
import * as activity from '@/app/api/runbooks/[id]/activity/route';
import * as diffRoute from '@/app/api/runbooks/[id]/diff/route';
import * as revisionRoute from '@/app/api/runbooks/[id]/revisions/[revision]/route';
import * as restoreRoute from '@/app/api/runbooks/[id]/revisions/[revision]/restore/route';
import * as revisions from '@/app/api/runbooks/[id]/revisions/route';
import * as runbookRoute from '@/app/api/runbooks/[id]/route';
import * as runbooksRoute from '@/app/api/runbooks/route';
import { insertAlertRow } from '@/lib/db/alerts';
import { prisma } from '@/lib/db/client';
import { assignAlertsToIncident, insertIncidentRow } from '@/lib/db/incidents';
import { apiKeyHeader, callRoute, SAME_ORIGIN, signedInCookie } from '@/lib/http/testing';
import type { RuleKind } from '@/lib/schemas/alerts';
import type { RunbookConflictDto, RunbookContent, RunbookDto, RunbookMatchDto, RunbookSummaryDto } from '@/lib/schemas/runbooks';
import { exportRunbookDirectory, importRunbookDirectory, RunbookImportError, seedStarterRunbooks, STARTER_RUNBOOKS_DIR } from './sync';

const cookies: Record<'admin' | 'editor' | 'responder' | 'viewer', string> = { admin: '', editor: '', responder: '', viewer: '' };
const system = { kind: 'system', name: 'test' } as const;
let tmp: string;

beforeAll(async () => {
  for (const role of ['admin', 'editor', 'responder', 'viewer'] as const) cookies[role] = await signedInCookie(role);
  tmp = await mkdtemp(join(tmpdir(), 'faultline-runbooks-'));
});

afterAll(() => rm(tmp, { recursive: true, force: true }));

let slugs = 0;
const draft = (over: Partial<RunbookContent> = {}): RunbookContent => ({
  title: 'Payments timeouts',
  slug: `payments-timeouts-${++slugs}`,
  ownerTeam: 'Payments',
  tags: ['payments'],
  services: ['payments'],
  ruleKinds: ['latency_p99'],
  body: ['Intro.', '', '## Immediate mitigation', '', '1. Shed load.', '2. Fail over.', '', '## Diagnosis', '', 'Check traces.', ''].join('\n'),
  ...over,
});

const write = { method: 'POST', headers: SAME_ORIGIN } as const;
const create = (body: unknown, cookie = cookies.editor) => callRoute(runbooksRoute.POST, { ...write, cookie, body });
const save = (id: string, body: unknown, cookie = cookies.editor) => callRoute(runbookRoute.PUT, { method: 'PUT', headers: SAME_ORIGIN, cookie, params: { id }, body });
const restore = (id: string, revision: number, baseRevision: number, cookie = cookies.editor) =>
  callRoute(restoreRoute.POST, { ...write, cookie, params: { id, revision: String(revision) }, body: { baseRevision } });
const get = (id: string) => callRoute(runbookRoute.GET, { cookie: cookies.viewer, params: { id } });

async function created(over: Partial<RunbookContent> = {}): Promise<RunbookDto> {
  const res = await create(draft(over));
  expect(res.status, res.text).toBe(201);
  return res.json as RunbookDto;
}

describe('revisions', () => {
  it('creates revision 1, saves revision 2 on top of it, and audits both', async () => {
    const rb = await created();
    expect(rb).toMatchObject({ revision: 1, updatedBy: expect.stringMatching(/^editor-/) });
    expect(rb.sections.map((s) => s.text)).toEqual(['Immediate mitigation', 'Diagnosis']);
    const res = await save(rb.id, { ...draft({ slug: rb.slug, title: 'Payments timeouts and retries' }), baseRevision: 1, message: 'Broader title' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ revision: 2, title: 'Payments timeouts and retries' });
    const history = await callRoute(revisions.GET, { cookie: cookies.viewer, params: { id: rb.id } });
    expect((history.json as Array<{ revision: number; message: string }>).map((r) => [r.revision, r.message])).toEqual([
      [2, 'Broader title'],
      [1, 'Created'],
    ]);
    const audits = await prisma().auditLog.findMany({ where: { targetId: rb.id }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['runbook.create', 'runbook.update']);
  });

  it('refuses a stale save with 409, a diff of both sides and a merge, and writes nothing', async () => {
    const rb = await created();
    const base = draft({ slug: rb.slug });
    const alice = { ...base, body: base.body.replace('1. Shed load.', '1. Shed load at the edge.'), baseRevision: 1 };
    const bob = { ...base, ownerTeam: 'Checkout', body: base.body.replace('Check traces.', 'Check traces and probes.'), baseRevision: 1 };
    expect((await save(rb.id, alice)).status).toBe(200);
    const stale = await save(rb.id, bob, cookies.admin);
    expect(stale.status).toBe(409);
    const error = (stale.json as { error: { message: string; conflict: RunbookConflictDto } }).error;
    expect(error.message).toMatch(/changed since revision 1: revision 2 was saved by editor-/);
    const conflict = error.conflict;
    expect(conflict.baseRevision).toBe(1);
    expect(conflict.current.revision).toBe(2);
    expect(conflict.theirs.body.flatMap((h) => h.lines).filter((l) => l.type === 'added').map((l) => l.text)).toEqual(['1. Shed load at the edge.']);
    expect(conflict.yours.fields).toEqual([{ field: 'ownerTeam', from: 'Payments', to: 'Checkout' }]);
    expect(conflict.merged).toMatchObject({ conflicts: 0, bothChanged: [] });
    expect(conflict.merged.content.ownerTeam).toBe('Checkout');
    expect(conflict.merged.content.body).toContain('1. Shed load at the edge.');
    expect(conflict.merged.content.body).toContain('Check traces and probes.');
    expect((await get(rb.id)).json).toMatchObject({ revision: 2, ownerTeam: 'Payments', body: alice.body });

    // Saving the merge on top of the latest revision keeps both people's changes.
    const merged = await save(rb.id, { ...conflict.merged.content, baseRevision: conflict.current.revision }, cookies.admin);
    expect(merged.status, merged.text).toBe(200);
    expect(merged.json).toMatchObject({ revision: 3, ownerTeam: 'Checkout', body: conflict.merged.content.body });
  });

  it('marks lines both editors changed', async () => {
    const rb = await created();
    const base = draft({ slug: rb.slug });
    expect((await save(rb.id, { ...base, body: base.body.replace('2. Fail over.', '2. Fail over to region B.'), baseRevision: 1 })).status).toBe(200);
    const res = await save(rb.id, { ...base, title: 'Mine', body: base.body.replace('2. Fail over.', '2. Fail over to the DR site.'), baseRevision: 1 });
    const { merged } = (res.json as { error: { conflict: RunbookConflictDto } }).error.conflict;
    expect(merged.conflicts).toBe(1);
    expect(merged.bothChanged).toEqual(['body']);
    expect(merged.content.title).toBe('Mine');
    expect(merged.content.body).toContain('<<<<<<< yours\n2. Fail over to the DR site.\n=======\n2. Fail over to region B.\n>>>>>>> revision 2');
  });

  it('merges lists both editors changed as sets', async () => {
    const rb = await created({ tags: ['payments', 'latency'] });
    const base = draft({ slug: rb.slug, tags: ['payments', 'latency'] });
    expect((await save(rb.id, { ...base, tags: ['payments', 'latency', 'db'], baseRevision: 1 })).status).toBe(200);
    const res = await save(rb.id, { ...base, tags: ['payments', 'queues'], baseRevision: 1 });
    const { merged } = (res.json as { error: { conflict: RunbookConflictDto } }).error.conflict;
    expect(merged.content.tags).toEqual(['payments', 'queues', 'db']);
  });

  it('lets exactly one of many simultaneous saves on the same base win', async () => {
    const rb = await created();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => save(rb.id, { ...draft({ slug: rb.slug, body: `version ${i}\n` }), baseRevision: 1 })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const rows = await prisma().runbookRevision.findMany({ where: { runbookId: rb.id } });
    expect(rows.map((r) => r.revision).sort()).toEqual([1, 2]);
    const winner = results.find((r) => r.status === 200)!.json as RunbookDto;
    expect((await get(rb.id)).json).toMatchObject({ revision: 2, body: winner.body });
  });

  it('writes no revision for a save that changes nothing', async () => {
    const rb = await created();
    const res = await save(rb.id, { ...draft({ slug: rb.slug }), baseRevision: 1 });
    expect(res.json).toMatchObject({ revision: 1 });
  });

  it('compares any two revisions and restores an old one as a new revision', async () => {
    const rb = await created();
    const base = draft({ slug: rb.slug });
    await save(rb.id, { ...base, tags: ['payments', 'latency'], baseRevision: 1 });
    await save(rb.id, { ...base, tags: ['payments', 'latency'], body: `${base.body}\n## Prevention\n`, baseRevision: 2 });

    const diff = await callRoute(diffRoute.GET, { cookie: cookies.viewer, params: { id: rb.id }, path: '/?from=3&to=1' });
    expect(diff.status).toBe(200);
    expect(diff.json).toMatchObject({ from: { revision: 3 }, to: { revision: 1 }, fields: [{ field: 'tags', from: ['payments', 'latency'], to: ['payments'] }], removed: 2, added: 0 });

    expect((await restore(rb.id, 1, 2)).status).toBe(409); // stale: revision 3 exists
    const restored = await restore(rb.id, 1, 3);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json).toMatchObject({ revision: 4, tags: ['payments'], body: base.body });
    const rev4 = await callRoute(revisionRoute.GET, { cookie: cookies.viewer, params: { id: rb.id, revision: '4' } });
    expect(rev4.json).toMatchObject({ revision: 4, restoredFrom: 1, message: 'Restored revision 1', content: { tags: ['payments'] } });
    expect((await callRoute(revisionRoute.GET, { cookie: cookies.viewer, params: { id: rb.id, revision: '9' } })).status).toBe(404);
    expect((await callRoute(revisionRoute.GET, { cookie: cookies.viewer, params: { id: rb.id, revision: 'x' } })).status).toBe(400);
  });
});

describe('validation and permissions', () => {
  it('names the field in validation errors and refuses a taken slug', async () => {
    const bad = await create({ ...draft(), slug: 'Not A Slug', ruleKinds: ['cpu'] });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/body\.slug: must be lowercase.*body\.ruleKinds\.0: must be one of/);
    const rb = await created();
    const taken = await create(draft({ slug: rb.slug }));
    expect(taken.status).toBe(409);
    expect((taken.json as { error: { message: string } }).error.message).toContain(`"${rb.slug}" is already used`);
    const other = await created();
    const rename = await save(other.id, { ...draft({ slug: rb.slug }), baseRevision: 1 });
    expect(rename.status).toBe(409);
  });

  it('answers 400, not 500, to input PostgreSQL or the renderer cannot take, and saves nothing', async () => {
    const message = async (res: { status: number; json: unknown }) => {
      expect(res.status).toBe(400);
      return (res.json as { error: { message: string } }).error.message;
    };
    expect(await message(await create({ ...draft(), title: 'a\u0000b' }))).toMatch(/^body\.title: must not contain NUL/);
    expect(await message(await create({ ...draft(), services: ['a\u0000'] }))).toMatch(/^body\.services\.0: must not contain NUL/);
    expect(await message(await create({ ...draft(), tags: ['a, b'] }))).toMatch(/^body\.tags\.0: must not contain commas/);
    const deep = draft({ body: `${'>'.repeat(5000)} too deep` });
    expect(await message(await create(deep))).toMatch(/^body: cannot be rendered/);
    expect(await prisma().runbook.count({ where: { slug: deep.slug } })).toBe(0);

    const rb = await created();
    expect(await message(await save(rb.id, { ...draft({ slug: rb.slug, title: 'x' }), baseRevision: 10_000_000_000 }))).toMatch(/^body\.baseRevision: must be a revision number/);
    expect(await message(await save(rb.id, { ...draft({ slug: rb.slug, title: 'x' }), baseRevision: 7 }))).toMatch(/^body\.baseRevision: revision 7 does not exist \(the latest is 1\)/);
    expect(await message(await restore(rb.id, 1, 10_000_000_000))).toMatch(/^body\.baseRevision/);
    expect(await message(await callRoute(diffRoute.GET, { cookie: cookies.viewer, params: { id: rb.id }, path: '/?from=10000000000&to=1' }))).toMatch(/^query\.from/);
    expect(await message(await callRoute(runbooksRoute.GET, { cookie: cookies.viewer, path: '/?q=%00' }))).toMatch(/^query\.q: must not contain NUL/);
  });

  it('lets everyone signed in read but only editors and admins write', async () => {
    const rb = await created();
    const change = { ...draft({ slug: rb.slug, title: 'Changed' }), baseRevision: 1 };
    for (const role of ['viewer', 'responder'] as const) {
      expect((await create(draft(), cookies[role])).status).toBe(403);
      expect((await save(rb.id, change, cookies[role])).status).toBe(403);
      expect((await restore(rb.id, 1, 1, cookies[role])).status).toBe(403);
      expect((await callRoute(runbookRoute.GET, { cookie: cookies[role], params: { id: rb.id } })).status).toBe(200);
    }
    const readKey = await apiKeyHeader('read');
    expect((await callRoute(runbooksRoute.GET, { headers: readKey })).status).toBe(200);
    expect((await callRoute(runbookRoute.PUT, { method: 'PUT', headers: readKey, params: { id: rb.id }, body: change })).status).toBe(403);
    expect((await callRoute(runbooksRoute.GET)).status).toBe(401);
    // Cross-site writes with an editor's cookie are refused.
    expect((await callRoute(runbookRoute.PUT, { method: 'PUT', headers: { origin: 'https://evil.example' }, cookie: cookies.editor, params: { id: rb.id }, body: change })).status).toBe(403);
    expect((await get(rb.id)).json).toMatchObject({ revision: 1, title: 'Payments timeouts' });
  });

  it('stores script in titles and bodies as text and serves only sanitised HTML', async () => {
    const rb = await created({ title: '<img src=x onerror=alert(1)>', body: '<script>alert(1)</script>\n\n[x](javascript:alert(1))\n' });
    const fetched = (await get(rb.id)).json as RunbookDto;
    expect(fetched.title).toBe('<img src=x onerror=alert(1)>');
    expect(fetched.html).not.toMatch(/<script|javascript:|onerror/i);
  });
});

describe('search', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    const a = await created({ title: 'Kafka consumer lag', slug: 'kafka-lag', tags: ['queues'], services: ['orders-consumer'], ruleKinds: ['queue_lag'], body: 'When consumers fall behind, the backlog grows and messages retry.\n' });
    const b = await created({ title: 'Retrying clients', slug: 'retrying-clients', tags: ['retries'], services: ['checkout'], ruleKinds: ['retry_amplification'], body: 'Jittered backoff keeps retries from synchronising.\n' });
    ids = { a: a.id, b: b.id };
  });

  const search = async (query: string) => {
    const res = await callRoute(runbooksRoute.GET, { cookie: cookies.viewer, path: `/api/runbooks?${query}` });
    expect(res.status, res.text).toBe(200);
    return res.json as RunbookSummaryDto[];
  };

  it('finds by stemmed words in titles, tags and bodies, title matches first, with highlighted snippets', async () => {
    const found = (await search('q=retry')).filter((r) => r.id === ids.a || r.id === ids.b);
    expect(found.map((r) => r.id)).toEqual([ids.b, ids.a]);
    expect(found[1]!.snippet).toContain('\uE000retry\uE001');
    expect((await search('q=queues')).map((r) => r.id)).toContain(ids.a);
    expect((await search(`q=${encodeURIComponent('backlog -kafka')}`)).map((r) => r.id)).not.toContain(ids.a);
    expect(await search('q=nonexistentword')).toEqual([]);
  });

  it('filters by linked service, rule kind and tag', async () => {
    expect((await search('service=orders-consumer')).map((r) => r.id)).toEqual([ids.a]);
    expect((await search('ruleKind=retry_amplification')).map((r) => r.id)).toContain(ids.b);
    expect((await search('tag=queues&q=retry')).map((r) => r.id)).toEqual([ids.a]);
    const bad = await callRoute(runbooksRoute.GET, { cookie: cookies.viewer, path: '/api/runbooks?ruleKind=cpu' });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/^query\.ruleKind:/);
  });

  it('survives search syntax that is not valid tsquery', async () => {
    expect((await search(`q=${encodeURIComponent("'\"():*&|! <-> ;drop table runbooks")}`))).toBeInstanceOf(Array);
  });
});

describe('runbooks for alerts and incidents', () => {
  const now = new Date();
  const alert = (rule: RuleKind, service: string, target: string | null = null) =>
    insertAlertRow({
      fingerprint: `${rule}|${service}|${target}|${Math.random()}`,
      rule,
      entityType: target ? 'edge' : 'service',
      service,
      target,
      severity: 'critical',
      severityRank: 0,
      summary: `${rule} on ${service}`,
      observed: 1,
      threshold: 0.5,
      peakObserved: 1,
      windowMs: 60_000,
      startedAt: now,
      lastSeenAt: now,
    });

  it('ranks the runbook linked to the alerting service first and opens the section for its kind', async () => {
    const linked = await created({ slug: 'ledger-outage', title: 'Ledger outage', services: ['ledger'], ruleKinds: [], body: '## Background\n\n## Ledger: fail over to the replica\n' });
    const byKind = await created({ slug: 'breakers-stuck', title: 'Breakers stuck open', services: [], ruleKinds: ['breaker_open', 'error_rate'], body: '## Detection signs in Faultline\n\n### Breaker open alert\n\n## Immediate mitigation\n' });
    const a = await alert('breaker_open', 'web', 'ledger');
    const res = await callRoute(alertRunbooks.GET, { cookie: cookies.viewer, params: { id: a.id } });
    expect(res.status).toBe(200);
    const matches = res.json as RunbookMatchDto[];
    expect(matches.map((m) => m.id).slice(0, 2)).toEqual([linked.id, byKind.id]);
    expect(matches[0]).toMatchObject({ reasons: ['linked to ledger'], section: { id: 'section-ledger-fail-over-to-the-replica' } });
    expect(matches[1]).toMatchObject({ reasons: ['covers Breaker open'], section: { id: 'section-breaker-open-alert' } });
    expect((await callRoute(alertRunbooks.GET, { cookie: cookies.viewer, params: { id: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it("puts the incident's root cause before its symptoms, and lists the incident on the runbook", async () => {
    const rootRb = await created({ slug: 'inventory-db', title: 'Inventory database', services: ['inventory'], ruleKinds: [] });
    const symptomRb = await created({ slug: 'storefront', title: 'Storefront', services: ['storefront'], ruleKinds: [] });
    const root = await alert('error_rate', 'inventory');
    const symptom = await alert('error_rate', 'storefront', 'inventory');
    const incident = await insertIncidentRow({
      title: 'inventory failing',
      severity: 'critical',
      severityRank: 0,
      openedAt: now,
      analyzedAt: now,
      analysis: { rootCause: { kind: 'service', service: 'inventory', confidence: 0.9, evidence: [] }, candidates: [], symptoms: [{ service: 'storefront', reason: 'calls inventory' }] },
    });
    await assignAlertsToIncident([root.id, symptom.id], incident.id);
    const matches = (await callRoute(incidentRunbooks.GET, { cookie: cookies.viewer, params: { id: incident.id } })).json as RunbookMatchDto[];
    const order = matches.map((m) => m.id);
    expect(order.indexOf(rootRb.id)).toBe(0);
    expect(order.indexOf(symptomRb.id)).toBeGreaterThan(0);

    const seen = await callRoute(activity.GET, { cookie: cookies.viewer, params: { id: symptomRb.id } });
    expect(seen.json).toMatchObject({ alerts: [{ id: symptom.id, service: 'storefront' }], incidents: [{ id: incident.id, title: 'inventory failing' }] });
  });
});

describe('runbooks as files', () => {
  it('exports and imports back exactly, with no new revisions when nothing changed', async () => {
    await created({ title: 'Quotes: "x" & #y', body: 'CRLF\r\nline  \n\n---\nno trailing newline' });
    const first = join(tmp, 'first');
    const files = (await exportRunbookDirectory({ actor: system, dir: first })).written;
    const before = await prisma().runbookRevision.count();
    const report = await importRunbookDirectory({ actor: system, dir: first });
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.unchanged).toHaveLength(files.length);
    expect(await prisma().runbookRevision.count()).toBe(before);

    // Into an empty database and out again: byte-for-byte the same files, the same content.
    const snapshot = await prisma().runbook.findMany({ orderBy: { slug: 'asc' }, select: { slug: true, title: true, ownerTeam: true, tags: true, services: true, ruleKinds: true, body: true } });
    await prisma().runbook.deleteMany();
    expect((await importRunbookDirectory({ actor: system, dir: first })).created).toHaveLength(files.length);
    const second = join(tmp, 'second');
    await exportRunbookDirectory({ actor: system, dir: second });
    expect((await readdir(second)).sort()).toEqual([...files].sort());
    for (const name of files) expect(await readFile(join(second, name), 'utf8')).toBe(await readFile(join(first, name), 'utf8'));
    expect(await prisma().runbook.findMany({ orderBy: { slug: 'asc' }, select: { slug: true, title: true, ownerTeam: true, tags: true, services: true, ruleKinds: true, body: true } })).toEqual(snapshot);
  });

  it('reports files no runbook has any more, and removes them with prune', async () => {
    const dir = join(tmp, 'prune');
    const rb = await created({ slug: 'to-be-renamed' });
    await exportRunbookDirectory({ actor: system, dir });
    await save(rb.id, { ...draft({ slug: 'renamed-runbook' }), baseRevision: 1 });
    const report = await exportRunbookDirectory({ actor: system, dir });
    expect(report.stale).toEqual(['to-be-renamed.md']);
    expect(await readdir(dir)).toContain('to-be-renamed.md');
    expect((await exportRunbookDirectory({ actor: system, dir, prune: true })).stale).toEqual(['to-be-renamed.md']);
    expect(await readdir(dir)).not.toContain('to-be-renamed.md');
    expect(await readdir(dir)).toContain('renamed-runbook.md');
  });

  it('saves a revision for a changed file and imports nothing when any file is invalid', async () => {
    const rb = await created({ slug: 'import-target' });
    const dir = join(tmp, 'edits');
    await exportRunbookDirectory({ actor: system, dir });
    const file = join(dir, 'import-target.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('1. Shed load.', '1. Shed load (edited in git).'));
    await writeFile(join(dir, 'broken.md'), '---\ntitle: Broken\nruleKinds: [cpu]\n---\n');
    await expect(importRunbookDirectory({ actor: system, dir })).rejects.toThrow(RunbookImportError);
    await expect(importRunbookDirectory({ actor: system, dir })).rejects.toThrow(/broken\.md: front matter\.ruleKinds\.0/);
    expect((await get(rb.id)).json).toMatchObject({ revision: 1 });

    await rm(join(dir, 'broken.md'));
    const report = await importRunbookDirectory({ actor: system, dir });
    expect(report.updated).toEqual(['import-target']);
    expect((await get(rb.id)).json).toMatchObject({ revision: 2, body: expect.stringContaining('edited in git') });
    const rev = await prisma().runbookRevision.findFirstOrThrow({ where: { runbookId: rb.id, revision: 2 } });
    expect(rev).toMatchObject({ message: 'Imported from import-target.md', authorLabel: 'test' });
  });
});

describe('starter runbooks', () => {
  it('are seeded once into an empty database, each with the sections responders need', async () => {
    await prisma().runbook.deleteMany();
    const added = await seedStarterRunbooks();
    expect(added).toBe(8);
    expect(await seedStarterRunbooks()).toBe(0);
    const rows = await prisma().runbook.findMany();
    expect(rows.map((r) => r.slug).sort()).toEqual([
      'breaker-stuck-open',
      'cascading-failure',
      'db-pool-exhaustion',
      'dependency-outage',
      'incident-response',
      'network-partition',
      'queue-backlog',
      'retry-storm',
    ]);
    expect((await readdir(STARTER_RUNBOOKS_DIR)).filter((f) => f.endsWith('.md'))).toHaveLength(8);
    for (const row of rows.filter((r) => r.slug !== 'incident-response')) {
      const rb = (await get(row.id)).json as RunbookDto;
      const headings = rb.sections.map((s) => s.text);
      for (const section of ['Detection signs in Faultline', 'Immediate mitigation', 'Diagnosis', 'Recovery', 'Prevention']) expect(headings, row.slug).toContain(section);
      expect(rb.ruleKinds.length, row.slug).toBeGreaterThan(0);
    }
  });
});
