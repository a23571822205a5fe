import { z } from 'zod';

export const Uuid = z.uuid({ message: 'must be a UUID' });

export const IsoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-23T10:00:00Z' });

/** PostgreSQL text cannot hold U+0000: refused at the edge with a message instead of a 500 at write time. */
export const withoutNul = (s: string) => !s.includes('\u0000');
export const NUL_MESSAGE = 'must not contain NUL (U+0000) characters';

/** A name of a service, breaker, dependency or probe target as senders spell it. */
export const EntityName = z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters').refine(withoutNul, NUL_MESSAGE);

/** `?from=&to=` of the read APIs; both optional (the route picks the default window). */
export const TimeRangeQuery = z
  .object({ from: IsoTime.optional(), to: IsoTime.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['from'] });

/** Resolves an optional range to concrete times: `to` defaults to now, `from` to `defaultMs` before `to`. */
export function resolveRange(q: { from?: string; to?: string }, defaultMs: number, now = Date.now()): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date(now);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - defaultMs);
  return { from, to };
}
