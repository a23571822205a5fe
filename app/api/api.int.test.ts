// The JSON API through its real route handlers: authentication, CSRF, roles, validation, health.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '@/lib/auth/api-keys';
import { createUserAsSystem } from '@/lib/auth/users';
import { callRoute, SAME_ORIGIN } from '@/lib/http/testing';
import * as apiKeyById from './api-keys/[id]/route';
import * as apiKeys from './api-keys/route';
import * as login from './auth/login/route';
import * as logout from './auth/logout/route';
import * as me from './auth/me/route';
import * as live from './health/live/route';
import * as ready from './health/ready/route';
import * as userById from './users/[id]/route';
import * as users from './users/route';

const PASSWORD = 'a-long-enough-password';
const system = { kind: 'system', name: 'test' } as const;

async function signIn(email: string): Promise<string> {
  const res = await callRoute(login.POST, { method: 'POST', headers: SAME_ORIGIN, body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  return setCookie.split(';')[0]!;
}

let adminCookie: string;
let viewerCookie: string;

beforeAll(async () => {
  await createUserAsSystem({ email: 'admin@api.test', role: 'admin', password: PASSWORD });
  await createUserAsSystem({ email: 'viewer@api.test', role: 'viewer', password: PASSWORD });
  adminCookie = await signIn('admin@api.test');
  viewerCookie = await signIn('viewer@api.test');
});

describe('health', () => {
  it('answers live and ready in application/health+json', async () => {
    const l = await callRoute(live.GET);
    expect(l.status).toBe(200);
    expect(l.headers.get('content-type')).toBe('application/health+json');
    expect(l.json).toMatchObject({ status: 'pass' });
    const r = await callRoute(ready.GET);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      status: 'pass',
      checks: { 'postgres:responseTime': [{ status: 'pass' }], 'postgres:migrations': [{ status: 'pass' }] },
    });
  });
});

describe('authentication', () => {
  it('refuses anonymous callers with 401', async () => {
    expect((await callRoute(me.GET)).status).toBe(401);
    expect((await callRoute(users.GET)).status).toBe(401);
  });

  it('refuses unknown or malformed API keys with 401 rather than treating them as anonymous', async () => {
    expect((await callRoute(me.GET, { headers: { authorization: 'Bearer flk_nope' } })).status).toBe(401);
    expect((await callRoute(me.GET, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('ends the session on logout', async () => {
    const cookie = await signIn('viewer@api.test');
    expect((await callRoute(me.GET, { cookie })).status).toBe(200);
    const out = await callRoute(logout.POST, { method: 'POST', cookie, headers: SAME_ORIGIN });
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await callRoute(me.GET, { cookie })).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses cookie-authenticated writes without a same-origin Origin', async () => {
    const body = { name: 'x', scopes: ['read'] };
    expect((await callRoute(apiKeys.POST, { method: 'POST', cookie: adminCookie, body })).status).toBe(403);
    const cross = await callRoute(apiKeys.POST, { method: 'POST', cookie: adminCookie, body, headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(cross.json).toMatchObject({ error: { message: expect.stringMatching(/Cross-site/) } });
    const fetchSite = await callRoute(apiKeys.POST, { method: 'POST', cookie: adminCookie, body, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchSite.status).toBe(403);
    expect((await callRoute(apiKeys.POST, { method: 'POST', cookie: adminCookie, body, headers: SAME_ORIGIN })).status).toBe(201);
  });

  it('refuses a cross-site login', async () => {
    const res = await callRoute(login.POST, { method: 'POST', headers: { origin: 'https://evil.example' }, body: { email: 'admin@api.test', password: PASSWORD } });
    expect(res.status).toBe(403);
  });
});

describe('roles and scopes', () => {
  it('refuses admin actions to a viewer with 403 from the server', async () => {
    const list = await callRoute(users.GET, { cookie: viewerCookie });
    expect(list.status).toBe(403);
    const create = await callRoute(apiKeys.POST, { method: 'POST', cookie: viewerCookie, headers: SAME_ORIGIN, body: { name: 'x', scopes: ['ingest'] } });
    expect(create.status).toBe(403);
    expect(create.json).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('lets a read key read and refuses it admin actions; an admin key may administer', async () => {
    const read = await createApiKey({ actor: system, input: { name: 'reader', scopes: ['read'] } });
    const admin = await createApiKey({ actor: system, input: { name: 'automation', scopes: ['admin'] } });
    const ingest = await createApiKey({ actor: system, input: { name: 'fleet', scopes: ['ingest'] } });
    expect((await callRoute(me.GET, { headers: { authorization: `Bearer ${read.key}` } })).json).toMatchObject({ kind: 'api_key', scopes: ['read'] });
    expect((await callRoute(users.GET, { headers: { authorization: `Bearer ${read.key}` } })).status).toBe(403);
    expect((await callRoute(me.GET, { headers: { authorization: `Bearer ${ingest.key}` } })).status).toBe(403);
    // Keys need no Origin: they are not sent by browsers automatically, so CSRF does not apply.
    const created = await callRoute(apiKeys.POST, { method: 'POST', headers: { authorization: `Bearer ${admin.key}` }, body: { name: 'made-by-key', scopes: ['read'] } });
    expect(created.status).toBe(201);
  });

  it('stops accepting a key as soon as it is revoked', async () => {
    const made = await callRoute(apiKeys.POST, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN, body: { name: 'short-lived', scopes: ['read'] } });
    const { key, apiKey } = made.json as { key: string; apiKey: { id: string } };
    expect((await callRoute(me.GET, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    const revoked = await callRoute(apiKeyById.DELETE, { method: 'DELETE', cookie: adminCookie, headers: SAME_ORIGIN, params: { id: apiKey.id } });
    expect(revoked.json).toMatchObject({ revokedAt: expect.any(String) });
    expect((await callRoute(me.GET, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });
});

describe('validation', () => {
  it('names the bad field', async () => {
    const res = await callRoute(users.POST, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN, body: { email: 'not-an-email', role: 'root', password: 'x' } });
    expect(res.status).toBe(400);
    const message = (res.json as { error: { message: string } }).error.message;
    expect(message).toMatch(/body\.email/);
    expect(message).toMatch(/body\.role/);
    expect(message).toMatch(/body\.password/);
  });

  it('answers 415 for a non-JSON body and 400 for malformed JSON', async () => {
    expect((await callRoute(users.POST, { method: 'POST', cookie: adminCookie, headers: { ...SAME_ORIGIN, 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
    const bad = await callRoute(users.POST, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN, body: '{"email":' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { message: expect.stringMatching(/not valid JSON/) } });
  });

  it('names a malformed path parameter', async () => {
    const res = await callRoute(userById.PATCH, { method: 'PATCH', cookie: adminCookie, headers: SAME_ORIGIN, params: { id: 'abc' }, body: { role: 'viewer' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { message: expect.stringMatching(/params\.id/) } });
  });
});
