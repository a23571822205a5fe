import { randomUUID } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { ZodError, type z } from 'zod';
import { authenticateApiKey, bearerToken } from '@/lib/auth/api-keys';
import { requirePermission } from '@/lib/auth/guard';
import type { Actor, Permission } from '@/lib/auth/permissions';
import { resolveSession, SESSION_COOKIE } from '@/lib/auth/sessions';
import { logger } from '@/lib/log/logger';
import { clientIp } from './client-ip';
import { AppError, badRequest, describeZodError, forbidden, isDatabaseUnavailable, unauthorized, unsupportedMediaType } from './errors';

/** Who may call a route: anyone, or an actor holding a permission (session or API key). */
export type Access = { public: true } | { permission: Permission };

export interface RouteContext<Q, B> {
  req: NextRequest;
  actor: Actor;
  query: Q;
  body: B;
  params: Record<string, string>;
  requestId: string;
  ip: string;
  log: ReturnType<typeof logger>;
}

interface RouteDefinition<QS extends z.ZodType | undefined, BS extends z.ZodType | undefined> {
  access: Access;
  /** Schema for the dynamic path segments, e.g. z.object({ id: Uuid }). */
  params?: z.ZodType<Record<string, string>>;
  query?: QS;
  body?: BS;
  /** Largest JSON body accepted, in bytes. */
  maxBodyBytes?: number;
  handler: (
    ctx: RouteContext<QS extends z.ZodType ? z.infer<QS> : undefined, BS extends z.ZodType ? z.infer<BS> : undefined>,
  ) => Promise<Response | unknown>;
}

const PUBLIC_ACTOR: Actor = { kind: 'system', name: 'anonymous' };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the caller from a Bearer API key or the session cookie. A bad key is a 401, not "anonymous". */
export async function authenticate(req: NextRequest): Promise<Actor | null> {
  const token = bearerToken(req.headers.get('authorization'));
  if (token !== null) {
    if (!token) throw unauthorized('Authorization header must be "Bearer <api key>"');
    const key = await authenticateApiKey(token);
    if (!key) throw unauthorized('API key is unknown or revoked');
    return key;
  }
  return resolveSession(req.cookies.get(SESSION_COOKIE)?.value);
}

/**
 * Cookie-authenticated state changes must come from our own pages. SameSite=Lax already keeps the
 * cookie off cross-site POSTs; checking Origin (or Sec-Fetch-Site) also covers older browsers and
 * same-site subdomains.
 */
export function assertSameOrigin(req: NextRequest): void {
  const fetchSite = req.headers.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') throw forbidden('Cross-site request refused');
  const origin = req.headers.get('origin');
  if (!origin) {
    if (!fetchSite) throw forbidden('Request refused: no Origin header on a state-changing request');
    return;
  }
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden('Cross-site request refused: bad Origin header');
  }
  if (originHost !== host) throw forbidden('Cross-site request refused');
}

async function readJsonBody(req: NextRequest, maxBytes: number): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw unsupportedMediaType('Content-Type must be application/json');
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError(413, 'payload_too_large', `Body is larger than ${maxBytes} bytes`);
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError(413, 'payload_too_large', `Body is larger than ${maxBytes} bytes`);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`body: not valid JSON (${(err as Error).message})`);
  }
}

export function errorResponse(err: unknown, requestId: string, log: ReturnType<typeof logger>): Response {
  let status = 500;
  let code = 'internal';
  let message = `Internal error; quote request id ${requestId} when reporting it`;
  let headers: Record<string, string> = {};
  let extra: Record<string, unknown> = {};
  if (err instanceof AppError) {
    ({ status, code, message, headers, extra } = err);
  } else if (err instanceof ZodError) {
    status = 400;
    code = 'bad_request';
    message = describeZodError(err, 'body');
  } else if (isDatabaseUnavailable(err)) {
    status = 503;
    code = 'unavailable';
    message = 'Database unavailable: retry shortly';
    headers = { 'Retry-After': '5' };
  }
  if (status >= 500) log.error({ err, requestId }, 'request failed');
  return Response.json({ error: { ...extra, code, message, requestId } }, { status, headers: { ...headers, 'x-request-id': requestId } });
}

/**
 * The one wrapper every JSON API route goes through: request id and logging, authentication,
 * CSRF check, permission, zod-validated query and body, and errors mapped to statuses.
 */
export function defineRoute<QS extends z.ZodType | undefined = undefined, BS extends z.ZodType | undefined = undefined>(
  definition: RouteDefinition<QS, BS>,
) {
  return async (req: NextRequest, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    const requestId = req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    const log = logger().child({ requestId });
    const started = performance.now();
    let response: Response;
    try {
      let actor: Actor = PUBLIC_ACTOR;
      if (!('public' in definition.access)) {
        const found = await authenticate(req);
        if (!found) throw unauthorized();
        if (found.kind === 'user' && !SAFE_METHODS.has(req.method)) assertSameOrigin(req);
        requirePermission(found, definition.access.permission);
        actor = found;
      }

      let params = (await context.params) ?? {};
      if (definition.params) {
        const parsed = definition.params.safeParse(params);
        if (!parsed.success) throw badRequest(describeZodError(parsed.error, 'params'));
        params = parsed.data;
      }
      let query: unknown;
      if (definition.query) {
        const parsed = definition.query.safeParse(Object.fromEntries(req.nextUrl.searchParams));
        if (!parsed.success) throw badRequest(describeZodError(parsed.error, 'query'));
        query = parsed.data;
      }
      let body: unknown;
      if (definition.body) {
        const parsed = definition.body.safeParse(await readJsonBody(req, definition.maxBodyBytes ?? 1_000_000));
        if (!parsed.success) throw badRequest(describeZodError(parsed.error, 'body'));
        body = parsed.data;
      }

      const result = await definition.handler({
        req,
        actor,
        query: query as never,
        body: body as never,
        params,
        requestId,
        ip: clientIp(req.headers),
        log,
      });
      response = result instanceof Response ? result : Response.json(result);
      response.headers.set('x-request-id', requestId);
    } catch (err) {
      response = errorResponse(err, requestId, log);
    }
    log.info(
      { method: req.method, path: req.nextUrl.pathname, status: response.status, ms: Math.round(performance.now() - started) },
      'request',
    );
    return response;
  };
}
