// The user and API-key CLIs, run as a person would, against this test file's database.
import { describe, expect, it } from 'vitest';
import { authenticateApiKey } from '@/lib/auth/api-keys';
import { login } from '@/lib/auth/login';
import { runCommand } from '@/lib/testing/run-command';

const cli = (script: string, args: string[]) => runCommand('node_modules/.bin/tsx', [script, ...args]);

describe('CLI', () => {
  it('apikey:create prints a working key alone on its last line', async () => {
    const res = await cli('scripts/apikey-create.ts', ['--name', 'fleet', '--scope', 'ingest']);
    expect(res.code).toBe(0);
    const lastLine = res.stdout.trim().split('\n').at(-1)!;
    expect(lastLine).toMatch(/^flk_\S+$/);
    expect(await authenticateApiKey(lastLine)).toMatchObject({ name: 'fleet', scopes: ['ingest'] });
  });

  it('user:create makes a user who can sign in with the printed password', async () => {
    const res = await cli('scripts/user-create.ts', ['--email', 'Cli@Faultline.test', '--role', 'responder']);
    expect(res.code).toBe(0);
    const password = res.stdout.trim().split('\n').at(-1)!;
    const session = await login({ input: { email: 'cli@faultline.test', password }, ip: '127.0.0.1' });
    expect(session.user.role).toBe('responder');
  });

  it('rejects bad options with a message naming them', async () => {
    const badScope = await cli('scripts/apikey-create.ts', ['--name', 'x', '--scope', 'root']);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toMatch(/option\.scope/);
    const badRole = await cli('scripts/user-create.ts', ['--email', 'x@y.io', '--role', 'god']);
    expect(badRole.stderr).toMatch(/option\.role/);
    expect((await cli('scripts/user-create.ts', ['--bogus'])).code).toBe(2);
  });
});
