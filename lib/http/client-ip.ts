import { env } from '@/lib/config/env';

/**
 * The client's address. scripts/serve.mjs rewrites X-Forwarded-For: to the socket's address, or
 * with TRUST_PROXY=true to the proxy chain plus the socket, whose first entry is the client.
 */
export function clientIp(headers: Headers): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = env().TRUST_PROXY ? forwarded[0] : forwarded.at(-1);
  return ip || headers.get('x-real-ip') || 'unknown';
}

/** Whether the request reached us over https, directly or through a proxy we trust. */
export function isHttps(url: string, headers: Headers): boolean {
  if (env().TRUST_PROXY && headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return url.startsWith('https:');
}
