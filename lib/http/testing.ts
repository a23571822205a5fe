import { NextRequest } from 'next/server';
import { createApiKey } from '@/lib/auth/api-keys';
import { login } from '@/lib/auth/login';
import { createUserAsSystem } from '@/lib/auth/users';
import type { ApiKeyScope, Role } from '@/lib/schemas/auth';
import { SESSION_COOKIE } from '@/lib/auth/sessions';

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler in-process the way Next would, for integration tests. */
export async function callRoute(
  handler: Handler,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: unknown;
    params?: Record<string, string>;
    cookie?: string;
  } = {},
): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
  const headers = new Headers({ host: 'localhost:3000', ...options.headers });
  if (options.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (options.cookie) headers.set('cookie', options.cookie);
  const req = new NextRequest(new URL(options.path ?? '/', 'http://localhost:3000'), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const response = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export const SAME_ORIGIN = { origin: 'http://localhost:3000' } as const;

/** An `Authorization` header with a new API key of this scope, created as the system (tests). */
export async function apiKeyHeader(scope: ApiKeyScope): Promise<Record<string, string>> {
  const { key } = await createApiKey({ actor: { kind: 'system', name: 'test' }, input: { name: `test ${scope}`, scopes: [scope] } });
  return { authorization: `Bearer ${key}` };
}

/** A `Cookie` value signing in a new user of this role (created as the system), for integration tests. */
export async function signedInCookie(role: Role, email = `${role}-${Math.random().toString(36).slice(2, 8)}@test.local`): Promise<string> {
  const password = 'a-long-enough-password';
  await createUserAsSystem({ email, role, password });
  const { token } = await login({ input: { email, password }, ip: '127.0.0.1' });
  return `${SESSION_COOKIE}=${token}`;
}
