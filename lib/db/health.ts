import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pool } from './client';

/** Round-trip time of a trivial query, in milliseconds. */
export async function pingDatabase(): Promise<number> {
  const started = performance.now();
  await pool().query('SELECT 1');
  return Math.round((performance.now() - started) * 10) / 10;
}

export interface MigrationState {
  expected: number;
  applied: number;
  pending: string[];
  failed: string[];
}

/** Compares prisma/migrations with what the database records as applied. */
export async function migrationState(migrationsDir = join(/*turbopackIgnore: true*/ process.cwd(), 'prisma', 'migrations')): Promise<MigrationState> {
  const expected = existsSync(migrationsDir)
    ? readdirSync(/*turbopackIgnore: true*/ migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
    : [];
  const { rows } = await pool()
    .query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations',
    )
    .catch((err: { code?: string }) => {
      if (err.code === '42P01') return { rows: [] }; // no migrations table yet
      throw err;
    });
  const applied = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
  return { expected: expected.length, applied: applied.size, pending: expected.filter((m) => !applied.has(m)), failed };
}
