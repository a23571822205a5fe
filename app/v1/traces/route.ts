// POST /v1/traces — OTLP/HTTP trace export (protobuf or JSON, optionally gzip), ingest API key
import { receiveOtlpTraces } from '@/lib/ingest/otlp-traces';

export const dynamic = 'force-dynamic';
export const POST = (req: Request) => receiveOtlpTraces(req);
