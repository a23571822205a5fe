import { afterEach, describe, expect, it } from 'vitest';
import { resetEnv } from '@/lib/config/env';
import { clientIp, isHttps } from './client-ip';

afterEach(() => {
  delete process.env.TRUST_PROXY;
  resetEnv();
});

describe('clientIp', () => {
  it('uses the hop our own server saw unless a proxy is trusted', () => {
    // As serve.mjs passes it on behind one proxy: the client's address, then the proxy's.
    const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 10.0.0.1' });
    expect(clientIp(headers)).toBe('10.0.0.1');
    process.env.TRUST_PROXY = 'true';
    resetEnv();
    expect(clientIp(headers)).toBe('6.6.6.6');
  });

  it('never believes what the client put in front of the chain its proxies built', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; proxy A appended the client (6.6.6.6), proxy B appended A, serve.mjs appended B.
    const headers = new Headers({ 'x-forwarded-for': '1.2.3.4, 6.6.6.6, 10.0.0.1, 10.0.0.2' });
    process.env.TRUST_PROXY = '2';
    resetEnv();
    expect(clientIp(headers)).toBe('6.6.6.6');
    process.env.TRUST_PROXY = 'true';
    resetEnv();
    expect(clientIp(headers)).toBe('10.0.0.1');
  });

  it('believes X-Forwarded-Proto only behind a trusted proxy', () => {
    const headers = new Headers({ 'x-forwarded-proto': 'https' });
    expect(isHttps('http://x/', headers)).toBe(false);
    process.env.TRUST_PROXY = 'true';
    resetEnv();
    expect(isHttps('http://x/', headers)).toBe(true);
    // An appending proxy behind which the client wrote "https" itself: the proxy saw http.
    expect(isHttps('http://x/', new Headers({ 'x-forwarded-proto': 'https, http' }))).toBe(false);
  });
});
