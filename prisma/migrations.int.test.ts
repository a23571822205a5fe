// The committed migrations must produce exactly schema.prisma, through the offline schema engine.
import { describe, expect, it } from 'vitest';
import { runCommand } from '@/lib/testing/run-command';

const prisma = (args: string[]) =>
  runCommand(process.execPath, ['node_modules/prisma/build/index.js', ...args], { ...process.env, CHECKPOINT_DISABLE: '1' });

describe('migrations', () => {
  it('match schema.prisma (no drift)', async () => {
    const diff = await prisma(['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code']);
    // --exit-code: 0 = no difference, 2 = difference.
    expect(diff.stdout + diff.stderr).not.toMatch(/Error/);
    expect(diff.code).toBe(0);
  });

  it('are all applied on the test database, as migrate status reports', async () => {
    const status = await prisma(['migrate', 'status']);
    expect(status.stdout).toMatch(/Database schema is up to date/);
    expect(status.code).toBe(0);
  });
});
