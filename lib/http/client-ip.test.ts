import { afterEach, describe, expect, it } from 'vitest';
import { resetEnv } from '@/lib/config/env';
import { clientIp, isHttps } from './client-ip';

afterEach(() => {
  delete process.env.TRUST_PROXY;
  resetEnv();
});

describe('clientIp', () => {
  it('uses the hop our own server saw unless a proxy is trusted', () => {
    const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 10.0.0.1' });
    expect(clientIp(headers)).toBe('10.0.0.1');
    process.env.TRUST_PROXY = 'true';
    resetEnv();
    expect(clientIp(headers)).toBe('6.6.6.6');
  });

  it('believes X-Forwarded-Proto only behind a trusted proxy', () => {
    const headers = new Headers({ 'x-forwarded-proto': 'https' });
    expect(isHttps('http://x/', headers)).toBe(false);
    process.env.TRUST_PROXY = 'true';
    resetEnv();
    expect(isHttps('http://x/', headers)).toBe(true);
  });
});
