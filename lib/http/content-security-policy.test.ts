import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspNonce } from './content-security-policy';

describe('contentSecurityPolicy', () => {
  it('allows scripts only by nonce, never inline or eval in production, and no framing', () => {
    const policy = contentSecurityPolicy('abc123');
    const scripts = /script-src ([^;]+)/.exec(policy)![1]!;
    expect(scripts.split(' ')).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("img-src 'self' data: blob:");
  });

  it("adds eval only for React's development build", () => {
    expect(contentSecurityPolicy('n', { development: true })).toMatch(/script-src [^;]*'unsafe-eval'/);
  });

  it('makes a different nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, cspNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
