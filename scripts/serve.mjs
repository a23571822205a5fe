// The HTTP server in front of Next (used by `npm start`, `npm run dev` and the e2e suite).
// It exists so the app learns the client's real address: Next passes a client-sent
// X-Forwarded-For through untouched, which would let anyone dodge per-address login limits.
// Usage: node scripts/serve.mjs start|dev   (HOST, PORT, TRUST_PROXY from the environment)
import { createServer } from 'node:http';
import next from 'next';

const mode = process.argv[2] === 'dev' ? 'dev' : 'start';
const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);
// TRUST_PROXY: true/yes (one proxy) or the number of proxies in front; lib/http/client-ip.ts picks the client from the chain.
const trustProxyValue = (process.env.TRUST_PROXY ?? '').trim().toLowerCase();
const trustProxy = ['true', 'yes'].includes(trustProxyValue) || Number(trustProxyValue) > 0;

const app = next({ dev: mode === 'dev', hostname: host === '0.0.0.0' ? 'localhost' : host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  // Ingest overloaded: refuse an export here, before Next routes it (lib/ingest/otlp-traces.ts installs the check).
  if (req.method === 'POST' && req.url?.startsWith('/v1/traces')) {
    const refusal = globalThis.__faultlineRefuseExport?.(req.headers['content-type'] ?? null);
    if (refusal) {
      // Read (and drop) the body first: answering mid-upload makes Node close the connection,
      // which the exporter sees as a reset instead of a 503 it can honour.
      req.on('end', () => {
        res.writeHead(refusal.status, refusal.headers);
        res.end(refusal.body);
      });
      req.on('error', () => res.destroy());
      req.resume();
      return;
    }
  }
  const peer = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  // Behind a trusted proxy keep its chain and add the hop we saw; otherwise only the socket counts.
  req.headers['x-forwarded-for'] = trustProxy && forwarded ? `${forwarded}, ${peer}` : peer;
  if (!trustProxy) {
    delete req.headers['x-forwarded-proto'];
    delete req.headers['x-forwarded-host'];
  }
  void handle(req, res);
});
server.keepAliveTimeout = 65_000;
// A deep accept queue: under a flood of new connections (an exporter fleet reconnecting at once)
// Node's default of 511 overflows and the kernel drops SYNs, so a health check or a page waits
// out SYN retries (1, 3, 7 s…) before the app even sees it. The kernel caps it at somaxconn.
server.listen({ port, host, backlog: 4096 }, () => {
  process.stdout.write(`[faultline] Listening on http://${host}:${port} (${mode})\n`);
});

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  // Finish in-flight requests, then exit; the launcher escalates to SIGKILL after 10 s.
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 8_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
