import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createApiKey } from '@/lib/auth/api-keys';
import type { Actor } from '@/lib/auth/permissions';
import { randomPassword } from '@/lib/auth/secrets';
import { createUserAsSystem } from '@/lib/auth/users';
import { ConfigError } from '@/lib/config/env';
import { AppError, describeZodError } from '@/lib/http/errors';
import { ApiKeyScope, Role } from '@/lib/schemas/auth';
import { IsoTime } from '@/lib/schemas/common';
import { rebuildRollups } from '@/lib/rollup/rebuild';
import { runPrismaCli } from '@/lib/db/migrate';
import { prepareDatabase, withDatabase } from '@/lib/server/database';
import { exportRunbookDirectory, importRunbookDirectory, RunbookImportError } from '@/lib/runbooks/sync';

const CLI_ACTOR: Actor = { kind: 'system', name: 'cli' };

/** Runs a CLI command, turning expected failures into one line on stderr and exit code 1 (2 for usage). */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
    process.exit(0);
  } catch (err) {
    if (err instanceof z.ZodError) process.stderr.write(`error: ${describeZodError(err, 'option')}\n`);
    else if (err instanceof AppError || err instanceof ConfigError || err instanceof RunbookImportError) process.stderr.write(`error: ${err.message}\n`);
    else if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(2);
    } else process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}

/** npm run user:create -- --email a@b.c --role admin [--name "A B"] [--password …] */
export async function createUserCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, role: { type: 'string', default: 'viewer' }, name: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  const input = z
    .object({ email: z.string({ message: 'is required (--email a@b.c)' }), role: Role, name: z.string().optional(), password: z.string().optional() })
    .parse(values);
  const password = input.password ?? randomPassword();
  const user = await withDatabase(() => createUserAsSystem({ email: input.email, role: input.role, name: input.name, password }));
  process.stdout.write(`Created user ${user.email} with role ${user.role}.\n`);
  if (!input.password) process.stdout.write(`Password (shown once):\n${password}\n`);
}

/** npm run apikey:create -- --name fleet --scope ingest [--scope read]; the key is the last line. */
export async function createApiKeyCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, scope: { type: 'string', multiple: true, default: ['ingest'] } },
    strict: true,
  });
  const input = z
    .object({ name: z.string({ message: 'is required (--name fleet)' }), scope: z.array(ApiKeyScope) })
    .parse(values);
  const created = await withDatabase(() => createApiKey({ actor: CLI_ACTOR, input: { name: input.name, scopes: input.scope } }));
  process.stderr.write(`Created API key "${created.apiKey.name}" with scopes ${created.apiKey.scopes.join(', ')}. It is shown only once:\n`);
  process.stdout.write(`${created.key}\n`);
}

/**
 * npm run db:migrate | db:migrate:dev -- --name x | db:psql — against DATABASE_URL or the
 * embedded cluster (started for the command if the app is not running, and stopped after).
 */
export async function databaseCommand(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (command === 'migrate') {
    const db = await prepareDatabase({ log, owner: false, migrate: true });
    await db.stop();
    process.stdout.write('Migrations applied.\n');
    return;
  }
  if (command === 'migrate-dev' || command === 'psql') {
    const db = await prepareDatabase({ log, owner: false, migrate: false });
    try {
      const code =
        command === 'migrate-dev'
          ? await runPrismaCli(db.url, ['migrate', 'dev', ...rest])
          : await new Promise<number>((resolve) => spawn('psql', [db.url, ...rest], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1)));
      if (code !== 0) throw new AppError(500, 'failed', `${command} exited with code ${code}`);
    } finally {
      await db.stop();
    }
    return;
  }
  throw new AppError(400, 'usage', 'usage: tsx scripts/db.ts migrate | migrate-dev [--name <name>] | psql');
}

const RebuildOptions = z
  .object({
    from: IsoTime,
    to: IsoTime.optional(),
  })
  .refine((o) => !o.to || Date.parse(o.from) < Date.parse(o.to), { message: 'from must be before to', path: ['from'] });

/** npm run rollup:rebuild -- --from 2026-11-23T00:00:00Z [--to …] — recomputes rollups from raw spans. */
export async function rollupRebuildCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true });
  const options = RebuildOptions.parse(values);
  const from = new Date(options.from);
  const to = options.to ? new Date(options.to) : new Date();
  await withDatabase(async () => {
    const started = performance.now();
    const written = await rebuildRollups(from, to);
    process.stdout.write(
      `Rebuilt rollups ${from.toISOString()} – ${to.toISOString()}: ${written.serviceBuckets} service and ${written.edgeBuckets} edge 10 s buckets in ${Math.round(performance.now() - started)} ms\n`,
    );
  });
}

function runbookDirectory(argv: string[], verb: string, options: { prune?: { type: 'boolean' } } = {}) {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  if (positionals.length !== 1) throw new AppError(2, 'usage', `usage: npm run runbooks:${verb} -- <directory>${options.prune ? ' [--prune]' : ''}`);
  return { dir: positionals[0]!, prune: (values as { prune?: boolean }).prune === true };
}

/** npm run runbooks:export -- dir/ [--prune] — every runbook as dir/<slug>.md with front matter. */
export async function exportRunbooksCommand(argv: string[]): Promise<void> {
  const { dir, prune } = runbookDirectory(argv, 'export', { prune: { type: 'boolean' } });
  const report = await withDatabase(() => exportRunbookDirectory({ actor: CLI_ACTOR, dir, prune }));
  const lines = [`Exported ${report.written.length} runbook${report.written.length === 1 ? '' : 's'} to ${dir}`];
  if (report.stale.length > 0) {
    lines.push(
      report.pruned
        ? `Removed ${report.stale.length} file${report.stale.length === 1 ? '' : 's'} that no runbook has (renamed or deleted): ${report.stale.join(', ')}`
        : `Not a runbook any more (renamed or deleted?): ${report.stale.join(', ')}. They would come back on import: delete them or export with --prune.`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** npm run runbooks:import -- dir/ — creates new runbooks and saves a revision of changed ones, all or nothing. */
export async function importRunbooksCommand(argv: string[]): Promise<void> {
  const { dir } = runbookDirectory(argv, 'import');
  const report = await withDatabase(() => importRunbookDirectory({ actor: CLI_ACTOR, dir }));
  const list = (slugs: string[]) => (slugs.length ? `: ${slugs.join(', ')}` : '');
  process.stdout.write(
    [
      `Created ${report.created.length}${list(report.created)}`,
      `Updated ${report.updated.length}${list(report.updated)}`,
      `Unchanged ${report.unchanged.length}`,
      ...(report.notInDirectory.length ? [`In Faultline but not in ${dir} (left as they are): ${report.notInDirectory.join(', ')}`] : []),
    ].join('\n') + '\n',
  );
}
