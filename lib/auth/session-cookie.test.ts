import { afterEach, describe, expect, it } from 'vitest';
import { resetEnv } from '@/lib/config/env';
import { sessionCookie } from './session-cookie';

afterEach(() => {
  delete process.env.SECURE_COOKIES;
  resetEnv();
});

describe('sessionCookie', () => {
  const expires = new Date('2030-01-01T00:00:00Z');

  it('is httpOnly and SameSite=Lax, Secure only over https by default', () => {
    const plain = sessionCookie('tok', expires, false);
    expect(plain).toContain('HttpOnly');
    expect(plain).toContain('SameSite=Lax');
    expect(plain).not.toContain('Secure');
    expect(sessionCookie('tok', expires, true)).toContain('Secure');
  });

  it('can be forced Secure', () => {
    process.env.SECURE_COOKIES = 'true';
    resetEnv();
    expect(sessionCookie('tok', expires, false)).toContain('Secure');
  });
});
