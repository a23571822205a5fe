import { env } from '@/lib/config/env';

/**
 * The client's address. scripts/serve.mjs rewrites X-Forwarded-For: to the socket's address, or
 * behind TRUST_PROXY=n proxies to the chain they built plus the socket. Each proxy appends the
 * address it saw, so the client is the entry n places from the end: whatever the client itself
 * put at the front is never believed.
 */
export function clientIp(headers: Headers): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = forwarded[Math.max(0, forwarded.length - 1 - env().TRUST_PROXY)];
  return ip || headers.get('x-real-ip') || 'unknown';
}

/** Whether the request reached us over https, directly or through a proxy we trust. */
export function isHttps(url: string, headers: Headers): boolean {
  if (env().TRUST_PROXY > 0 && headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return url.startsWith('https:');
}
