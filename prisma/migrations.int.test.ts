// The committed migrations must produce exactly schema.prisma, through the offline schema engine.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function prisma(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['node_modules/prisma/build/index.js', ...args], {
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

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
