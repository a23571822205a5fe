import { describe, expect, it } from 'vitest';
import { hashPassword, randomSecret, sha256, verifyPassword } from './secrets';

describe('secrets', () => {
  it('hashes passwords with argon2id and verifies them', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery!')).toBe(false);
  });

  it('treats a malformed stored hash as a failed check, not a crash', async () => {
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });

  it('makes distinct URL-safe secrets with the given prefix', () => {
    const a = randomSecret('flk_');
    expect(a).toMatch(/^flk_[A-Za-z0-9_-]{43}$/);
    expect(randomSecret('flk_')).not.toBe(a);
    expect(sha256('a')).toHaveLength(64);
  });
});
