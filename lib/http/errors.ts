import type { ZodError } from 'zod';

/** An error whose message is safe to show to the client, with the HTTP status it maps to. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** More for the client beside code and message, e.g. a 409's conflict to merge. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string) => new AppError(400, 'bad_request', message);
export const unauthorized = (message = 'Sign in or send an API key (Authorization: Bearer <key>)') =>
  new AppError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="faultline"' });
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const notFound = (message: string) => new AppError(404, 'not_found', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
export const payloadTooLarge = (message: string) => new AppError(413, 'payload_too_large', message);
export const unsupportedMediaType = (message: string) => new AppError(415, 'unsupported_media_type', message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'too_many_requests', message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
export const unavailable = (message: string, retryAfterSeconds = 5) =>
  new AppError(503, 'unavailable', message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });

/** "body.email: must be an e-mail address; body.password: is required" */
export function describeZodError(error: ZodError, where: string): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');
}

export function invalidInput(error: ZodError, where: 'body' | 'query' | 'params'): AppError {
  return badRequest(describeZodError(error, where));
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300']);

/** Database unreachable or overloaded: the client should retry, not give up. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  if (e.code && CONNECTION_ERROR_CODES.has(e.code)) return true;
  if (e.name === 'DatabaseNotConfiguredError') return true;
  if (typeof e.message === 'string' && /timeout exceeded when trying to connect|Connection terminated/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isDatabaseUnavailable(e.cause);
}
