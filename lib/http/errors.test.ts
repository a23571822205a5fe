import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError, isDatabaseUnavailable, tooManyRequests } from './errors';

describe('errors', () => {
  it('names the field of each zod issue', () => {
    const result = z.object({ email: z.email(), nested: z.object({ n: z.number() }) }).safeParse({ email: 'x', nested: { n: 'y' } });
    expect(result.success).toBe(false);
    const message = describeZodError(result.error!, 'body');
    expect(message).toContain('body.email:');
    expect(message).toContain('body.nested.n:');
  });

  it('sets Retry-After on 429', () => {
    expect(tooManyRequests('slow down', 0.2).headers['Retry-After']).toBe('1');
  });

  it('recognises an unreachable database, also when wrapped', () => {
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isDatabaseUnavailable(new Error('x', { cause: { code: '57P01' } }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
  });
});
