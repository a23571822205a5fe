import { describe, expect, it } from 'vitest';
import type { RunbookContent } from '@/lib/schemas/runbooks';
import { parseRunbookFile, serializeRunbookFile } from './files';

const content = (over: Partial<RunbookContent> = {}): RunbookContent => ({
  title: 'Retry storm',
  slug: 'retry-storm',
  ownerTeam: 'SRE',
  tags: ['retries', 'overload'],
  services: ['checkout'],
  ruleKinds: ['retry_amplification'],
  body: 'What to do.\n\n## Immediate mitigation\n\n1. Stop retrying.\n',
  ...over,
});

describe('runbook files', () => {
  it('writes front matter in a fixed order with inline lists, then the body', () => {
    expect(serializeRunbookFile(content())).toBe(
      [
        '---',
        'title: Retry storm',
        'ownerTeam: SRE',
        'tags: [retries, overload]',
        'services: [checkout]',
        'ruleKinds: [retry_amplification]',
        '---',
        'What to do.',
        '',
        '## Immediate mitigation',
        '',
        '1. Stop retrying.',
        '',
      ].join('\n'),
    );
  });

  const tricky: Array<[string, Partial<RunbookContent>]> = [
    ['YAML-looking title', { title: 'Errors: "5xx" & #timeouts — [part 2]' }],
    ['number-like and boolean-like values', { title: '404', ownerTeam: 'yes', tags: ['true', '1.5', 'null'] }],
    ['unicode', { title: 'Zeitüberschreitung ⏱', services: ['paiement-ñ'] }],
    ['empty lists and owner', { ownerTeam: '', tags: [], services: [], ruleKinds: [] }],
    ['empty body', { body: '' }],
    ['no trailing newline', { body: 'last line' }],
    ['body opening with a blank line and a rule', { body: '\n---\n\ntext ---\n---' }],
    ['CRLF line ends and trailing spaces', { body: 'line one  \r\nline two\r\n\r\n' }],
    ['front-matter-like body', { body: '---\ntitle: not front matter\n---\n' }],
    ['long title', { title: 'x '.repeat(99) + 'y' }],
    ['service names with spaces and slashes', { services: ['orders db', 'api/v2'] }],
    ['line and paragraph separators inside values', { title: 'x\u2028---\u2028y', ownerTeam: 'a\u2029b', body: 'one\u2028---\u2028two\n' }],
    ['an empty front-matter value before the closing line', { ownerTeam: '' }],
  ];

  it.each(tricky)('round-trips exactly: %s', (_, over) => {
    const original = content(over);
    const file = serializeRunbookFile(original);
    const parsed = parseRunbookFile(file, `${original.slug}.md`);
    expect(parsed).toEqual(original);
    expect(serializeRunbookFile(parsed)).toBe(file);
  });

  it('reads hand-written files with block lists and missing optional fields', () => {
    const parsed = parseRunbookFile('---\ntitle: Queue backlog\ntags:\n  - queues\n---\nBody\n', 'dir/queue-backlog.md');
    expect(parsed).toEqual({ title: 'Queue backlog', slug: 'queue-backlog', ownerTeam: '', tags: ['queues'], services: [], ruleKinds: [], body: 'Body\n' });
  });

  it.each([
    ['no front matter', '# Title\n', /x\.md: must start with a front-matter line/],
    ['unclosed front matter', '---\ntitle: A\n', /x\.md: front matter is not closed/],
    ['bad YAML', '---\ntitle: [unclosed\n---\n', /x\.md: front matter is not valid YAML/],
    ['a list as front matter', '---\n- a\n---\n', /x\.md: front matter must be a mapping/],
    ['missing title', '---\nownerTeam: SRE\n---\n', /x\.md: front matter\.title: /],
    ['unknown rule kind', '---\ntitle: A\nruleKinds: [cpu_high]\n---\n', /x\.md: front matter\.ruleKinds\.0: must be one of/],
    ['unknown field', '---\ntitle: A\nowner: SRE\n---\n', /x\.md: unknown front-matter field "owner"/],
    ['duplicate key', '---\ntitle: A\ntitle: B\n---\n', /x\.md: front matter is not valid YAML/],
  ])('names the file and the problem: %s', (_, text, message) => {
    expect(() => parseRunbookFile(text, 'x.md')).toThrow(message);
  });

  it('refuses a file name that is not a slug', () => {
    expect(() => parseRunbookFile('---\ntitle: A\n---\n', 'Retry Storm.md')).toThrow(/Retry Storm\.md: file name \(the slug\): must be lowercase/);
  });
});
