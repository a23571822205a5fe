// Drives fuzz cases at the ingest endpoints through a caller-supplied `send` (an in-process route
// call in tests, real HTTP in the chaos suite) and checks every answer: bad input must never get a
// 500 or a crash, only 200 (a valid, possibly partial, success), 400, 413 or 415 with a message
// that names the problem, in the endpoint's own error format.
import { TaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import { endpointOf, otlpResponseEncoding, type FuzzCase, type IngestEndpoint } from './ingest-corpus';

export interface FuzzResponse {
  status: number;
  /** The body as text. */
  text: string;
  /** The body's bytes: needed to read a protobuf google.rpc.Status exactly (text decoding is lossy). */
  body?: Uint8Array;
  /** Response headers, if the sender has them (Retry-After on 503 is checked then). */
  headers?: Headers | Record<string, string>;
}

export interface FuzzViolation {
  label: string;
  status: number;
  text: string;
  /** What was wrong with the answer. */
  problem: string;
}

export interface IngestFuzzStats {
  cases: number;
  byStatus: Record<number, number>;
  byEndpoint: Record<IngestEndpoint, Record<number, number>>;
  /** The first MAX_KEPT violations; violationCount counts them all. */
  violations: FuzzViolation[];
  violationCount: number;
  /** 503 + Retry-After (overload or database trouble): not a violation, but reported. */
  unavailable: { count: number; samples: Array<{ label: string; text: string }> };
  durationMs: number;
  slowest: { label: string; ms: number } | null;
}

export interface RunIngestFuzzOptions {
  send: (fuzzCase: FuzzCase) => Promise<FuzzResponse>;
  cases: Iterable<FuzzCase>;
  /** Requests in flight at once. */
  concurrency: number;
  /** Called every `progressEvery` cases (default 500) and once at the end. */
  onProgress?: (stats: Readonly<IngestFuzzStats>) => void;
  progressEvery?: number;
  /** A case not answered within this time is a violation (a hang); default 60 s. */
  caseTimeoutMs?: number;
}

const MAX_KEPT = 20;
const ACCEPTABLE = new Set([200, 400, 413, 415]);
const TEXT_KEPT = 400;

// google.rpc.Status codes POST /v1/traces answers with (lib/ingest/otlp-response.ts).
const GRPC_CODE: Record<number, number> = { 400: 3, 413: 11, 415: 3, 503: 14 };
const APP_CODE: Record<number, string> = { 400: 'bad_request', 413: 'payload_too_large', 415: 'unsupported_media_type', 503: 'unavailable' };
/** What a message must speak of, per status, to name the problem (400s name a field or a format error). */
const MESSAGE_TOPIC: Record<number, RegExp> = {
  413: /bytes|larger|exceeds|limit|too large/i,
  415: /content-type|content-encoding|media type|application\//i,
};

// ——— Reading answers ———

class ProtoReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      if (shift < 53) result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
    }
    throw new Error('varint longer than 10 bytes');
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.buf.length) throw new Error('length runs past the end');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`wire type ${wireType}`);
    if (this.pos > this.buf.length) throw new Error('field runs past the end');
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** google.rpc.Status { int32 code = 1; string message = 2 } (details are ignored). */
export function decodeRpcStatus(buf: Uint8Array): { code: number; message: string } {
  const r = new ProtoReader(buf);
  let code = 0;
  let message = '';
  while (!r.done) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 0)) code = r.varint();
    else if (tag === ((2 << 3) | 2)) message = strictUtf8.decode(r.bytes());
    else r.skip(tag & 7);
  }
  return { code, message };
}

/** ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 { int64 rejected_spans = 1; string error_message = 2 } }. */
export function decodeExportResponse(buf: Uint8Array): { rejectedSpans: number; errorMessage: string } {
  const r = new ProtoReader(buf);
  let rejectedSpans = 0;
  let errorMessage = '';
  while (!r.done) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) {
      const inner = new ProtoReader(r.bytes());
      while (!inner.done) {
        const t = inner.varint();
        if (t === ((1 << 3) | 0)) rejectedSpans = inner.varint();
        else if (t === ((2 << 3) | 2)) errorMessage = strictUtf8.decode(inner.bytes());
        else inner.skip(t & 7);
      }
    } else {
      r.skip(tag & 7);
    }
  }
  return { rejectedSpans, errorMessage };
}

function headerOf(headers: FuzzResponse['headers'], name: string): string | null | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : headers[key]!;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Why the message does not name a problem, or null. */
function messageProblem(status: number, message: unknown): string | null {
  if (typeof message !== 'string' || message.trim() === '') return 'the error has no message';
  if (/internal error|request id .* retry later/i.test(message) && status !== 503) return `the message is generic: ${JSON.stringify(message)}`;
  if (message.trim().length < 8) return `the message is too short to name the problem: ${JSON.stringify(message)}`;
  const topic = MESSAGE_TOPIC[status];
  if (topic && !topic.test(message)) return `a ${status} message should say what was refused (${topic}): ${JSON.stringify(message)}`;
  return null;
}

/** Why a /v1/traces answer is malformed, or null. */
function otlpProblem(c: FuzzCase, r: FuzzResponse): string | null {
  const encoding = otlpResponseEncoding(c.contentType);
  if (encoding === 'protobuf' && r.body === undefined) {
    // Without the bytes only a lenient look is possible: a Status starts with its code field.
    if (r.status === 200) return null;
    if (r.text.charCodeAt(0) !== 0x08) return 'the refusal is not a protobuf google.rpc.Status';
    return messageProblem(r.status, r.text.slice(r.text.indexOf('\u0012') + 2));
  }
  if (r.status === 200) {
    if (encoding === 'protobuf') {
      let response: { rejectedSpans: number; errorMessage: string };
      try {
        response = decodeExportResponse(r.body!);
      } catch (err) {
        return `the 200 body is not an ExportTraceServiceResponse: ${(err as Error).message}`;
      }
      return response.rejectedSpans > 0 && response.errorMessage === '' ? 'partial success rejects spans without saying why' : null;
    }
    const json = parseJson(r.text);
    if (!isObject(json)) return 'the 200 body is not a JSON ExportTraceServiceResponse';
    if (json.partialSuccess === undefined) return Object.keys(json).length === 0 ? null : 'unexpected fields in ExportTraceServiceResponse';
    const partial = json.partialSuccess;
    if (!isObject(partial)) return 'partialSuccess is not an object';
    const rejected = partial.rejectedSpans;
    if (rejected !== undefined && !(typeof rejected === 'string' && /^\d+$/.test(rejected))) return 'partialSuccess.rejectedSpans is not an int64 string';
    if (typeof partial.errorMessage !== 'string') return 'partialSuccess.errorMessage is not a string';
    return Number(rejected ?? 0) > 0 && partial.errorMessage === '' ? 'partial success rejects spans without saying why' : null;
  }
  let status: { code: unknown; message: unknown };
  if (encoding === 'protobuf') {
    try {
      status = decodeRpcStatus(r.body!);
    } catch (err) {
      return `the refusal is not a protobuf google.rpc.Status: ${(err as Error).message}`;
    }
  } else {
    const json = parseJson(r.text);
    if (!isObject(json)) return 'the refusal is not a JSON google.rpc.Status';
    status = { code: json.code, message: json.message };
  }
  const expectedCode = GRPC_CODE[r.status];
  if (expectedCode !== undefined && status.code !== expectedCode) return `google.rpc.Status code ${String(status.code)} does not match HTTP ${r.status} (expected ${expectedCode})`;
  return messageProblem(r.status, status.message);
}

/** Why a /v1/probes or /v1/breaker-events answer is malformed, or null. */
function apiProblem(endpoint: IngestEndpoint, r: FuzzResponse): string | null {
  const json = parseJson(r.text);
  if (r.status === 200) {
    if (!isObject(json) || !isCount(json.accepted) || !isCount(json.duplicates)) return 'the 200 body is not {accepted, duplicates}';
    if (endpoint === '/v1/breaker-events' && !isCount(json.ignored)) return 'the 200 body has no ignored count';
    return null;
  }
  if (!isObject(json) || !isObject(json.error)) return 'the refusal is not {"error": {code, message, requestId}}';
  const { code, message } = json.error;
  const expectedCode = APP_CODE[r.status];
  if (expectedCode !== undefined && code !== expectedCode) return `error code ${JSON.stringify(code)} does not match HTTP ${r.status} (expected ${expectedCode})`;
  return messageProblem(r.status, message);
}

/**
 * What is wrong with this answer to this case, or null when it is one a correct server may give.
 * A 503 is checked only for its form (Retry-After, a message): whether it was deserved is the caller's call.
 */
export function checkIngestResponse(c: FuzzCase, r: FuzzResponse): string | null {
  const endpoint = endpointOf(c.path);
  if (r.status === 503) {
    if (headerOf(r.headers, 'retry-after') === null) return '503 without Retry-After';
  } else if (!ACCEPTABLE.has(r.status)) {
    return `status ${r.status} (only 200, 400, 413, 415, or 503 under overload, are acceptable)`;
  } else if (c.expect && !c.expect.includes(r.status)) {
    return `status ${r.status}, expected ${c.expect.join(' or ')}`;
  }
  return endpoint === '/v1/traces' ? otlpProblem(c, r) : apiProblem(endpoint, r);
}

function emptyStats(): IngestFuzzStats {
  return {
    cases: 0,
    byStatus: {},
    byEndpoint: { '/v1/traces': {}, '/v1/probes': {}, '/v1/breaker-events': {} },
    violations: [],
    violationCount: 0,
    unavailable: { count: 0, samples: [] },
    durationMs: 0,
    slowest: null,
  };
}


/** Sends every case (`concurrency` at a time, pulling lazily) and tallies the answers. */
export async function runIngestFuzz(options: RunIngestFuzzOptions): Promise<IngestFuzzStats> {
  const { send, concurrency, onProgress } = options;
  const progressEvery = options.progressEvery ?? 500;
  const caseTimeoutMs = options.caseTimeoutMs ?? 60_000;
  const stats = emptyStats();
  const started = performance.now();
  const iterator = options.cases[Symbol.iterator]();
  let exhausted = false;

  const violate = (label: string, status: number, text: string, problem: string) => {
    stats.violationCount++;
    if (stats.violations.length < MAX_KEPT) stats.violations.push({ label, status, text: text.slice(0, TEXT_KEPT), problem });
  };

  const caseDeadline = timeout(caseTimeoutMs, TimeoutStrategy.Aggressive);
  const runOne = async (c: FuzzCase) => {
    const caseStarted = performance.now();
    let response: FuzzResponse;
    try {
      response = await caseDeadline.execute(() => send(c));
    } catch (err) {
      stats.cases++;
      const problem = err instanceof TaskCancelledError ? `hang: no answer within ${caseTimeoutMs} ms` : `the request failed outright (crash?): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
      violate(c.label, -1, '', problem);
      return;
    }
    const ms = performance.now() - caseStarted;
    if (!stats.slowest || ms > stats.slowest.ms) stats.slowest = { label: c.label, ms: Math.round(ms) };
    stats.cases++;
    stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
    const perEndpoint = stats.byEndpoint[endpointOf(c.path)];
    perEndpoint[response.status] = (perEndpoint[response.status] ?? 0) + 1;
    if (response.status === 503) {
      stats.unavailable.count++;
      if (stats.unavailable.samples.length < MAX_KEPT) stats.unavailable.samples.push({ label: c.label, text: response.text.slice(0, TEXT_KEPT) });
    }
    const problem = checkIngestResponse(c, response);
    if (problem) violate(c.label, response.status, response.text, problem);
    if (onProgress && stats.cases % progressEvery === 0) onProgress({ ...stats, durationMs: Math.round(performance.now() - started) });
  };

  const worker = async () => {
    while (!exhausted) {
      const next = iterator.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      await runOne(next.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  stats.durationMs = Math.round(performance.now() - started);
  onProgress?.(stats);
  return stats;
}
