import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { renderRunbookMarkdown } from './markdown';

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['documentFragment'];
type Element = DefaultTreeAdapterMap['element'];

/** Every element of the HTML as a browser would parse it. */
function elementsOf(html: string): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) found.push(node);
    if ('childNodes' in node) node.childNodes.forEach(walk);
    if ('content' in node && node.content) walk(node.content);
  };
  walk(parseFragment(html));
  return found;
}

const SAFE_TAGS = new Set([
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img', 'input', 'li', 'ol', 'p', 'pre',
  'section', 'strong', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
]);
const DANGEROUS_URL = /^\s*(javascript|vbscript|data|file):/i;

/** Fails the test if the rendered HTML could run anything in the browser. */
function expectInert(html: string) {
  for (const element of elementsOf(html)) {
    expect(SAFE_TAGS, `<${element.tagName}> in ${html}`).toContain(element.tagName);
    for (const attr of element.attrs) {
      expect(attr.name, `attribute ${attr.name} in ${html}`).not.toMatch(/^on/i);
      expect(attr.name).not.toBe('style');
      expect(attr.name).not.toBe('srcdoc');
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name)) expect(attr.value, html).not.toMatch(DANGEROUS_URL);
    }
    if (element.tagName === 'input') expect(element.attrs.find((a) => a.name === 'type')?.value).toBe('checkbox');
  }
}

// The usual payloads (OWASP XSS filter evasion cheat sheet and friends).
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html,<script>alert(1)</script>)',
  '![img](javascript:alert(1))',
  '![img](x" onerror="alert(1))',
  '[ref][1]\n\n[1]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '[x](/ok "title\\" onmouseover=\\"alert(1)")',
  '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |',
  '- [ ] <script>alert(1)</script>',
  '# <img src=x onerror=alert(1)>',
  '```html\n<script>alert(1)</script>\n```',
  '`<script>alert(1)</script>`',
  '<!-- --><script>alert(1)</script>',
  '[^a]\n\n[^a]: <img src=x onerror=alert(1)>',
];

describe('renderRunbookMarkdown', () => {
  it.each(PAYLOADS)('renders %j inert', (payload) => {
    const { html } = renderRunbookMarkdown(`Intro\n\n${payload}\n\nOutro`);
    expectInert(html);
  });

  it('shows raw HTML as text instead of dropping it', () => {
    const { html } = renderRunbookMarkdown('Restart with <kbd>Ctrl</kbd> then <script>alert(1)</script>');
    expect(html).toContain('&#x3C;kbd>Ctrl&#x3C;/kbd>');
    expect(html).toContain('&#x3C;script>alert(1)&#x3C;/script>');
    expect(elementsOf(html).map((e) => e.tagName)).toEqual(['p']);
  });

  it('keeps safe links and drops the dangerous href only', () => {
    const { html } = renderRunbookMarkdown('[ok](/runbooks/retry-storm) [web](https://example.com/a?b=1) [bad](javascript:alert(1))');
    const links = elementsOf(html).filter((e) => e.tagName === 'a');
    expect(links.map((a) => a.attrs.find((x) => x.name === 'href')?.value)).toEqual(['/runbooks/retry-storm', 'https://example.com/a?b=1', undefined]);
  });

  it('renders GitHub-flavoured markdown: tables, task lists, code, strikethrough, autolinks', () => {
    const { html } = renderRunbookMarkdown(
      ['| Signal | Check |', '|---|---|', '| errors | traces |', '', '- [x] paged', '- [ ] mitigated', '', '```sql', 'SELECT 1;', '```', '', '~~old~~ https://example.com'].join('\n'),
    );
    const tags = elementsOf(html).map((e) => e.tagName);
    expect(tags).toEqual(expect.arrayContaining(['table', 'thead', 'tbody', 'th', 'td', 'input', 'pre', 'code', 'del', 'a']));
    const boxes = elementsOf(html).filter((e) => e.tagName === 'input');
    expect(boxes.map((b) => b.attrs.some((a) => a.name === 'checked'))).toEqual([true, false]);
    expect(boxes.every((b) => b.attrs.some((a) => a.name === 'disabled'))).toBe(true);
    expect(html).toContain('<code class="language-sql">');
    expectInert(html);
  });

  it('gives headings anchors and lists them as sections, repeats numbered', () => {
    const { html, sections } = renderRunbookMarkdown('## Immediate mitigation\n\ntext\n\n### Retry amplification alert\n\n## Immediate mitigation\n');
    expect(sections).toEqual([
      { depth: 2, id: 'section-immediate-mitigation', text: 'Immediate mitigation' },
      { depth: 3, id: 'section-retry-amplification-alert', text: 'Retry amplification alert' },
      { depth: 2, id: 'section-immediate-mitigation-1', text: 'Immediate mitigation' },
    ]);
    expect(html).toContain('<h2 id="section-immediate-mitigation">');
    expect(html).toContain('href="#section-retry-amplification-alert"');
  });

  it("keeps heading ids clear of the page's own ids and of the footnotes' heading", () => {
    const { sections } = renderRunbookMarkdown('# Content\n\n# Footnote label\n\n# !!!\n\n# user-content-fn-1\n\nx[^1]\n\n[^1]: y');
    expect(sections.map((s) => s.id)).toEqual(['section-content', 'section-footnote-label', 'section-', 'section-user-content-fn-1']);
  });

  it('keeps footnote links working without listing the footnotes heading as a section', () => {
    const { html, sections } = renderRunbookMarkdown('Claim[^src]\n\n[^src]: Source');
    expect(sections).toEqual([]);
    const hrefs = elementsOf(html).flatMap((e) => e.attrs.filter((a) => a.name === 'href').map((a) => a.value));
    const ids = new Set(elementsOf(html).flatMap((e) => e.attrs.filter((a) => a.name === 'id').map((a) => a.value)));
    for (const href of hrefs.filter((h) => h.startsWith('#'))) expect(ids).toContain(href.slice(1));
  });
});
