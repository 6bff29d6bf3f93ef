'use client';

import { type ComponentPropsWithoutRef, useContext } from 'react';
import { CodeBlock } from './code-block';
import { MarkdownLabelsContext } from './markdown-labels';
import type { MarkdownComponents } from './render-markdown';
import { externalLinkProps, safeImageUrl, safeLinkUrl } from './safe-url';

/**
 * How markdown elements render. Links and images follow the URL policy of `safe-url.ts` once
 * more (`renderMarkdown` already dropped unsafe URLs): an unsafe link shows as its text, an
 * image never loads. One object for every message: rendered blocks are cached per components
 * object (see `markdown-cache.tsx`).
 */
export const markdownComponents: MarkdownComponents = {
  a: ({ href, children, ...props }: ComponentPropsWithoutRef<'a'>) => {
    const url = safeLinkUrl(href);
    if (!url) return <span className="confab-markdown__unsafe-link">{children}</span>;
    return (
      <a {...props} {...externalLinkProps} href={url}>
        {children}
      </a>
    );
  },
  img: ({ src, alt }: ComponentPropsWithoutRef<'img'>) => <ImageLink src={src} alt={alt} />,
  pre: CodeBlock,
  table: (props: ComponentPropsWithoutRef<'table'>) => (
    // Focusable so that keyboard users can scroll a wide table.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <div className="confab-markdown__table-scroll" tabIndex={0}>
      <table {...props} />
    </div>
  ),
};

/**
 * Images are never fetched on their own: a remote image reveals the reader to its host (a
 * tracking pixel) and a prompt-injected answer could exfiltrate the conversation in its URL.
 */
function ImageLink({ src, alt }: { src: ComponentPropsWithoutRef<'img'>['src']; alt?: string }) {
  const { imageLink } = useContext(MarkdownLabelsContext);
  const url = typeof src === 'string' ? safeImageUrl(src) : undefined;
  const text = imageLink(alt ?? '');
  if (!url) return <span className="confab-markdown__image-link">{text}</span>;
  return (
    <a {...externalLinkProps} href={url} className="confab-markdown__image-link">
      {text}
    </a>
  );
}
