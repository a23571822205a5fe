import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './env';

describe('parseEnv', () => {
  it('fills in defaults for a bare environment', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SECURE_COOKIES).toBe('auto');
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it('names every bad variable in the error', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(message).toMatch(/LOG_LEVEL:/);
  });

  it('parses boolean flags', () => {
    expect(parseEnv({ TRUST_PROXY: 'true', SECURE_COOKIES: 'false' })).toMatchObject({ TRUST_PROXY: 1, SECURE_COOKIES: false });
    expect(parseEnv({ TRUST_PROXY: '2' })).toMatchObject({ TRUST_PROXY: 2 });
    expect(parseEnv({})).toMatchObject({ TRUST_PROXY: 0 });
    expect(() => parseEnv({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY/);
  });
});
