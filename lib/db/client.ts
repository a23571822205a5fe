import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { env } from '@/lib/config/env';
import { PrismaClient } from './generated/client';

function createPrisma(pool: pg.Pool) {
  return new PrismaClient({
    adapter: new PrismaPg(pool),
    omit: { user: { passwordHash: true }, apiKey: { keyHash: true } },
  });
}
type Prisma = ReturnType<typeof createPrisma>;

/** The Prisma client or an open transaction on it: what every lib/db function runs against. */
export type DbClient = Omit<Prisma, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

interface Db {
  pool: pg.Pool;
  prisma: Prisma;
}

// Next's dev server reloads modules; keeping the pool on globalThis stops each reload leaking one.
const holder = globalThis as typeof globalThis & { __faultlineDb?: Db };

export class DatabaseNotConfiguredError extends Error {
  constructor() {
    super('DATABASE_URL is not set: start Faultline with `npm start` (embedded PostgreSQL) or set DATABASE_URL');
    this.name = 'DatabaseNotConfiguredError';
  }
}

function connect(): Db {
  const { DATABASE_URL, DATABASE_POOL_MAX } = env();
  if (!DATABASE_URL) throw new DatabaseNotConfiguredError();
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: DATABASE_POOL_MAX,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'faultline',
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return { pool, prisma: createPrisma(pool) };
}

export function db(): Db {
  holder.__faultlineDb ??= connect();
  return holder.__faultlineDb;
}

/** The one Prisma client. Secrets (password and key hashes) are omitted unless asked for. */
export function prisma(): Prisma {
  return db().prisma;
}

/** The shared pool, for raw SQL (health checks, COPY on the ingest path). */
export function pool(): pg.Pool {
  return db().pool;
}

export async function closeDb(): Promise<void> {
  const current = holder.__faultlineDb;
  holder.__faultlineDb = undefined;
  if (!current) return;
  await current.prisma.$disconnect();
  await current.pool.end();
}

/** Runs `work` in one transaction: a change and its audit entry commit together or not at all. */
export function inTransaction<T>(work: (tx: DbClient) => Promise<T>, options?: { timeoutMs?: number }): Promise<T> {
  return prisma().$transaction((tx) => work(tx), options?.timeoutMs ? { timeout: options.timeoutMs, maxWait: options.timeoutMs } : undefined);
}

/** A unique constraint refused the write (Prisma's P2002, or PostgreSQL's 23505 from raw SQL). */
export function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
  return code === 'P2002' || code === '23505';
}
