// Hand-encoded OTLP/HTTP responses: ExportTraceServiceResponse on success, google.rpc.Status on
// failure, each in the encoding the request used (protobuf or JSON), as the OTLP spec requires.

export type OtlpEncoding = 'protobuf' | 'json';

const encoder = new TextEncoder();

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array): number[] {
  return [(field << 3) | 2, ...varint(payload.length), ...payload];
}

/** ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 { int64 rejected_spans = 1; string error_message = 2 } } */
export function encodeExportResponse(encoding: OtlpEncoding, rejectedSpans: number, errorMessage: string): Uint8Array | string {
  if (encoding === 'json') {
    return JSON.stringify(rejectedSpans > 0 || errorMessage ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {});
  }
  if (rejectedSpans === 0 && !errorMessage) return new Uint8Array(0);
  const inner = [...(rejectedSpans > 0 ? [1 << 3, ...varint(rejectedSpans)] : []), ...(errorMessage ? lengthDelimited(2, encoder.encode(errorMessage)) : [])];
  return new Uint8Array(lengthDelimited(1, new Uint8Array(inner)));
}

/** google.rpc.Status { int32 code = 1; string message = 2 } with the gRPC code matching the HTTP status. */
export function encodeStatus(encoding: OtlpEncoding, httpStatus: number, message: string): Uint8Array | string {
  const code = GRPC_CODE_BY_HTTP[httpStatus] ?? 2; // UNKNOWN
  if (encoding === 'json') return JSON.stringify({ code, message });
  return new Uint8Array([1 << 3, ...varint(code), ...lengthDelimited(2, encoder.encode(message))]);
}

const GRPC_CODE_BY_HTTP: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  413: 11, // OUT_OF_RANGE
  415: 3, // INVALID_ARGUMENT
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};
