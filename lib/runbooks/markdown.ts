import type { Element, Root as HastRoot } from 'hast';
import { toString as hastText } from 'hast-util-to-string';
import type { Root as MdastRoot, Text } from 'mdast';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { RunbookSection } from '@/lib/schemas/runbooks';

// Runbook markdown → HTML that is safe to put in the page. GitHub-flavoured markdown (tables,
// task lists, strikethrough, autolinks, footnotes) through remark/rehype, then GitHub's own
// sanitising schema. Raw HTML in the markdown is shown as text rather than dropped, so an author
// sees what they wrote instead of a silent gap. The same function renders the editor's preview in
// the browser and the page on the server, so what is previewed is what is shown.

/** Raw HTML nodes become literal text: neither executed nor silently lost. */
function rawHtmlAsText() {
  return (tree: MdastRoot) => {
    visit(tree, 'html', (node, index, parent) => {
      if (!parent || index === undefined) return;
      const text: Text = { type: 'text', value: node.value, position: node.position };
      parent.children.splice(index, 1, text);
    });
  };
}

/** Every heading's id starts with this: `/runbooks/<slug>#section-immediate-mitigation`. */
export const SECTION_ID_PREFIX = 'section-';

// remark-rehype prefixes footnote ids (and only those: raw HTML never reaches the tree) with
// "user-content-", so the sanitiser need not prefix ids again and footnote links keep working.
// The footnotes' own (screen-reader) heading is not a section: only ids rehype-slug made are.
const isSectionId = (id: string) => id.startsWith(SECTION_ID_PREFIX);

/** Collects the headings (after rehype-slug gave them ids) into `file.data.sections`. */
function collectSections() {
  return (tree: HastRoot, file: { data: Record<string, unknown> }) => {
    const sections: RunbookSection[] = [];
    visit(tree, 'element', (node: Element) => {
      const depth = /^h([1-6])$/.exec(node.tagName)?.[1];
      const id = node.properties?.id;
      if (depth && typeof id === 'string' && isSectionId(id)) sections.push({ depth: Number(depth), id, text: hastText(node).trim() });
    });
    file.data.sections = sections;
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(rawHtmlAsText)
  .use(remarkRehype)
  .use(rehypeSanitize, { ...defaultSchema, clobberPrefix: '' })
  // Heading ids and anchor links are added after sanitising: they are made here, not by authors.
  // The prefix keeps them clear of the page's own ids (`#content`) and of window properties.
  .use(rehypeSlug, { prefix: SECTION_ID_PREFIX })
  .use(collectSections)
  .use(rehypeAutolinkHeadings, {
    behavior: 'append',
    test: (node: Element) => isSectionId(String(node.properties?.id ?? '')),
    properties: { className: ['heading-anchor'], ariaHidden: 'true', tabIndex: -1 },
    content: { type: 'text', value: '#' },
  })
  .use(rehypeStringify)
  .freeze();

export interface RenderedRunbook {
  html: string;
  sections: RunbookSection[];
}

export function renderRunbookMarkdown(markdown: string): RenderedRunbook {
  const file = processor.processSync(markdown);
  return { html: String(file), sections: (file.data.sections as RunbookSection[] | undefined) ?? [] };
}
