// The Content-Security-Policy of every page. Scripts run only with the per-request nonce (Next
// puts it on its own scripts) and whatever those load ('strict-dynamic'): an injected <script> or
// event handler does not run even if it ever reached the HTML. Styles allow inline because the
// chart and graph libraries position elements with style attributes; a style cannot run code.
// Images, fetches and fonts stay on this origin, so a runbook cannot beacon out to a tracker.

export function contentSecurityPolicy(nonce: string, { development = false }: { development?: boolean } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // React's development build evaluates code for its debugging aids; production never does.
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(development ? ['ws:'] : [])],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** A fresh, unguessable nonce for one response. */
export function cspNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}
