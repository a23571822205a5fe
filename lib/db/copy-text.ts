// Encoding values for PostgreSQL's COPY text format, used on the ingest hot path.

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;

/** A text field: backslash, tab, newline and CR escaped; NUL (which PostgreSQL refuses) replaced. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r\0]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\uFFFD'));
}

/**
 * Text exactly as PostgreSQL will store it: NUL (which text refuses) and lone UTF-16 surrogates
 * (which UTF-8 cannot carry, so the driver would send U+FFFD anyway) both become U+FFFD. The OTLP
 * decoders pass every string through here, so two strings that would be stored alike are already
 * equal in memory, and dedupe maps and ON CONFLICT keys agree with the database.
 */
export function cleanText(value: string): string {
  // Both checks are native scans; nearly every string passes them and is returned as is.
  if (value.isWellFormed() && !value.includes('\0')) return value;
  return value.toWellFormed().replaceAll('\0', '\uFFFD');
}

/** A bytea field from lowercase hex: `\x…`, with the backslash doubled for COPY. */
export function copyHexBytea(hex: string | null): string {
  return hex === null ? '\\N' : `\\\\x${hex}`;
}

const UNICODE_ESCAPE = /\\(u[0-9a-fA-F]{4}|[^u])/g;

/**
 * JSON that jsonb accepts: JSON.stringify escapes NUL and lone UTF-16 surrogates as \u0000 and
 * \udxxx, both of which PostgreSQL rejects, so those become U+FFFD. Most documents have no \u
 * escapes at all and skip the scan.
 */
export function toJsonbText(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\u')) return json;
  let pendingHigh = false;
  return json.replace(UNICODE_ESCAPE, (match, esc: string, offset: number, whole: string) => {
    if (esc[0] !== 'u') {
      pendingHigh = false;
      return match;
    }
    const code = parseInt(esc.slice(1), 16);
    if (code === 0) return '\\ufffd';
    if (code >= 0xd800 && code <= 0xdbff) {
      // A high surrogate is fine only when a low one follows immediately.
      const next = whole.slice(offset + 6, offset + 12);
      const isPaired = /^\\ud[c-f][0-9a-f]{2}$/i.test(next);
      pendingHigh = isPaired;
      return isPaired ? match : '\\ufffd';
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      const wasPaired = pendingHigh;
      pendingHigh = false;
      return wasPaired ? match : '\\ufffd';
    }
    pendingHigh = false;
    return match;
  });
}

/** A jsonb field in COPY text format. */
export function copyJsonb(value: unknown): string {
  return copyText(toJsonbText(value));
}

let cachedSecond = NaN;
let cachedPrefix = '';

/** timestamptz with microsecond precision from exact unix nanoseconds. */
export function nanosToTimestamp(ns: bigint): string {
  // Spans of a batch share a handful of seconds: format the date part once per second.
  const second = Number(ns / 1_000_000_000n);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const micros = Number((ns / 1_000n) % 1_000_000n);
  return `${cachedPrefix}.${String(micros).padStart(6, '0')}Z`;
}
