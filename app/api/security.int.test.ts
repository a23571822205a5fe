// "Prove it under attack", in-process against a real database: SQL injection through every filter
// parameter of the read APIs (a query key added to a route without a row here fails the suite),
// session fixation and logout, the login rate limit through its HTTP route, secrets stored only as
// hashes (every text column of every table is searched for them), and the security headers the
// handlers set themselves. Headers set by next.config.ts and proxy.ts are checked in e2e/security.spec.ts.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { SESSION_COOKIE } from '@/lib/auth/sessions';
import { createUserAsSystem, updateUser } from '@/lib/auth/users';
import { currentPageUser, requirePageUser } from '@/lib/auth/page-session';
import { env, resetEnv } from '@/lib/config/env';
import { correlateAlerts } from '@/lib/correlate/engine';
import { pool } from '@/lib/db/client';
import { runDetectionTick } from '@/lib/detect/engine';
import { apiKeyHeader, callRoute, SAME_ORIGIN } from '@/lib/http/testing';
import { createRunbook, updateRunbook } from '@/lib/runbooks/runbooks';
import * as apiKeysRoute from './api-keys/route';
import * as auditRoute from './audit/route';
import * as loginRoute from './auth/login/route';
import * as logoutRoute from './auth/logout/route';
import * as meRoute from './auth/me/route';
import * as usersRoute from './users/route';
import * as webhooksRoute from './webhooks/route';
import * as breakerEventsRoute from '../v1/breaker-events/route';
import * as probesIngestRoute from '../v1/probes/route';
import * as tracesIngestRoute from '../v1/traces/route';

// ---------------------------------------------------------------------------------------------
// Seeing what each route validates: defineRoute keeps its definition in a closure, so the real one
// is wrapped to note each handler's query and path schemas. Behaviour is unchanged.
// ---------------------------------------------------------------------------------------------

interface RouteSchemas {
  query?: z.ZodType;
  params?: z.ZodType;
}

const { schemasOf } = vi.hoisted(() => ({ schemasOf: new WeakMap<object, RouteSchemas>() }));

vi.mock('@/lib/http/define-route', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/http/define-route')>();
  const defineRoute: typeof actual.defineRoute = (definition) => {
    const handler = actual.defineRoute(definition);
    schemasOf.set(handler, { query: definition.query, params: definition.params });
    return handler;
  };
  return { ...actual, defineRoute };
});

// Server-rendered pages read the session through next/headers; here it answers with this token.
const pageCookie = vi.hoisted(() => ({ token: undefined as string | undefined }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: () => (pageCookie.token === undefined ? undefined : { name: 'faultline_session', value: pageCookie.token }) }),
}));

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const API = join(ROOT, 'app', 'api');

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? routeFiles(join(dir, d.name)) : d.name === 'route.ts' ? [join(dir, d.name)] : [],
  );
}

/** app/api/services/[service]/metrics/route.ts → GET /api/services/:service/metrics */
function getKeyOf(file: string): string {
  const segments = relative(join(ROOT, 'app'), file).split(sep).slice(0, -1);
  return `GET /${segments.map((s) => s.replace(/^\[(.+)\]$/, ':$1')).join('/')}`;
}

/** The keys a query or params schema accepts, through .and(), .refine() and pipes. */
function keysOf(schema: z.ZodType): string[] {
  const def = schema._zod.def as { type: string; shape?: Record<string, unknown>; left?: z.ZodType; right?: z.ZodType; in?: z.ZodType };
  switch (def.type) {
    case 'object':
      return Object.keys(def.shape ?? {});
    case 'intersection':
      return [...keysOf(def.left!), ...keysOf(def.right!)];
    case 'pipe':
      return keysOf(def.in!);
    default:
      throw new Error(`keysOf() cannot read a "${def.type}" schema: teach it, in app/api/security.int.test.ts`);
  }
}

// ---------------------------------------------------------------------------------------------
// Seed: a little of everything the read APIs filter, sent the way senders and users do.
// ---------------------------------------------------------------------------------------------

const PASSWORD = 'a-long-enough-password';
const ADMIN_EMAIL = 'admin@security.test';
const system = { kind: 'system', name: 'security-test' } as const;

let adminCookie: string;
let keys: { read: Record<string, string>; admin: Record<string, string>; ingest: Record<string, string> };
let runbookId: string;
/** Secrets held in the database, which no response may carry. */
let storedSecrets: string[] = [];
/** Rows of the tables an injection would go after, before any payload is sent. */
let rowsBefore: { users: number; keys: number };

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nowNanos = () => BigInt(Date.now()) * 1_000_000n;
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

function otlpTrace(service: string, operation: string, failed: boolean) {
  const start = nowNanos() - 2_000_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', service)] },
        scopeSpans: [
          {
            scope: { name: 'security-test', version: '1.0.0' },
            spans: [
              {
                traceId: hex(16),
                spanId: hex(8),
                name: operation,
                kind: 2,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 12_000_000n),
                attributes: [str('http.request.method', operation.split(' ')[0]!)],
                status: failed ? { code: 2, message: 'card declined' } : { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Signs in through the HTTP route; returns the `name=value` cookie. */
async function signIn(email: string, password = PASSWORD, ip = '192.0.2.1', cookie?: string): Promise<string> {
  const res = await callRoute(loginRoute.POST, { method: 'POST', headers: { ...SAME_ORIGIN, 'x-forwarded-for': ip }, body: { email, password }, cookie });
  expect(res.status, res.text).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const tokenOf = (cookie: string) => cookie.slice(`${SESSION_COOKIE}=`.length);

beforeAll(async () => {
  await createUserAsSystem({ email: ADMIN_EMAIL, role: 'admin', password: PASSWORD });
  adminCookie = await signIn(ADMIN_EMAIL);
  keys = { read: await apiKeyHeader('read'), admin: await apiKeyHeader('admin'), ingest: await apiKeyHeader('ingest') };

  // Two traces through the OTLP receiver (JSON), as an exporter sends them.
  for (const [service, operation, failed] of [
    ['checkout', 'POST /checkout', true],
    ['payments', 'GET /balance', false],
  ] as const) {
    const res = await callRoute(tracesIngestRoute.POST, { method: 'POST', headers: keys.ingest, body: otlpTrace(service, operation, failed) });
    expect(res.status, res.text).toBe(200);
  }

  // A destination, so the alert below queues a notification (nothing delivers it in tests).
  const hook = await callRoute(webhooksRoute.POST, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN, body: { name: 'pager', url: 'http://127.0.0.1:9/hook' } });
  expect(hook.status, hook.text).toBe(201);

  // A probe failing three times in a row: a probe_failing alert, and the incident it opens.
  const t = Date.now();
  const results = [3, 2, 1].map((s) => ({ service: 'checkout', target: 'postgres', kind: 'dependency', status: 'fail', latencyMs: 5, checkedAt: t - s * 1000, message: 'connection refused', dependency: 'postgres' }));
  const probes = await callRoute(probesIngestRoute.POST, { method: 'POST', headers: keys.ingest, body: { results } });
  expect(probes.status, probes.text).toBe(200);
  const breakers = await callRoute(breakerEventsRoute.POST, {
    method: 'POST',
    headers: keys.ingest,
    body: { service: 'checkout', events: [{ breaker: 'payments-cb', dependency: 'payments', from: 'closed', to: 'open', at: new Date(t - 500).toISOString(), reason: 'failure rate above threshold' }] },
  });
  expect(breakers.status, breakers.text).toBe(200);
  expect((await runDetectionTick(new Date(t))).fired.length).toBeGreaterThan(0);
  await correlateAlerts(new Date(t));

  const content = { title: 'Checkout database down', slug: 'checkout-database-down', ownerTeam: 'Payments', tags: ['database'], services: ['checkout'], ruleKinds: ['probe_failing' as const], body: 'Fail over to the replica.' };
  const runbook = await createRunbook({ actor: system, input: content });
  await updateRunbook({ actor: system, id: runbook.id, input: { ...content, body: 'Fail over to the replica, then page the owner.', baseRevision: 1 } });
  runbookId = runbook.id;

  const { rows } = await pool().query<{ secret: string }>(
    `SELECT password_hash AS secret FROM users UNION ALL SELECT key_hash FROM api_keys UNION ALL SELECT id FROM sessions`,
  );
  storedSecrets = rows.map((r) => r.secret);
  rowsBefore = await countUsersAndKeys();
});

async function countUsersAndKeys(): Promise<{ users: number; keys: number }> {
  const { rows } = await pool().query<{ users: number; keys: number }>(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM api_keys)::int AS keys`);
  return rows[0]!;
}

// ---------------------------------------------------------------------------------------------
// a. SQL injection through every filter parameter
// ---------------------------------------------------------------------------------------------

interface FilterRoute {
  caller: 'read' | 'admin';
  /** Every query parameter the route's schema accepts. */
  query: readonly string[];
  /** Path parameters, with the value used when another parameter is under test. */
  params?: Record<string, string>;
  /** Parameters the route needs to answer at all, kept while another one is under test. */
  base?: Record<string, string>;
  /** A value per parameter that matches the seed: proves the filter is live, not vacuous. */
  matches?: Record<string, string>;
}

const ROUTES: Record<string, FilterRoute> = {
  'GET /api/alerts': { caller: 'read', query: ['from', 'to', 'state', 'severity', 'rule', 'service', 'limit'], matches: { service: 'checkout' } },
  'GET /api/audit': { caller: 'admin', query: ['limit'] },
  'GET /api/breakers': { caller: 'read', query: ['from', 'to', 'service'], matches: { service: 'checkout' } },
  'GET /api/chaos/injections': { caller: 'read', query: ['from', 'to', 'limit'] },
  'GET /api/graph': { caller: 'read', query: ['from', 'to'] },
  'GET /api/incidents': { caller: 'read', query: ['from', 'to', 'status', 'limit'] },
  'GET /api/notifications': { caller: 'admin', query: ['status', 'destinationId', 'limit'] },
  'GET /api/probes': { caller: 'read', query: ['from', 'to', 'service'], matches: { service: 'checkout' } },
  'GET /api/probes/results': {
    caller: 'read',
    query: ['from', 'to', 'service', 'target', 'limit'],
    base: { service: 'checkout' },
    matches: { service: 'checkout', target: 'postgres' },
  },
  'GET /api/runbooks': { caller: 'read', query: ['q', 'service', 'ruleKind', 'tag', 'limit'], matches: { q: 'replica', service: 'checkout', tag: 'database' } },
  'GET /api/runbooks/:id/diff': { caller: 'read', query: ['from', 'to'], params: { id: '' /* the seeded runbook */ }, base: { from: '1', to: '2' } },
  'GET /api/services/:service/metrics': { caller: 'read', query: ['from', 'to'], params: { service: 'checkout' }, matches: { service: 'checkout' } },
  'GET /api/traces': {
    caller: 'read',
    query: ['service', 'operation', 'status', 'minDuration', 'from', 'to', 'limit'],
    matches: { service: 'checkout', operation: 'POST /checkout' },
  },
  'GET /api/traces/operations': { caller: 'read', query: ['service'], base: { service: 'checkout' }, matches: { service: 'checkout' } },
};

const PAYLOADS: ReadonlyArray<readonly [label: string, value: string]> = [
  ['quote tautology', "' OR '1'='1"],
  ['stacked DROP', "'; DROP TABLE users; --"],
  ['numeric tautology', '1) OR (1=1'],
  ['escaped quote', "\\'"],
  ['percent-encoded quote, literally', '%27'],
  ['LIKE wildcards', '%_%'],
  ['dollar quoting', '$$; DROP TABLE api_keys; $$'],
  ['UNION on password hashes', "checkout' UNION SELECT password_hash FROM users--"],
  ['comment and cast', "checkout'::text--"],
  ['NUL byte', "checkout\u0000' OR 1=1--"],
  ['10k characters', "' OR 1=1 -- ".repeat(834).slice(0, 10_000)],
  ['unicode look-alikes', "Ω' OR 'ñ'='ñ ＇ OR １=１ \u202Echeckout 😈"],
];

/** A value no seeded row has, of the same kind as the payloads (free text). */
const HARMLESS = 'no-such-value';

const POSTGRES_ERROR_TEXT = [/syntax error/i, /ERROR:/, /\brelation\b/i, /\bcolumn\b/i, /SQLSTATE/i, /invalid input syntax/i, /invalid byte sequence/i, /unterminated/i, /prisma/i, /\$argon2/];

let routes: Map<string, Handler>;

beforeAll(async () => {
  routes = new Map();
  for (const file of routeFiles(API)) {
    const mod = (await import(file)) as Record<string, unknown>;
    if (typeof mod.GET === 'function') routes.set(getKeyOf(file), mod.GET as Handler);
  }
  ROUTES['GET /api/runbooks/:id/diff']!.params = { id: runbookId };
});

function request(key: string, filter: { param: string; value: string } | null) {
  const entry = ROUTES[key]!;
  const params = { ...entry.params };
  const query = new URLSearchParams(entry.base);
  if (filter && filter.param in params) params[filter.param] = filter.value;
  else if (filter) query.set(filter.param, filter.value);
  const path = key.slice('GET '.length).replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const qs = query.toString();
  return callRoute(routes.get(key)!, { path: qs ? `${path}?${qs}` : path, params, headers: keys[entry.caller] });
}

/** Rows in an answer: every element of every array in it, however nested. */
function rowCount(json: unknown): number {
  if (Array.isArray(json)) return json.length + json.reduce((n: number, item) => n + rowCount(item), 0);
  if (json && typeof json === 'object') return Object.values(json).reduce((n: number, v) => n + rowCount(v), 0);
  return 0;
}

describe('filter table', () => {
  it('lists every GET route under app/api that takes query parameters, and each of its query and path parameters', () => {
    const problems: string[] = [];
    for (const [key, handler] of routes) {
      const schemas = schemasOf.get(handler);
      if (!schemas) throw new Error(`${key} does not go through defineRoute: add it to app/api/security.int.test.ts by hand`);
      if (!schemas.query) continue;
      const entry = ROUTES[key];
      if (!entry) {
        problems.push(`${key}: takes query parameters but has no row in ROUTES`);
        continue;
      }
      for (const param of keysOf(schemas.query)) if (!entry.query.includes(param)) problems.push(`${key}: query parameter "${param}" is not listed`);
      for (const param of schemas.params ? keysOf(schemas.params) : []) if (!(param in (entry.params ?? {}))) problems.push(`${key}: path parameter ":${param}" is not listed`);
    }
    for (const key of Object.keys(ROUTES)) if (!routes.has(key)) problems.push(`${key}: in ROUTES but no app/api/**/route.ts exports it`);
    expect(problems, `Update ROUTES in app/api/security.int.test.ts:\n  ${problems.join('\n  ')}`).toEqual([]);
  });

  it.each(Object.keys(ROUTES))('%s answers 200 without a payload', async (key) => {
    const res = await request(key, null);
    expect(res.status, res.text).toBe(200);
  });

  const controls = Object.entries(ROUTES).flatMap(([key, entry]) => Object.entries(entry.matches ?? {}).map(([param, value]) => [`${key} ${param}=${value}`, key, param, value] as const));
  it.each(controls)('%s finds seeded rows that a non-matching value does not (the filter is live)', async (_name, key, param, value) => {
    const matching = await request(key, { param, value });
    const harmless = await request(key, { param, value: HARMLESS });
    expect([matching.status, harmless.status], `${matching.text.slice(0, 300)}\n${harmless.text.slice(0, 300)}`).toEqual([200, 200]);
    expect(rowCount(matching.json)).toBeGreaterThan(rowCount(harmless.json));
  });
});

describe('SQL injection through every filter parameter', () => {
  const baselines = new Map<string, number>();
  async function baseline(key: string, param: string): Promise<number> {
    const id = `${key} ${param}`;
    if (!baselines.has(id)) {
      const res = await request(key, { param, value: HARMLESS });
      expect(res.status, res.text).toBeLessThan(500);
      baselines.set(id, res.status === 200 ? rowCount(res.json) : 0);
    }
    return baselines.get(id)!;
  }

  async function attack(key: string, param: string, payload: string): Promise<void> {
    const res = await request(key, { param, value: payload });
    const why = `${key} ?${param}=${JSON.stringify(payload.slice(0, 60))}: ${res.status} ${res.text.slice(0, 300)}`;
    expect(res.status, why).toBeLessThan(500);
    expect([200, 400, 404], why).toContain(res.status);
    for (const pattern of POSTGRES_ERROR_TEXT) expect(res.text, `${why}\n(database error text ${pattern})`).not.toMatch(pattern);
    for (const secret of storedSecrets) expect(res.text.includes(secret), `${why}\n(a stored hash is in the answer)`).toBe(false);
    expect(res.status === 200 ? rowCount(res.json) : 0, `${why}\n(more rows than a harmless non-matching value)`).toBeLessThanOrEqual(await baseline(key, param));
  }

  const cells = Object.entries(ROUTES).flatMap(([key, entry]) =>
    [...entry.query, ...Object.keys(entry.params ?? {})].flatMap((param) => PAYLOADS.map(([label, payload]) => ({ name: `${key} ${param} ${label}`, key, param, payload }))),
  );
  const rows = (list: typeof cells) => list.map((c) => [c.name, c] as const);
  it.each(rows(cells))('%s', (_name, c) => attack(c.key, c.param, c.payload));

  it('finds no trace for /api/traces?service=\' OR \'1\'=\'1 (while checkout has one)', async () => {
    const injected = await request('GET /api/traces', { param: 'service', value: "' OR '1'='1" });
    expect(injected.status).toBe(200);
    expect((injected.json as { traces: unknown[] }).traces).toEqual([]);
    const real = await request('GET /api/traces', { param: 'service', value: 'checkout' });
    expect((real.json as { traces: unknown[] }).traces).toHaveLength(1);
  });
});

describe('after the injections', () => {
  it('still has the users and api_keys tables, with every row, and the keys still work', async () => {
    const { rows } = await pool().query<{ users: string | null; keys: string | null }>(`SELECT to_regclass('public.users')::text AS users, to_regclass('public.api_keys')::text AS keys`);
    expect(rows[0]).toEqual({ users: 'users', keys: 'api_keys' });
    expect(await countUsersAndKeys()).toEqual(rowsBefore);
    expect(rowsBefore.users).toBeGreaterThan(0);
    for (const caller of ['read', 'admin'] as const) expect((await callRoute(meRoute.GET, { headers: keys[caller] })).status).toBe(200);
    expect((await callRoute(meRoute.GET, { cookie: adminCookie })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// b. Session fixation and logout
// ---------------------------------------------------------------------------------------------

describe('session fixation', () => {
  const email = 'fixation@security.test';
  beforeAll(() => createUserAsSystem({ email, role: 'viewer', password: PASSWORD }));

  it('issues a fresh token instead of the one presented on the login request, and the planted one never becomes valid', async () => {
    const planted = randomBytes(32).toString('base64url');
    const issued = await signIn(email, PASSWORD, '192.0.2.10', `${SESSION_COOKIE}=${planted}`);
    expect(tokenOf(issued)).not.toBe(planted);
    expect((await callRoute(meRoute.GET, { cookie: issued })).json).toMatchObject({ label: email });
    expect((await callRoute(meRoute.GET, { cookie: `${SESSION_COOKIE}=${planted}` })).status).toBe(401);
    pageCookie.token = planted;
    expect(await currentPageUser()).toBeNull();
  });

  it("does not adopt another user's live session presented on login", async () => {
    const attackers = await signIn(ADMIN_EMAIL, PASSWORD, '192.0.2.11');
    const victims = await signIn(email, PASSWORD, '192.0.2.11', attackers);
    expect(tokenOf(victims)).not.toBe(tokenOf(attackers));
    expect((await callRoute(meRoute.GET, { cookie: victims })).json).toMatchObject({ label: email, role: 'viewer' });
    expect((await callRoute(meRoute.GET, { cookie: attackers })).json).toMatchObject({ label: ADMIN_EMAIL });
  });

  it('issues a distinct, high-entropy token on every login', async () => {
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push(tokenOf(await signIn(email, PASSWORD, '192.0.2.12')));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });
});

describe('logout', () => {
  const email = 'logout@security.test';
  beforeAll(() => createUserAsSystem({ email, role: 'responder', password: PASSWORD }));

  it('ends the session on the server: the old cookie gets 401 from the API and no page session', async () => {
    const cookie = await signIn(email, PASSWORD, '192.0.2.20');
    pageCookie.token = tokenOf(cookie);
    expect(await currentPageUser()).toMatchObject({ email });

    const out = await callRoute(logoutRoute.POST, { method: 'POST', cookie, headers: SAME_ORIGIN });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));

    const me = await callRoute(meRoute.GET, { cookie });
    expect(me.status).toBe(401);
    expect(me.json).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await currentPageUser()).toBeNull();
    // A page sends the visitor to the login page.
    await expect(requirePageUser()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/) });
    const { rowCount: left } = await pool().query(`SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [email]);
    expect(left).toBe(0);
  });

  it('is harmless twice, and without any cookie', async () => {
    const cookie = await signIn(email, PASSWORD, '192.0.2.21');
    for (const sent of [cookie, cookie, undefined, `${SESSION_COOKIE}=not-a-session`]) {
      const out = await callRoute(logoutRoute.POST, { method: 'POST', cookie: sent, headers: SAME_ORIGIN });
      expect(out.status, out.text).toBe(200);
      expect(out.json).toEqual({ ok: true });
    }
    expect((await callRoute(meRoute.GET, { cookie })).status).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------
// c. The login rate limit, through POST /api/auth/login
// ---------------------------------------------------------------------------------------------

describe('login rate limit over HTTP', () => {
  const login = (email: string, password: string, ip: string) =>
    callRoute(loginRoute.POST, { method: 'POST', headers: { ...SAME_ORIGIN, 'x-forwarded-for': ip }, body: { email, password } });
  /** The answer without its request id, which differs per request by design. */
  const answer = (res: Awaited<ReturnType<typeof login>>) => {
    const { error } = res.json as { error: Record<string, unknown> };
    const { requestId: _requestId, ...rest } = error;
    return { status: res.status, body: rest, wwwAuthenticate: res.headers.get('www-authenticate'), retryAfter: res.headers.get('retry-after'), cookie: res.headers.get('set-cookie') };
  };

  it('refuses even the right password once an e-mail has had its failures, whatever address the attempts claim', async () => {
    const email = 'locked@security.test';
    await createUserAsSystem({ email, role: 'viewer', password: PASSWORD });
    const max = env().LOGIN_MAX_FAILURES_PER_EMAIL;
    for (let i = 0; i < max; i++) {
      // Each attempt claims another client address: the per-e-mail count must not care.
      const res = await login(email, `wrong-${i}`, `198.51.100.${i + 1}`);
      expect(res.status, res.text).toBe(401);
    }
    const refused = await login(email, PASSWORD, '198.51.100.200');
    expect(refused.status).toBe(429);
    expect(answer(refused)).toEqual({
      status: 429,
      body: { code: 'too_many_requests', message: 'Too many failed sign-in attempts: wait a few minutes and try again' },
      wwwAuthenticate: null,
      retryAfter: String(env().LOGIN_WINDOW_MINUTES * 60),
      cookie: null,
    });
    // Upper case and spaces are the same e-mail, not a fresh allowance.
    expect((await login(`  ${email.toUpperCase()} `, PASSWORD, '198.51.100.201')).status).toBe(429);
  });

  it('gives an unknown e-mail, a wrong password and a disabled account the same answer', async () => {
    const email = 'same-answer@security.test';
    const disabled = 'disabled@security.test';
    await createUserAsSystem({ email, role: 'viewer', password: PASSWORD });
    const user = await createUserAsSystem({ email: disabled, role: 'viewer', password: PASSWORD });
    await updateUser({ actor: system, id: user.id, input: { disabled: true } });

    const wrong = answer(await login(email, 'not-the-password', '203.0.113.1'));
    const unknown = answer(await login('nobody@security.test', 'not-the-password', '203.0.113.1'));
    const off = answer(await login(disabled, PASSWORD, '203.0.113.1'));
    expect(wrong).toEqual({
      status: 401,
      body: { code: 'unauthorized', message: 'Invalid e-mail or password' },
      wwwAuthenticate: 'Bearer realm="faultline"',
      retryAfter: null,
      cookie: null,
    });
    expect(unknown).toEqual(wrong);
    expect(off).toEqual(wrong);
  });

  it('locks out an unknown e-mail exactly like a known one, so the lockout does not reveal accounts', async () => {
    const known = 'known-lock@security.test';
    await createUserAsSystem({ email: known, role: 'viewer', password: PASSWORD });
    const max = env().LOGIN_MAX_FAILURES_PER_EMAIL;
    const finalAnswers = [];
    for (const email of [known, 'unknown-lock@security.test']) {
      for (let i = 0; i < max; i++) expect((await login(email, `wrong-${i}`, '203.0.113.50')).status).toBe(401);
      finalAnswers.push(answer(await login(email, PASSWORD, '203.0.113.51')));
    }
    expect(finalAnswers[0]).toMatchObject({ status: 429 });
    expect(finalAnswers[1]).toEqual(finalAnswers[0]);
  });
});

// ---------------------------------------------------------------------------------------------
// d. API keys, passwords and session tokens are stored only as hashes
// ---------------------------------------------------------------------------------------------

/** Every column of the public and telemetry schemas that can hold text: text, varchar, json(b) and text arrays. */
async function textColumns(): Promise<Array<{ schema: string; table: string; column: string }>> {
  const { rows } = await pool().query<{ schema: string; table: string; column: string }>(
    `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema IN ('public', 'telemetry')
        AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'USER-DEFINED')
             OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar', '_bpchar')))
      ORDER BY 1, 2, 3`,
  );
  return rows;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `schema.table.column` of every text column holding `needle`. */
async function columnsHolding(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const { schema, table, column } of await textColumns()) {
    const { rowCount: hits } = await pool().query(
      `SELECT 1 FROM ${quoteIdent(schema)}.${quoteIdent(table)} WHERE strpos(${quoteIdent(column)}::text, $1) > 0 LIMIT 1`,
      [needle],
    );
    if (hits) found.push(`${schema}.${table}.${column}`);
  }
  return found;
}

describe('secrets at rest', () => {
  interface Created {
    key: string;
    apiKey: { id: string; prefix: string };
  }
  const created: Created[] = [];
  const newPassword = `Pw-${randomBytes(12).toString('base64url')}-at-rest`;
  const newEmail = 'secret-keeper@security.test';
  let newSession: string;

  beforeAll(async () => {
    for (const scopes of [['ingest'], ['read'], ['admin'], ['ingest', 'read', 'admin']]) {
      const res = await callRoute(apiKeysRoute.POST, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN, body: { name: `at-rest ${scopes.join('+')}`, scopes } });
      expect(res.status, res.text).toBe(201);
      created.push(res.json as Created);
    }
    const user = await callRoute(usersRoute.POST, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN, body: { email: newEmail, name: 'Secret Keeper', role: 'editor', password: newPassword } });
    expect(user.status, user.text).toBe(201);
    newSession = tokenOf(await signIn(newEmail, newPassword, '192.0.2.40'));
    // A failed attempt too: the login_attempts table must not keep what was typed.
    expect((await callRoute(loginRoute.POST, { method: 'POST', headers: { ...SAME_ORIGIN, 'x-forwarded-for': '192.0.2.41' }, body: { email: newEmail, password: `${newPassword}-typo` } })).status).toBe(401);
  });

  it('finds what it looks for: the scan reaches the key table (control)', async () => {
    const { key, apiKey } = created[0]!;
    expect(await columnsHolding(apiKey.prefix)).toContain('public.api_keys.prefix');
    const { rows } = await pool().query<{ key_hash: string }>(`SELECT key_hash FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(await columnsHolding(rows[0]!.key_hash)).toEqual(['public.api_keys.key_hash']);
    expect(rows[0]!.key_hash).not.toContain(key.slice(4));
    expect((await textColumns()).map((c) => `${c.schema}.${c.table}.${c.column}`)).toEqual(expect.arrayContaining(['public.audit_log.details', 'public.users.password_hash', 'telemetry.spans.attributes']));
  });

  it.each([0, 1, 2, 3])('never stores API key %i, its secret part or a long piece of it, in any column', async (i) => {
    const { key } = created[i]!;
    const secret = key.slice('flk_'.length);
    for (const needle of [key, secret, secret.slice(-24), secret.slice(8, 32)]) expect(await columnsHolding(needle), needle).toEqual([]);
  });

  it('never stores a password (the account password or a mistyped one), only an argon2id hash', async () => {
    expect(await columnsHolding(newPassword)).toEqual([]);
    expect(await columnsHolding(`${newPassword}-typo`)).toEqual([]);
    const { rows } = await pool().query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = $1`, [newEmail]);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    const audit = await pool().query<{ details: unknown }>(`SELECT details FROM audit_log WHERE action = 'user.create'`);
    expect(JSON.stringify(audit.rows)).toContain(newEmail);
    expect(JSON.stringify(audit.rows)).not.toContain(newPassword);
  });

  it('never stores a session token, only its hash', async () => {
    expect(await columnsHolding(newSession)).toEqual([]);
    expect(await columnsHolding(tokenOf(adminCookie))).toEqual([]);
  });

  it('never answers with a key, its secret or a stored hash in the key list, the user list or the audit log', async () => {
    const { rows } = await pool().query<{ secret: string }>(`SELECT key_hash AS secret FROM api_keys UNION ALL SELECT password_hash FROM users UNION ALL SELECT id FROM sessions`);
    for (const [route, path] of [
      [apiKeysRoute.GET, '/api/api-keys'],
      [usersRoute.GET, '/api/users'],
      [auditRoute.GET, '/api/audit?limit=500'],
    ] as const) {
      const res = await callRoute(route, { path, cookie: adminCookie });
      expect(res.status).toBe(200);
      for (const { key } of created) {
        expect(res.text, `${path} carries a key`).not.toContain(key.slice('flk_'.length));
      }
      for (const { secret } of rows) expect(res.text.includes(secret), `${path} carries a stored hash`).toBe(false);
      expect(res.text, path).not.toContain(newPassword);
      expect(res.text, path).not.toMatch(/key_?hash|password_?hash/i);
    }
    const list = (await callRoute(apiKeysRoute.GET, { cookie: adminCookie })).json as Array<Record<string, unknown>>;
    for (const item of list) expect(Object.keys(item).sort()).toEqual(['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes']);
  });
});

// ---------------------------------------------------------------------------------------------
// e. Security headers the handlers set themselves (the rest come from next.config.ts: e2e)
// ---------------------------------------------------------------------------------------------

describe('headers set in-process', () => {
  it('marks the one response that carries a clear key as not storable', async () => {
    const res = await callRoute(apiKeysRoute.POST, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN, body: { name: 'headers', scopes: ['read'] } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, Secure behind a trusted https proxy, and never readable by script', async () => {
    const email = 'cookie@security.test';
    await createUserAsSystem({ email, role: 'viewer', password: PASSWORD });
    const plain = await callRoute(loginRoute.POST, { method: 'POST', headers: { ...SAME_ORIGIN, 'x-forwarded-for': '192.0.2.50' }, body: { email, password: PASSWORD } });
    const attributes = (plain.headers.get('set-cookie') ?? '').split(/;\s*/).slice(1);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
    expect(attributes).not.toContain('Secure');

    process.env.TRUST_PROXY = 'true';
    resetEnv();
    try {
      const https = await callRoute(loginRoute.POST, {
        method: 'POST',
        headers: { ...SAME_ORIGIN, 'x-forwarded-for': '192.0.2.51', 'x-forwarded-proto': 'https' },
        body: { email, password: PASSWORD },
      });
      expect((https.headers.get('set-cookie') ?? '').split(/;\s*/)).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Secure']));
    } finally {
      delete process.env.TRUST_PROXY;
      resetEnv();
    }
  });

  it('answers 401 with a Bearer challenge and JSON, never a page', async () => {
    const res = await callRoute(meRoute.GET);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="faultline"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
