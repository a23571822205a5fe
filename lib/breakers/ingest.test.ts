import { describe, expect, it } from 'vitest';
import { parseResilience4jTime, parseStateTransition } from './ingest';

describe('resilience4j state transitions', () => {
  it.each([
    ['CLOSED_TO_OPEN', 'closed', 'open'],
    ['OPEN_TO_HALF_OPEN', 'open', 'half_open'],
    ['HALF_OPEN_TO_CLOSED', 'half_open', 'closed'],
    ['CLOSED_TO_FORCED_OPEN', 'closed', 'forced_open'],
    ['FORCED_OPEN_TO_CLOSED', 'forced_open', 'closed'],
    ['CLOSED_TO_METRICS_ONLY', 'closed', 'disabled'],
    ['half_open_to_open', 'half_open', 'open'],
  ])('%s → %s to %s', (transition, from, to) => {
    expect(parseStateTransition(transition)).toEqual({ from, to });
  });

  it.each(['OPEN', 'CLOSED_TO_SIDEWAYS', 'CLOSED_TO_OPEN_TO_CLOSED', ''])('refuses %j', (transition) => {
    expect(parseStateTransition(transition)).toBeNull();
  });
});

describe('resilience4j creation times', () => {
  it('reads a ZonedDateTime with its [zone] suffix', () => {
    expect(parseResilience4jTime('2019-07-18T12:02:33.353+02:00[Europe/Berlin]')?.toISOString()).toBe('2019-07-18T10:02:33.353Z');
  });
  it('reads Jackson epoch seconds and epoch milliseconds', () => {
    expect(parseResilience4jTime(1563444153.353)?.toISOString()).toBe('2019-07-18T10:02:33.353Z');
    expect(parseResilience4jTime(1563444153353)?.toISOString()).toBe('2019-07-18T10:02:33.353Z');
  });
  it('refuses what is not a time', () => {
    expect(parseResilience4jTime('yesterday')).toBeNull();
    expect(parseResilience4jTime(-1)).toBeNull();
  });
  it('refuses numbers past what a Date can hold, in seconds or milliseconds', () => {
    expect(parseResilience4jTime(1e300)).toBeNull();
    expect(parseResilience4jTime(8.64e15 + 1)).toBeNull();
    expect(parseResilience4jTime(Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(parseResilience4jTime(8.64e15)?.toISOString()).toBe('+275760-09-13T00:00:00.000Z');
  });
});
