// Runs before every page (not the APIs or ingest): a fresh CSP nonce per request. Next reads the
// nonce from the request's Content-Security-Policy header and puts it on its own scripts.
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, cspNonce } from '@/lib/http/content-security-policy';

export function proxy(request: NextRequest) {
  const nonce = cspNonce();
  const policy = contentSecurityPolicy(nonce, { development: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // JSON APIs, OTLP ingest and static assets need no page policy (and ingest no extra hop).
  matcher: [
    {
      source: '/((?!api/|v1/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
