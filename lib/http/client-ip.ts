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

/**
 * Whether the request reached us over https, directly or through the proxies we trust. Of an
 * X-Forwarded-Proto chain the outermost trusted proxy's entry counts (n from the end), so a value
 * the client wrote itself in front of an appending proxy is ignored.
 */
export function isHttps(url: string, headers: Headers): boolean {
  const hops = env().TRUST_PROXY;
  if (hops > 0) {
    const protos = (headers.get('x-forwarded-proto') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (protos[Math.max(0, protos.length - hops)] === 'https') return true;
  }
  return url.startsWith('https:');
}
