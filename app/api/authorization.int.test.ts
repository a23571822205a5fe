// Authorization matrix over every JSON API route and ingest endpoint: each `METHOD /path` on disk is
// called in-process by every kind of caller (anonymous, each role's session, each API-key scope) and
// must refuse exactly the callers the table says (401 unauthenticated, 403 authenticated but not
// allowed) and let every other caller past authorization. Cookie-authenticated writes from another
// site are refused (CSRF). A route added on disk without a row here fails the suite.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { login } from '@/lib/auth/login';
import { SESSION_COOKIE } from '@/lib/auth/sessions';
import { createUserAsSystem } from '@/lib/auth/users';
import { apiKeyHeader, callRoute, SAME_ORIGIN } from '@/lib/http/testing';
import type { ApiKeyScope, Role } from '@/lib/schemas/auth';

// ---------------------------------------------------------------------------------------------
// The table: what each route/method requires. Read it off the route's defineRoute({ access }) and
// the comment on its first line (and docs/api.md, README "HTTP API").
// ---------------------------------------------------------------------------------------------

type Access = 'public' | 'read' | 'acknowledge' | 'edit_runbooks' | 'admin' | 'ingest';

interface Entry {
  access: Access;
  /** Request body for writes; defaults to `{}`. Valid shapes here reach the verb (and its own checks) and 404 on the random id. */
  body?: unknown;
  /** Query string (without `?`) so a GET reaches its verb instead of stopping at validation. */
  query?: string;
  /** Path parameter values that are not the defaults of paramValue(). */
  params?: Record<string, string>;
  /** The endpoint authenticates by API key only: a session cookie counts as no credentials (401). */
  keyOnly?: true;
}

const PASSWORD = 'a-long-enough-password';
const LOGIN_EMAIL = 'login-probe@authz.test';

const runbookContent = {
  title: 'Authz probe',
  slug: 'authz-probe',
  ownerTeam: 'Platform',
  tags: [],
  services: ['checkout'],
  ruleKinds: [],
  body: 'Nothing to see.',
};

const ROUTES: Record<string, Entry> = {
  // public
  'GET /api/health/live': { access: 'public' },
  'GET /api/health/ready': { access: 'public' },
  'POST /api/auth/login': { access: 'public', body: { email: LOGIN_EMAIL, password: PASSWORD } },
  'POST /api/auth/logout': { access: 'public' },

  // read
  'GET /api/auth/me': { access: 'read' },
  'GET /api/alerts': { access: 'read' },
  'GET /api/alerts/:id': { access: 'read' },
  'GET /api/alerts/:id/runbooks': { access: 'read' },
  'GET /api/alerts/:id/signal': { access: 'read' },
  'GET /api/alert-rules': { access: 'read' },
  'GET /api/breakers': { access: 'read' },
  'GET /api/chaos/injections': { access: 'read' },
  'GET /api/graph': { access: 'read' },
  'GET /api/incidents': { access: 'read' },
  'GET /api/incidents/:id': { access: 'read' },
  'GET /api/incidents/:id/runbooks': { access: 'read' },
  'GET /api/probe-targets': { access: 'read' },
  'GET /api/probes': { access: 'read' },
  'GET /api/probes/results': { access: 'read', query: 'service=checkout' },
  'GET /api/runbooks': { access: 'read' },
  'GET /api/runbooks/:id': { access: 'read' },
  'GET /api/runbooks/:id/activity': { access: 'read' },
  'GET /api/runbooks/:id/diff': { access: 'read', query: 'from=1&to=2' },
  'GET /api/runbooks/:id/revisions': { access: 'read' },
  'GET /api/runbooks/:id/revisions/:revision': { access: 'read' },
  'GET /api/services/:service/metrics': { access: 'read' },
  'GET /api/silences': { access: 'read' },
  'GET /api/traces': { access: 'read' },
  'GET /api/traces/:traceId': { access: 'read' },
  'GET /api/traces/operations': { access: 'read', query: 'service=checkout' },
  'GET /api/traces/services': { access: 'read' },

  // acknowledge (responder and above)
  'POST /api/alerts/:id/acknowledge': { access: 'acknowledge' },
  'POST /api/alerts/:id/notes': { access: 'acknowledge', body: { note: 'authz probe' } },
  'POST /api/alerts/:id/resolve': { access: 'acknowledge' },
  'POST /api/alerts/acknowledge': { access: 'acknowledge', body: { ids: ['00000000-0000-4000-8000-000000000000'] } },
  'POST /api/incidents/:id/acknowledge': { access: 'acknowledge' },
  'POST /api/incidents/:id/resolve': { access: 'acknowledge' },
  'PUT /api/incidents/:id/notes': { access: 'acknowledge', body: { notes: 'authz probe' } },
  'POST /api/silences': { access: 'acknowledge' },
  'DELETE /api/silences/:id': { access: 'acknowledge' },

  // edit_runbooks (editor and above)
  'POST /api/runbooks': { access: 'edit_runbooks' },
  'PUT /api/runbooks/:id': { access: 'edit_runbooks', body: { ...runbookContent, baseRevision: 1 } },
  'POST /api/runbooks/:id/revisions/:revision/restore': { access: 'edit_runbooks', body: { baseRevision: 1 } },

  // admin (admin role or admin-scoped key)
  'POST /api/admin/evaluate': { access: 'admin' },
  'PUT /api/alert-rules': { access: 'admin' },
  'GET /api/api-keys': { access: 'admin' },
  'POST /api/api-keys': { access: 'admin' },
  'DELETE /api/api-keys/:id': { access: 'admin' },
  'GET /api/audit': { access: 'admin' },
  'GET /api/chaos': { access: 'admin' },
  'POST /api/chaos': { access: 'admin' },
  'DELETE /api/chaos/:id': { access: 'admin' },
  'GET /api/notifications': { access: 'admin' },
  'POST /api/notifications/:id/retry': { access: 'admin', params: { id: '987654321' } },
  'POST /api/probe-targets': { access: 'admin' },
  'PATCH /api/probe-targets/:id': { access: 'admin', body: { paused: true } },
  'DELETE /api/probe-targets/:id': { access: 'admin' },
  'GET /api/users': { access: 'admin' },
  'POST /api/users': { access: 'admin' },
  'PATCH /api/users/:id': { access: 'admin', body: { role: 'viewer' } },
  'GET /api/webhooks': { access: 'admin' },
  'POST /api/webhooks': { access: 'admin' },
  'PATCH /api/webhooks/:id': { access: 'admin' },
  'DELETE /api/webhooks/:id': { access: 'admin' },
  'POST /api/webhooks/:id/test': { access: 'admin' },

  // ingest (API key with the ingest scope)
  'POST /v1/breaker-events': { access: 'ingest' },
  'POST /v1/probes': { access: 'ingest' },
  // OTLP receiver outside defineRoute: it reads only `Authorization: Bearer`, never the session cookie.
  'POST /v1/traces': { access: 'ingest', keyOnly: true },
};

/**
 * Cells that do not behave as documented, keyed `METHOD /path as actor`, with why. They run as
 * it.fails so the suite stays green while the bug stands and turns red once it is fixed.
 */
const KNOWN_BUGS: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------
// Callers
// ---------------------------------------------------------------------------------------------

type ActorName = 'anonymous' | Role | `key:${ApiKeyScope}`;
const ROLES: readonly Role[] = ['viewer', 'responder', 'editor', 'admin'];
const SCOPES: readonly ApiKeyScope[] = ['ingest', 'read', 'admin'];
const ACTORS: readonly ActorName[] = ['anonymous', ...ROLES, ...SCOPES.map((s) => `key:${s}` as const)];

// What each caller may do, written out here rather than imported so the test is an independent spec.
const GRANTS: Record<ActorName, readonly Access[]> = {
  anonymous: [],
  viewer: ['read'],
  responder: ['read', 'acknowledge'],
  editor: ['read', 'acknowledge', 'edit_runbooks'],
  admin: ['read', 'acknowledge', 'edit_runbooks', 'admin'],
  'key:ingest': ['ingest'],
  'key:read': ['read'],
  'key:admin': ['read', 'admin'],
};

const isRole = (actor: ActorName): actor is Role => (ROLES as readonly string[]).includes(actor);

type Expected = 'allowed' | 401 | 403;

function expected(entry: Entry, actor: ActorName): Expected {
  if (entry.access === 'public') return 'allowed';
  if (actor === 'anonymous' || (entry.keyOnly && isRole(actor))) return 401;
  return GRANTS[actor].includes(entry.access) ? 'allowed' : 403;
}

// ---------------------------------------------------------------------------------------------
// Route discovery
// ---------------------------------------------------------------------------------------------

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP = join(ROOT, 'app');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? routeFiles(join(dir, d.name)) : d.name === 'route.ts' ? [join(dir, d.name)] : [],
  );
}

/** app/api/runbooks/[id]/revisions/[revision]/route.ts → /api/runbooks/:id/revisions/:revision */
function patternOf(file: string): string {
  const segments = relative(APP, file).split(sep).slice(0, -1);
  return (
    '/' +
    segments
      .filter((s) => !/^\(.*\)$/.test(s)) // route groups do not appear in the URL
      .map((s) => s.replace(/^\[\.\.\.(.+)\]$/, ':$1*').replace(/^\[(.+)\]$/, ':$1'))
      .join('/')
  );
}

/** Every `METHOD /pattern` exported by a route.ts under app/api and app/v1, with its handler. */
async function discoverRoutes(): Promise<Map<string, Handler>> {
  const found = new Map<string, Handler>();
  const files = [...routeFiles(join(APP, 'api')), ...routeFiles(join(APP, 'v1'))].sort();
  for (const file of files) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === 'function') found.set(`${method} ${patternOf(file)}`, mod[method] as Handler);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

function paramValue(name: string): string {
  switch (name) {
    case 'id':
      return randomUUID();
    case 'service':
      return 'checkout';
    case 'traceId':
      return randomBytes(16).toString('hex');
    case 'revision':
      return '1';
    default:
      throw new Error(`No test value for path parameter :${name}: add one to paramValue() in app/api/authorization.int.test.ts`);
  }
}

function requestFor(key: string, entry: Entry) {
  const [method, pattern] = key.split(' ') as [string, string];
  const params: Record<string, string> = {};
  const path = pattern.replace(/:([A-Za-z]+)\*?/g, (_, name: string) => (params[name] = entry.params?.[name] ?? paramValue(name)));
  return {
    method,
    params,
    path: entry.query ? `${path}?${entry.query}` : path,
    body: method === 'GET' || method === 'DELETE' ? undefined : (entry.body ?? {}),
  };
}

const isWrite = (key: string) => !key.startsWith('GET ');

let routes: Map<string, Handler>;
const sessions = {} as Record<Role, string>;
/** Extra sessions of the same users, for calls that end the session they are sent with. */
const throwaway = {} as Record<Role, string[]>;
const keys = {} as Record<ApiKeyScope, Record<string, string>>;

async function signIn(email: string): Promise<string> {
  const { token } = await login({ input: { email, password: PASSWORD }, ip: '127.0.0.1' });
  return `${SESSION_COOKIE}=${token}`;
}

beforeAll(async () => {
  routes = await discoverRoutes();
  await createUserAsSystem({ email: LOGIN_EMAIL, role: 'viewer', password: PASSWORD });
  await Promise.all(
    ROLES.map(async (role) => {
      const email = `${role}@authz.test`;
      await createUserAsSystem({ email, role, password: PASSWORD });
      sessions[role] = await signIn(email);
      throwaway[role] = [await signIn(email), ...(role === 'admin' ? [await signIn(email), await signIn(email)] : [])];
    }),
  );
  for (const scope of SCOPES) keys[scope] = await apiKeyHeader(scope);
});

function credentials(actor: ActorName, key: string): { cookie?: string; headers: Record<string, string> } {
  const write = isWrite(key);
  // Login and logout are browser endpoints that check same-origin for every caller; elsewhere API
  // keys need no Origin (browsers never send them on their own), which the matrix thereby checks.
  const origin: Record<string, string> = write && (isRole(actor) || actor === 'anonymous' || ROUTES[key]?.access === 'public') ? { ...SAME_ORIGIN } : {};
  if (actor === 'anonymous') return { headers: origin };
  if (isRole(actor)) {
    // Never end a shared session: logout gets a session of its own.
    const cookie = key === 'POST /api/auth/logout' ? throwaway[actor].shift() : sessions[actor];
    if (!cookie) throw new Error(`no spare session left for ${actor}`);
    return { cookie, headers: origin };
  }
  return { headers: { ...origin, ...keys[actor.slice('key:'.length) as ApiKeyScope] } };
}

function handlerFor(key: string): Handler {
  const handler = routes.get(key);
  if (!handler) throw new Error(`${key} is in the table but no app/**/route.ts exports it`);
  return handler;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('route table', () => {
  it('has a row for every route and method on disk', () => {
    const missing = [...routes.keys()].filter((k) => !(k in ROUTES));
    expect(
      missing,
      `Routes without an authorization row: add each to ROUTES in app/api/authorization.int.test.ts with the access its defineRoute declares:\n  ${missing.join('\n  ')}`,
    ).toEqual([]);
  });

  it('finds no server action, which this matrix would not cover', () => {
    // Server actions are POST endpoints Next creates without a route.ts: one added later must get
    // its own rows (and a guard) before it ships.
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? (d.name === 'node_modules' || d.name === 'generated' ? [] : sources(join(dir, d.name))) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
      );
    const withActions = ['app', 'components', 'lib'].flatMap((d) => sources(join(ROOT, d))).filter((f) => /^\s*['"]use server['"]/m.test(readFileSync(f, 'utf8')));
    expect(withActions.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('has no row without a route on disk', () => {
    const stale = Object.keys(ROUTES).filter((k) => !routes.has(k));
    expect(stale, `Rows in ROUTES whose route.ts or method no longer exists: remove or rename them:\n  ${stale.join('\n  ')}`).toEqual([]);
  });
});

interface Cell {
  name: string;
  key: string;
  actor: ActorName;
  want: Expected;
}

const CELLS: Cell[] = Object.entries(ROUTES).flatMap(([key, entry]) =>
  ACTORS.map((actor) => {
    const want = expected(entry, actor);
    return { name: `${key} as ${actor} → ${want === 'allowed' ? 'not 401/403' : want}`, key, actor, want };
  }),
);

async function runCell({ key, actor, want }: Cell): Promise<void> {
  const entry = ROUTES[key]!;
  const { method, params, path, body } = requestFor(key, entry);
  const { cookie, headers } = credentials(actor, key);
  const res = await callRoute(handlerFor(key), { method, path, params, body, cookie, headers });
  const why = `${key} as ${actor}: ${res.status} ${res.text.slice(0, 300)}`;
  if (want === 'allowed') {
    expect([401, 403], why).not.toContain(res.status);
    expect(res.status, `${why} (internal error: authorization passed but the handler failed)`).not.toBe(500);
  } else {
    expect(res.status, why).toBe(want);
  }
}

// [name, cell] rows with '%s': object rows with '$name' would quote and truncate the long names.
const rows = (cells: Cell[]) => cells.map((c) => [c.name, c] as const);
const isKnownBug = (c: Cell) => `${c.key} as ${c.actor}` in KNOWN_BUGS;

describe('authorization matrix', () => {
  it.each(rows(CELLS.filter((c) => !isKnownBug(c))))('%s', (_name, cell) => runCell(cell));
  const bugs = CELLS.filter(isKnownBug);
  if (bugs.length > 0) it.fails.each(rows(bugs))('%s (known bug)', (_name, cell) => runCell(cell));
});

describe('CSRF', () => {
  // Every state-changing route a signed-in user may call: the admin role holds all of them.
  const cookieWrites = Object.keys(ROUTES).filter((k) => isWrite(k) && !['public', 'ingest'].includes(ROUTES[k]!.access));
  const crossSite = [
    ['Origin: https://evil.example', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site, no Origin', { 'sec-fetch-site': 'cross-site' }],
  ] as const;
  const cases = cookieWrites.flatMap((key) => crossSite.map(([label, headers]) => [`${key} with an admin session and ${label} → 403`, key, headers] as const));

  it.each(cases)('%s', async (_name, key, headers) => {
    const { method, params, path, body } = requestFor(key, ROUTES[key]!);
    const res = await callRoute(handlerFor(key), { method, path, params, body, cookie: sessions.admin, headers });
    expect(res.status, res.text).toBe(403);
    expect(res.json).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/Cross-site/) } });
  });

  // Login is public (no cookie needed) but checks same-origin itself, against login CSRF; logout too,
  // so another site cannot sign a user out. Valid bodies, so the refusal is not a validation error.
  const publicWrites = [
    ['POST /api/auth/login', { email: LOGIN_EMAIL, password: PASSWORD }],
    ['POST /api/auth/logout', undefined],
  ] as const;
  const publicCases = publicWrites.flatMap(([key, body]) => crossSite.map(([label, headers]) => [`${key} with ${label} → 403`, key, body, headers] as const));

  it.each(publicCases)('%s', async (_name, key, body, headers) => {
    const cookie = key === 'POST /api/auth/logout' ? throwaway.admin.shift() : undefined;
    const res = await callRoute(handlerFor(key), { method: 'POST', path: key.split(' ')[1], body, cookie, headers });
    expect(res.status, res.text).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
    if (cookie) expect((await callRoute(handlerFor('GET /api/auth/me'), { cookie })).status, 'the session survived').toBe(200);
  });

  it('lets an API key write without an Origin, and ignores a foreign one (keys are not ambient credentials)', async () => {
    const res = await callRoute(handlerFor('POST /api/api-keys'), {
      method: 'POST',
      headers: { ...keys.admin, origin: 'https://evil.example' },
      body: { name: 'authz key', scopes: ['read'] },
    });
    expect(res.status, res.text).toBe(201);
  });
});

describe('after the matrix', () => {
  it('still has every shared session and key signed in (no cell ended one)', async () => {
    const me = handlerFor('GET /api/auth/me');
    for (const role of ROLES) expect((await callRoute(me, { cookie: sessions[role] })).status, role).toBe(200);
    for (const scope of ['read', 'admin'] as const) expect((await callRoute(me, { headers: keys[scope] })).status, scope).toBe(200);
  });
});
