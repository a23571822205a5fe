import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

/** Every setting Faultline reads from the environment, with defaults a laptop can run on. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
  FAULTLINE_DATA_DIR: z.string().min(1).default('.data'),
  /** Session lifetime; a session also ends after SESSION_IDLE_HOURS without a request. */
  SESSION_TTL_HOURS: z.coerce.number().min(1).max(24 * 90).default(24 * 7),
  SESSION_IDLE_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(24),
  /** "auto" marks the cookie Secure when the request arrived over https (directly or via a proxy). */
  SECURE_COOKIES: z.union([z.literal('auto'), booleanFlag]).default('auto'),
  /** Failed logins allowed per e-mail and per client address in LOGIN_WINDOW_MINUTES. */
  LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_WINDOW_MINUTES: z.coerce.number().min(1).default(15),
  /** Trust X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy you control). */
  TRUST_PROXY: z
    .union([booleanFlag, z.coerce.number().int().min(0).max(10)], { message: 'must be true, false or the number of proxies in front (0-10)' })
    .transform((v) => (v === true ? 1 : v === false ? 0 : v))
    .default(0),
  /** Days of spans kept; older daily partitions are dropped whole. */
  FAULTLINE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Hours of 10-second rollups kept (detection's recent windows, replays); minutes and hours stay longer. */
  FAULTLINE_FINE_ROLLUP_HOURS: z.coerce.number().int().min(1).max(24 * 3650).default(48),
  /** Largest OTLP request body accepted as sent (compressed or not), in bytes. */
  INGEST_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  /** Largest OTLP body after gzip decompression (guards against gzip bombs), in bytes. */
  INGEST_MAX_DECOMPRESSED_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** Spans waiting to be written, across requests, before new requests get 503 + Retry-After. */
  INGEST_MAX_QUEUED_SPANS: z.coerce.number().int().min(100).default(100_000),
  /** Spans per write transaction (requests are grouped up to this size). */
  INGEST_BATCH_SPANS: z.coerce.number().int().min(1).default(10_000),
  /** Write transactions in flight at once. */
  INGEST_WRITERS: z.coerce.number().int().min(1).max(16).default(2),
  /** Longest an accepted request waits for a writer before it is refused with 503 (a slow database sheds instead of piling up). */
  INGEST_MAX_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** OTLP requests handled at once (reading, decoding, waiting); more get 503 + Retry-After before their body is read. */
  INGEST_MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(64),
  /** Compute rollups as spans arrive (off only to measure what they cost: the map then stays empty). */
  ROLLUPS_ENABLED: booleanFlag.default(true),
  /**
   * How long a caller's span waits for its callee's span (they arrive in different exports)
   * before it counts as a call to the leaf it names (peer.service, server.address).
   */
  ROLLUP_PAIRING_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Default latency SLO: a service whose p99 exceeds this is degraded (per-service SLOs come with alert rules). */
  SLO_LATENCY_P99_MS: z.coerce.number().positive().default(1000),
  /** Default error-rate SLO (0–1): degraded at this rate, failing at four times it. */
  SLO_ERROR_RATE: z.coerce.number().min(0.0001).max(1).default(0.05),
  /** Run the active prober in this process (one replica probes at a time, chosen by an advisory lock). */
  PROBER_ENABLED: booleanFlag.default(true),
  /** Probes in flight at once; further due probes queue behind them (bulkhead). */
  PROBER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Evaluate alert rules in this process (one replica at a time, by advisory lock); off only for throwaway apps fed by replays. */
  DETECTION_ENABLED: booleanFlag.default(true),
  /** Seconds between live evaluations of the alert rules. */
  DETECTION_INTERVAL_SECONDS: z.coerce.number().min(1).max(300).default(5),
  /** An alert resolves after its condition has been clear this long (no flapping). */
  ALERT_HOLD_DOWN_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Deliver webhook notifications from this process (any number of replicas may). */
  NOTIFY_ENABLED: booleanFlag.default(true),
  /** Attempts before a notification is dead-lettered (shown in Settings → Notifications, retryable by hand). */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** First retry delay of a failed webhook delivery (doubling, with jitter, up to 10 minutes). */
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  /** How long a destination's circuit stays open after 5 consecutive failures before a trial delivery. */
  NOTIFY_BREAKER_OPEN_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** Base URL of this Faultline in links sent out (webhooks); defaults to http://localhost:PORT. */
  FAULTLINE_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  /** Control server of the demo fleet (set by `npm run demo`); with the token it switches the Chaos panel on. */
  FAULTLINE_CHAOS_URL: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  /** Bearer token of that control server; it is never sent anywhere else. */
  FAULTLINE_CHAOS_TOKEN: z.string().min(1).optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; the error names each bad variable and why. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable means "not set", as shells and .env files write it.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The process's configuration, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forget the parsed configuration, after a launcher has filled in values such as DATABASE_URL. */
export function resetEnv(): void {
  cached = undefined;
}
