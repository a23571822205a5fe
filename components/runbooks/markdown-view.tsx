'use client';

import { useEffect, useRef } from 'react';

/**
 * Rendered runbook markdown. `html` must come from renderRunbookMarkdown (the server's `html` or
 * the editor's preview): it is sanitised there, and nothing else is ever injected as HTML here.
 * With `followsHash`, a "#section" in the address (a jump-to-section link, the contents list)
 * scrolls that heading into view and moves keyboard focus to it.
 */
export function MarkdownView({ html, followsHash = false, className }: { html: string; followsHash?: boolean; className?: string }) {
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!followsHash) return;
    function focusSection() {
      const container = bodyRef.current;
      const id = sectionIdFromHash(window.location.hash);
      if (!container || !id) return;
      // Looked up inside the body: a heading called "Content" must not find the page's <main id="content">.
      const heading = container.querySelector<HTMLElement>(`#${CSS.escape(id)}`);
      if (!heading) return;
      // Headings are not focusable by default; -1 lets focus land there without adding a tab stop.
      if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
      heading.scrollIntoView({ block: 'start' });
      heading.focus({ preventScroll: true });
    }
    focusSection();
    window.addEventListener('hashchange', focusSection);
    return () => window.removeEventListener('hashchange', focusSection);
  }, [followsHash]);

  return <div ref={bodyRef} className={className ? `markdown-body ${className}` : 'markdown-body'} dangerouslySetInnerHTML={{ __html: html }} />;
}

function sectionIdFromHash(hash: string): string {
  const raw = hash.replace(/^#/, '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
