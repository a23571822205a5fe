import { describe, expect, it } from 'vitest';
import { cleanText, copyHexBytea, copyText, nanosToTimestamp, toJsonbText } from './copy-text';

describe('COPY text encoding', () => {
  it('escapes the characters COPY treats specially and replaces NUL', () => {
    expect(copyText('a\tb\nc\\d\re\0f')).toBe('a\\tb\\nc\\\\d\\re\uFFFDf');
    expect(copyText(null)).toBe('\\N');
    expect(copyHexBytea('00ff')).toBe('\\\\x00ff');
  });

  it('formats exact nanoseconds as a microsecond timestamp, across second boundaries', () => {
    expect(nanosToTimestamp(1544712660300000123n)).toBe('2018-12-13T14:51:00.300000Z');
    expect(nanosToTimestamp(1544712660999999999n)).toBe('2018-12-13T14:51:00.999999Z');
    expect(nanosToTimestamp(1544712661000001000n)).toBe('2018-12-13T14:51:01.000001Z');
  });

  it('makes JSON that jsonb accepts: no NUL escapes, no lone surrogates, pairs kept', () => {
    expect(toJsonbText({ a: 'x\0y' })).toBe('{"a":"x\\ufffdy"}');
    expect(toJsonbText({ a: '\ud800' })).toBe('{"a":"\\ufffd"}');
    expect(toJsonbText({ a: '\udc00x' })).toBe('{"a":"\\ufffdx"}');
    expect(JSON.parse(toJsonbText({ a: '😀' }))).toEqual({ a: '😀' });
    // A literal backslash followed by "u0000" is text, not an escape: left alone.
    expect(JSON.parse(toJsonbText({ a: '\\u0000' }))).toEqual({ a: '\\u0000' });
  });

  it('cleans text to what PostgreSQL stores: NUL and lone surrogates become U+FFFD, pairs stay', () => {
    expect(cleanText('a\0b\0')).toBe('a\uFFFDb\uFFFD');
    expect(cleanText('\ud800')).toBe('\uFFFD');
    expect(cleanText('\udc00\ud800x')).toBe('\uFFFD\uFFFDx');
    expect(cleanText('😀\ud83d')).toBe('😀\uFFFD');
    expect(cleanText('\0\udfff')).toBe('\uFFFD\uFFFD');
    // Different inputs PostgreSQL would store alike come out equal, so keys made from them agree.
    expect(new Set(['x\0', 'x\ud800', 'x\udbff', 'x\udfff', 'x\uFFFD'].map(cleanText))).toEqual(new Set(['x\uFFFD']));
  });

  it('returns clean text as it is, and is idempotent', () => {
    for (const clean of ['', 'plain', 'ü✓😀', '\uFFFD', 'tab\tand\\backslash']) expect(cleanText(clean)).toBe(clean);
    const once = cleanText('a\0\ud800😀');
    expect(cleanText(once)).toBe(once);
  });
});
