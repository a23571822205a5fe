import pino from 'pino';
import { env } from '@/lib/config/env';

let root: pino.Logger | undefined;

/** Structured JSON logs on stdout; one line per event, with a request id where there is one. */
export function logger(): pino.Logger {
  root ??= pino({
    level: env().LOG_LEVEL,
    base: { service: 'faultline' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'authorization', '*.authorization', 'cookie', '*.cookie'], remove: true },
  });
  return root;
}
