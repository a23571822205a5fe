import { describe, expect, it } from 'vitest';
import { decodeTracesJson } from './decode-json';
import { DECODE_LIMITS, OtlpDecodeError, type DecodedTraces, type SpanRow } from './span-row';
import { seededRandom } from './testing';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function requestWith(span: Record<string, unknown>): string {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
}

function span(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { traceId: TRACE_ID, spanId: SPAN_ID, name: 'op', startTimeUnixNano: '1000', endTimeUnixNano: '2000', ...overrides };
}

function onlyRow(text: string): SpanRow {
  const decoded = decodeTracesJson(text);
  expect(decoded.rejectionReasons).toEqual([]);
  expect(decoded.spans).toHaveLength(1);
  return decoded.spans[0]!;
}

function expectRefused(text: string, message: RegExp): void {
  expect(() => decodeTracesJson(text)).toThrow(OtlpDecodeError);
  expect(() => decodeTracesJson(text)).toThrow(message);
}

describe('decodeTracesJson mapping leniencies', () => {
  it('accepts the proto field names (snake_case) as well as lowerCamelCase', () => {
    const camel = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }], droppedAttributesCount: 1 },
          scopeSpans: [
            {
              scope: { name: 'lib', version: '1' },
              spans: [
                span({
                  parentSpanId: 'eee19b7ec3c1b173',
                  traceState: 'a=b',
                  droppedAttributesCount: 2,
                  events: [{ timeUnixNano: '1500', name: 'e', droppedAttributesCount: 3 }],
                  droppedEventsCount: 4,
                  links: [{ traceId: TRACE_ID, spanId: 'eee19b7ec3c1b172', traceState: 'c=d', droppedAttributesCount: 5 }],
                  droppedLinksCount: 6,
                  attributes: [
                    { key: 'i', value: { intValue: '7' } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'b', value: { boolValue: true } }] } } },
                    { key: 'a', value: { arrayValue: { values: [{ doubleValue: 1.5 }, { bytesValue: 'AA==' }] } } },
                  ],
                }),
              ],
            },
          ],
        },
      ],
    };
    const snake = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }], dropped_attributes_count: 1 },
          scope_spans: [
            {
              scope: { name: 'lib', version: '1' },
              spans: [
                {
                  trace_id: TRACE_ID,
                  span_id: SPAN_ID,
                  parent_span_id: 'eee19b7ec3c1b173',
                  trace_state: 'a=b',
                  name: 'op',
                  start_time_unix_nano: '1000',
                  end_time_unix_nano: '2000',
                  dropped_attributes_count: 2,
                  events: [{ time_unix_nano: '1500', name: 'e', dropped_attributes_count: 3 }],
                  dropped_events_count: 4,
                  links: [{ trace_id: TRACE_ID, span_id: 'eee19b7ec3c1b172', trace_state: 'c=d', dropped_attributes_count: 5 }],
                  dropped_links_count: 6,
                  attributes: [
                    { key: 'i', value: { int_value: '7' } },
                    { key: 'kv', value: { kvlist_value: { values: [{ key: 'b', value: { bool_value: true } }] } } },
                    { key: 'a', value: { array_value: { values: [{ double_value: 1.5 }, { bytes_value: 'AA==' }] } } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const fromCamel = decodeTracesJson(JSON.stringify(camel));
    expect(decodeTracesJson(JSON.stringify(snake))).toStrictEqual(fromCamel);
    expect(fromCamel.spans[0]).toMatchObject({
      parentSpanId: 'eee19b7ec3c1b173',
      traceState: 'a=b',
      droppedAttributesCount: 2,
      droppedEventsCount: 4,
      droppedLinksCount: 6,
      attributes: { i: 7, kv: { b: true }, a: [1.5, 'AA=='] },
      events: [{ timeUnixNano: 1500n, name: 'e', droppedAttributesCount: 3 }],
      links: [{ traceState: 'c=d', droppedAttributesCount: 5 }],
      resource: { serviceName: 'svc', droppedAttributesCount: 1 },
    });
  });

  it('accepts enum names and numbers, mapping unknown ones to 0', () => {
    expect(onlyRow(requestWith(span({ kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_ERROR', message: 'x' } })))).toMatchObject({
      kind: 2,
      statusCode: 2,
      statusMessage: 'x',
    });
    expect(onlyRow(requestWith(span({ kind: 'SPAN_KIND_CONSUMER', status: { code: 'STATUS_CODE_OK' } })))).toMatchObject({ kind: 5, statusCode: 1 });
    expect(onlyRow(requestWith(span({ kind: '3', status: { code: 2 } })))).toMatchObject({ kind: 3, statusCode: 2 });
    expect(onlyRow(requestWith(span({ kind: 'SPAN_KIND_BOGUS', status: { code: -1 } })))).toMatchObject({ kind: 0, statusCode: 0 });
    expect(onlyRow(requestWith(span({ kind: 2.5 })))).toMatchObject({ kind: 0 });
  });

  it('lower-cases hex ids of either case', () => {
    const row = onlyRow(requestWith(span({ traceId: TRACE_ID.toUpperCase(), spanId: 'EeE19b7eC3c1B174', parentSpanId: 'ABCDEF0123456789' })));
    expect(row).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, parentSpanId: 'abcdef0123456789' });
  });

  it('rejects spans whose ids are not hex, keeping the others', () => {
    const text = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span({ traceId: 'W46P95gDgQPSabYzgT/GDA==' }),
                span({ spanId: 'eee19b7ec3c1b17' }),
                span({ parentSpanId: 'xyz' }),
                span({ name: 'kept' }),
              ],
            },
          ],
        },
      ],
    });
    const decoded = decodeTracesJson(text);
    expect(decoded.spans.map((row) => row.name)).toEqual(['kept']);
    expect(decoded.rejectionReasons).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[0]: trace_id is not a hex string',
      'resourceSpans[0].scopeSpans[0].spans[1]: span_id is not a hex string',
      'resourceSpans[0].scopeSpans[0].spans[2]: parent_span_id is not a hex string',
    ]);
  });

  it('reads int64 values and timestamps given as JSON numbers', () => {
    const row = onlyRow(
      requestWith(
        span({
          startTimeUnixNano: 1_000,
          endTimeUnixNano: 2 ** 60,
          attributes: [
            { key: 'n', value: { intValue: -12 } },
            { key: 'huge', value: { intValue: 2 ** 60 } },
            { key: 's', value: { intValue: '-000042' } },
          ],
        }),
      ),
    );
    expect(row.startTimeUnixNano).toBe(1000n);
    expect(row.endTimeUnixNano).toBe(2n ** 60n);
    expect(row.attributes).toEqual({ n: -12, huge: '1152921504606846976', s: -42 });
  });

  it('reads the special double strings and numeric strings', () => {
    const doubles = ['NaN', 'Infinity', '-Infinity', '2.5', 3].map((d, i) => ({ key: `d${i}`, value: { doubleValue: d } }));
    expect(onlyRow(requestWith(span({ attributes: doubles }))).attributes).toEqual({ d0: 'NaN', d1: 'Infinity', d2: '-Infinity', d3: 2.5, d4: 3 });
  });

  it('treats null fields as absent and ignores unknown keys', () => {
    const row = onlyRow(
      requestWith(
        span({ parentSpanId: null, traceState: null, attributes: null, events: null, status: null, futureField: { x: 1 }, attributes2: 3 }),
      ),
    );
    expect(row).toMatchObject({ parentSpanId: null, traceState: null, attributes: {}, events: [], statusCode: 0 });
    expect(onlyRow(requestWith(span({ attributes: [{ key: 'k', value: { stringValue: null, boolValue: true, extra: 1 } }] }))).attributes).toEqual({ k: true });
  });

  it('handles a 10,000-deep kvlist without overflowing the stack', () => {
    const levels = 10_000;
    const value = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(levels) + '{"stringValue":"leaf"}' + '}]}}'.repeat(levels);
    const text = requestWith(span({ attributes: '__DEEP__' })).replace('"__DEEP__"', `[{"key":"deep","value":${value}}]`);
    let current = onlyRow(text).attributes.deep;
    for (let i = 0; i < DECODE_LIMITS.maxValueDepth; i++) current = (current as Record<string, typeof current>).k;
    expect(current).toBe('[too deep]');
  });
});

describe('decodeTracesJson refuses malformed requests', () => {
  it('refuses text that is not JSON', () => {
    expectRefused('{"resourceSpans": [', /^invalid JSON: /);
    expectRefused('', /^invalid JSON: /);
    expectRefused('\u0000\u0001garbage', /^invalid JSON: /);
  });

  it('refuses a top level that is not an object', () => {
    expectRefused('[]', /the request must be a JSON object, got an array/);
    expectRefused('null', /the request must be a JSON object, got null/);
    expectRefused('"x"', /the request must be a JSON object, got the string "x"/);
    expectRefused('42', /got number 42/);
  });

  it('refuses fields of the wrong type, saying where', () => {
    expectRefused('{"resourceSpans":{}}', /^resourceSpans must be an array, got an object$/);
    expectRefused('{"resourceSpans":[1]}', /^resourceSpans\[0\]: each item that should be a ResourceSpans must be an object, got number 1$/);
    expectRefused('{"resourceSpans":[{"scopeSpans":"x"}]}', /^resourceSpans\[0\]: scopeSpans must be an array/);
    expectRefused(requestWith(span({ name: 5 })), /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: name must be a string, got number 5$/);
    expectRefused(requestWith(span({ attributes: {} })), /attributes must be an array/);
    expectRefused(requestWith(span({ attributes: [{ key: 'k', value: { intValue: 'abc' } }] })), /intValue must be an int64/);
    expectRefused(requestWith(span({ attributes: [{ key: 'k', value: { intValue: 1.5 } }] })), /intValue must be an int64/);
    expectRefused(requestWith(span({ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] })), /intValue must be an int64/);
    expectRefused(requestWith(span({ attributes: [{ key: 'k', value: { boolValue: 'yes' } }] })), /boolValue must be a boolean/);
    expectRefused(requestWith(span({ attributes: [{ key: 'k', value: 'plain' }] })), /an AnyValue must be an object/);
    expectRefused(requestWith(span({ attributes: [{ key: 7 }] })), /key must be a string/);
    expectRefused(requestWith(span({ startTimeUnixNano: '-1' })), /startTimeUnixNano must be a uint64/);
    expectRefused(requestWith(span({ startTimeUnixNano: '18446744073709551616' })), /startTimeUnixNano must be a uint64/);
    expectRefused(requestWith(span({ endTimeUnixNano: 1.5 })), /endTimeUnixNano must be a uint64/);
    expectRefused(requestWith(span({ flags: -1 })), /flags must be a uint32/);
    expectRefused(requestWith(span({ kind: true })), /kind must be an enum number or name/);
    expectRefused(requestWith(span({ status: 'ERROR' })), /status must be an object/);
    expectRefused(requestWith(span({ events: [null] })), /each item that should be an Event must be an object, got null/);
    // Even when the span itself would be rejected, a mistyped field means the sender's encoder is broken.
    expectRefused(requestWith(span({ startTimeUnixNano: '0', droppedLinksCount: 'many' })), /droppedLinksCount must be a uint32/);
  });

  it('answers 2,000 seeded random mutations with a result or OtlpDecodeError', () => {
    const valid = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeSpans: [
            {
              scope: { name: 'lib', version: '1' },
              spans: [
                span({
                  kind: 2,
                  parentSpanId: 'eee19b7ec3c1b173',
                  status: { code: 2, message: 'boom' },
                  attributes: [
                    { key: 'i', value: { intValue: '12345678901234567' } },
                    { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { doubleValue: 1.5 }] } } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'b', value: { boolValue: false } }] } } },
                  ],
                  events: [{ timeUnixNano: '1500', name: 'e' }],
                  links: [{ traceId: TRACE_ID, spanId: 'eee19b7ec3c1b172' }],
                }),
              ],
            },
          ],
        },
      ],
    });
    const alphabet = '{}[]":,0123456789-.eE abcdefABCDEF\\nulltruefalse';
    const random = seededRandom(0x15);
    const int = (n: number) => Math.floor(random() * n);
    const outcomes = { decoded: 0, refused: 0 };
    for (let i = 0; i < 2_000; i++) {
      let text = valid;
      for (let edits = 1 + int(3); edits > 0; edits--) {
        const at = int(text.length);
        const piece = alphabet[int(alphabet.length)]!;
        switch (int(4)) {
          case 0:
            text = text.slice(0, at) + piece + text.slice(at + 1);
            break;
          case 1:
            text = text.slice(0, at) + text.slice(at + 1 + int(6));
            break;
          case 2:
            text = text.slice(0, at) + piece + text.slice(at);
            break;
          default:
            text = text.slice(0, at);
        }
      }
      let outcome: DecodedTraces | OtlpDecodeError;
      try {
        outcome = decodeTracesJson(text);
      } catch (err) {
        if (!(err instanceof OtlpDecodeError)) throw new Error(`decoder threw ${String(err)} for ${text}`, { cause: err });
        outcome = err;
      }
      if (outcome instanceof OtlpDecodeError) outcomes.refused++;
      else outcomes.decoded++;
    }
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  });
});
