import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { authenticateApiKey, bearerToken } from '@/lib/auth/api-keys';
import { can } from '@/lib/auth/permissions';
import { env } from '@/lib/config/env';
import { prepareSpans, writeSpanBatch, type PreparedSpans } from '@/lib/db/spans';
import { isDatabaseUnavailable } from '@/lib/http/errors';
import { logger } from '@/lib/log/logger';
import { decodeTracesJson } from '@/lib/otlp/decode-json';
import { decodeTracesProtobuf } from '@/lib/otlp/decode-protobuf';
import { OtlpDecodeError, type DecodedTraces, type SpanRow } from '@/lib/otlp/span-row';
import { retainedWindow } from './retained-window';
import { encodeExportResponse, encodeStatus, type OtlpEncoding } from './otlp-response';
import { IngestOverloadedError, SpanBatcher } from './span-batcher';

const gunzipAsync = promisify(gunzip);

/** A refusal answered with a google.rpc.Status body in the request's encoding. */
class OtlpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const holder = globalThis as typeof globalThis & { __faultlineSpanBatcher?: SpanBatcher<PreparedSpans>; __faultlineIngestInFlight?: number };

/** The process's one span batcher (kept on globalThis so dev reloads do not make a second). */
export function spanBatcher(): SpanBatcher<PreparedSpans> {
  if (!holder.__faultlineSpanBatcher) {
    const config = env();
    holder.__faultlineSpanBatcher = new SpanBatcher<PreparedSpans>({
      maxQueuedSpans: config.INGEST_MAX_QUEUED_SPANS,
      maxBatchSpans: config.INGEST_BATCH_SPANS,
      writers: config.INGEST_WRITERS,
      maxWaitMs: config.INGEST_MAX_WAIT_MS,
      write: writeSpanBatch,
    });
  }
  return holder.__faultlineSpanBatcher;
}

/** Forget the batcher so the next request builds one from the current configuration (tests). */
export function resetSpanBatcher(): void {
  holder.__faultlineSpanBatcher = undefined;
}

function encodingOf(contentType: string | null): OtlpEncoding | null {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return null;
}

async function authenticateIngest(req: Request): Promise<void> {
  const token = bearerToken(req.headers.get('authorization'));
  if (!token) throw new OtlpRefusal(401, 'missing API key: send "Authorization: Bearer <ingest key>" (OTEL_EXPORTER_OTLP_HEADERS)');
  const key = await authenticateApiKey(token);
  if (!key) throw new OtlpRefusal(401, 'API key is unknown or revoked');
  if (!can(key, 'ingest')) throw new OtlpRefusal(403, `API key "${key.name}" lacks the ingest scope`);
}

/** Reads at most `limit` bytes of the body; refuses (413) as soon as it would exceed it. */
async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limit) throw new OtlpRefusal(413, `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new OtlpRefusal(413, `request body exceeds the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function decompress(req: Request, body: Uint8Array, limit: number): Promise<Uint8Array> {
  const contentEncoding = (req.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (contentEncoding === 'identity' || contentEncoding === '') return body;
  if (contentEncoding !== 'gzip') throw new OtlpRefusal(415, `Content-Encoding "${contentEncoding}" is not supported: use gzip or none`);
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new OtlpRefusal(413, `request body exceeds ${limit} bytes after gzip decompression`);
    }
    throw new OtlpRefusal(400, `body is not valid gzip: ${(err as Error).message}`);
  }
}

function decode(encoding: OtlpEncoding, body: Uint8Array): DecodedTraces {
  try {
    return encoding === 'protobuf' ? decodeTracesProtobuf(body) : decodeTracesJson(new TextDecoder().decode(body));
  } catch (err) {
    if (err instanceof OtlpDecodeError) throw new OtlpRefusal(400, `malformed ExportTraceServiceRequest: ${err.message}`);
    throw err;
  }
}

/** Spans outside the retained window would be dropped at once (or land in no partition): refused. */
function withinRetention(decoded: DecodedTraces, now: number): { spans: SpanRow[]; rejected: number; reasons: string[] } {
  const window = retainedWindow(now);
  const oldest = BigInt(window.oldestMs) * 1_000_000n;
  const newest = BigInt(window.newestMs) * 1_000_000n;
  const spans = decoded.spans.filter((s) => s.startTimeUnixNano >= oldest && s.startTimeUnixNano <= newest);
  const outside = decoded.spans.length - spans.length;
  const reasons = [...decoded.rejectionReasons];
  if (outside > 0) reasons.push(`${outside} span(s) start outside the retained window (${window.describe})`);
  return { spans, rejected: decoded.rejectedSpans + outside, reasons };
}

function otlpHeaders(encoding: OtlpEncoding, retryAfter?: number): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf' };
  if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
  return headers;
}

function respond(encoding: OtlpEncoding, status: number, body: Uint8Array | string, requestId: string, retryAfter?: number): Response {
  return new Response(body as BodyInit, { status, headers: { ...otlpHeaders(encoding, retryAfter), 'x-request-id': requestId } });
}

const requestIdOf = (req: Request) => req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();

/**
 * Admission control, before anything costs: a full write queue or too many requests in progress
 * answer 503 at once, without authenticating (a database round trip) or reading the body.
 */
function admissionRefusal(): OtlpRefusal | null {
  const config = env();
  const inFlight = holder.__faultlineIngestInFlight ?? 0;
  if (spanBatcher().isFull) return new OtlpRefusal(503, new IngestOverloadedError(spanBatcher().depth).message, 1);
  if (inFlight >= config.INGEST_MAX_CONCURRENT_REQUESTS) return new OtlpRefusal(503, `too many export requests in progress (${inFlight}): retry later`, 1);
  return null;
}

export interface AdmissionRefusal {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** The refusal of an export arriving now, ready to send, or null when it is admitted. */
export function refuseExportIfOverloaded(contentType: string | null): AdmissionRefusal | null {
  const refusal = admissionRefusal();
  if (!refusal) return null;
  const encoding = encodingOf(contentType) ?? 'json';
  return {
    status: refusal.status,
    headers: otlpHeaders(encoding, refusal.retryAfterSeconds),
    body: encodeStatus(encoding, refusal.status, refusal.message),
  };
}

const admissionHook = globalThis as typeof globalThis & { __faultlineRefuseExport?: typeof refuseExportIfOverloaded };

/**
 * Lets scripts/serve.mjs refuse an export while ingest is overloaded before Next routes it: a
 * flood is then refused for a few microseconds a request instead of a full trip through the
 * framework, which keeps the pages and health checks of the same process answering.
 */
export function installExportAdmission(): void {
  admissionHook.__faultlineRefuseExport = refuseExportIfOverloaded;
}

/**
 * POST /v1/traces (OTLP/HTTP). Answers 200 only after every accepted span is committed; refuses
 * bad input with 400/413/415, bad keys with 401/403 and overload with 503 + Retry-After.
 */
export async function receiveOtlpTraces(req: Request): Promise<Response> {
  const refusal = refuseExportIfOverloaded(req.headers.get('content-type'));
  if (refusal) {
    // Drop the body unread before answering, so the connection stays usable (see scripts/serve.mjs).
    await req.body?.pipeTo(new WritableStream()).catch(() => undefined);
    return new Response(refusal.body as BodyInit, { status: refusal.status, headers: { ...refusal.headers, 'x-request-id': requestIdOf(req) } });
  }
  holder.__faultlineIngestInFlight = (holder.__faultlineIngestInFlight ?? 0) + 1;
  try {
    return await receiveAdmitted(req);
  } finally {
    holder.__faultlineIngestInFlight! -= 1;
  }
}

async function receiveAdmitted(req: Request): Promise<Response> {
  const requestId = requestIdOf(req);
  const started = performance.now();
  const encoding = encodingOf(req.headers.get('content-type'));
  const log = logger();
  let status = 200;
  let accepted = 0;
  let rejected = 0;
  try {
    if (!encoding) {
      throw new OtlpRefusal(415, `Content-Type must be application/x-protobuf or application/json, got "${req.headers.get('content-type') ?? ''}"`);
    }
    await authenticateIngest(req);
    const config = env();
    const raw = await readBody(req, config.INGEST_MAX_BODY_BYTES);
    const body = await decompress(req, raw, config.INGEST_MAX_DECOMPRESSED_BYTES);
    const kept = withinRetention(decode(encoding, body), Date.now());
    await spanBatcher().enqueue(prepareSpans(kept.spans));
    accepted = kept.spans.length;
    rejected = kept.rejected;
    return respond(encoding, 200, encodeExportResponse(encoding, kept.rejected, kept.reasons.slice(0, 10).join('; ')), requestId);
  } catch (err) {
    const refusal =
      err instanceof OtlpRefusal
        ? err
        : err instanceof IngestOverloadedError
          ? new OtlpRefusal(503, err.message, 1)
          : isDatabaseUnavailable(err)
            ? new OtlpRefusal(503, 'database unavailable: retry later', 5)
            : null;
    if (!refusal) log.error({ err, requestId }, 'OTLP trace export failed');
    const final = refusal ?? new OtlpRefusal(503, `spans were not stored (request id ${requestId}): retry later`, 5);
    status = final.status;
    return respond(encoding ?? 'json', final.status, encodeStatus(encoding ?? 'json', final.status, final.message), requestId, final.retryAfterSeconds);
  } finally {
    log.info({ requestId, method: 'POST', path: '/v1/traces', status, accepted, rejected, ms: Math.round(performance.now() - started) }, 'otlp export');
  }
}
