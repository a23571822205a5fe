import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function prismaCli(): string {
  return join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');
}

/** Runs `prisma migrate deploy` against `databaseUrl` (creating the database if it is missing). */
export async function applyMigrations(databaseUrl: string, cwd = process.cwd()): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [prismaCli(), 'migrate', 'deploy'], {
      cwd,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      maxBuffer: 10 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`prisma migrate deploy failed:\n${[e.stdout, e.stderr].filter(Boolean).join('\n') || e.message}`);
  }
}

/** Runs any Prisma CLI command (e.g. `migrate dev --name x`) against `databaseUrl`, attached to this terminal. */
export function runPrismaCli(databaseUrl: string, args: string[], cwd = process.cwd()): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli(), ...args], {
      cwd,
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
