// One active probe: an HTTP request with its own timeout, classified into pass/warn/fail with a
// reason a responder can act on (timeout, refused, DNS, wrong status, the body says fail).
import { TaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import type { ProbeTargetRow } from '@/lib/db/probe-targets';
import { HealthDocument, type ProbeResult } from '@/lib/schemas/probes';
import { HEALTH_JSON, healthDocumentToResults } from './health-document';

/** Health documents are small; anything bigger is read no further. */
const MAX_BODY_BYTES = 1_000_000;

export type ProbeTarget = Pick<ProbeTargetRow, 'id' | 'name' | 'service' | 'url' | 'method' | 'timeoutMs' | 'expectedStatus' | 'parseHealthJson'>;

async function readBody(response: Response, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (!signal.aborted) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the target',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the target',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
};

/** Why a request never got a response, in words (fetch wraps the socket error in `cause`). */
export function describeRequestFailure(err: unknown, target: ProbeTarget): string {
  // instanceof, not cockatiel 3's isTaskCancelledError(), which tests for the bulkhead error's marker.
  if (err instanceof TaskCancelledError) return `timeout: no complete response within ${target.timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string; hostname?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return `DNS lookup failed for ${new URL(target.url).hostname} (${code})`;
  }
  if (code && CONNECT_ERRORS[code]) return `${CONNECT_ERRORS[code]} (${code})`;
  if (code && /CERT|SSL|TLS/i.test(code)) return `TLS error: ${cause?.message ?? code}`;
  return `request failed: ${cause?.message ?? (err as Error).message ?? String(err)}`;
}

/**
 * Probes a target once. Never throws: every outcome is a result. With "parse health+json" the
 * document's status decides the outcome and each of its checks becomes a dependency result.
 */
export async function checkProbeTarget(target: ProbeTarget, now: () => Date = () => new Date()): Promise<ProbeResult[]> {
  const checkedAt = now();
  const started = performance.now();
  const base = { service: target.service, target: target.name, checkedAt, dependency: null, observedValue: null, source: 'active' as const, probeTargetId: target.id };
  const fail = (message: string, kind: ProbeResult['kind'] = 'synthetic'): ProbeResult[] => [
    { ...base, kind, status: 'fail', latencyMs: Math.round(performance.now() - started), message },
  ];

  let status: number;
  let body: string;
  try {
    // Aggressive: the result is "timeout" at the deadline even if the target trickles bytes.
    ({ status, body } = await timeout(target.timeoutMs, TimeoutStrategy.Aggressive).execute(async ({ signal }) => {
      const response = await fetch(target.url, {
        method: target.method,
        signal,
        redirect: 'manual',
        headers: { 'user-agent': 'faultline-prober', accept: target.parseHealthJson ? `${HEALTH_JSON}, application/json` : '*/*' },
      });
      return { status: response.status, body: target.method === 'HEAD' ? '' : await readBody(response, signal) };
    }));
  } catch (err) {
    return fail(describeRequestFailure(err, target), target.parseHealthJson ? 'readiness' : 'synthetic');
  }
  const latencyMs = Math.round(performance.now() - started);
  const wrongStatus = status !== target.expectedStatus ? `expected HTTP ${target.expectedStatus}, got ${status}` : null;

  if (!target.parseHealthJson) {
    return [{ ...base, kind: 'synthetic', status: wrongStatus ? 'fail' : 'pass', latencyMs, message: wrongStatus }];
  }
  let doc: HealthDocument;
  try {
    const parsed = HealthDocument.safeParse(JSON.parse(body));
    if (!parsed.success) return fail(`${wrongStatus ? `${wrongStatus}; ` : ''}body is not a health+json document (${parsed.error.issues[0]?.message})`, 'readiness');
    doc = parsed.data;
  } catch {
    return fail(`${wrongStatus ? `${wrongStatus}; ` : ''}body is not JSON`, 'readiness');
  }
  const results = healthDocumentToResults(doc, { service: target.service, target: target.name, checkedAt, latencyMs, source: 'active', probeTargetId: target.id });
  if (wrongStatus) {
    const own = results[0]!;
    own.status = 'fail';
    own.message = own.message ? `${wrongStatus}; ${own.message}` : wrongStatus;
  }
  return results;
}
