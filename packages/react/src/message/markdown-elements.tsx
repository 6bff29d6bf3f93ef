'use client';

import { type ComponentPropsWithoutRef, useContext } from 'react';
import type { Components, ExtraProps } from 'react-markdown';
import { CodeBlock } from './code-block';
import { MarkdownLabelsContext } from './markdown-labels';
import { safeImageUrl, safeLinkUrl } from './safe-url';

/** Links leave the chat: a new tab, no opener, no referrer, and no endorsement for crawlers. */
export const externalLinkProps = {
  target: '_blank',
  rel: 'noopener noreferrer nofollow',
} as const;

/**
 * How markdown elements render. Links and images follow the URL policy of `safe-url.ts` once
 * more (react-markdown's `urlTransform` already dropped unsafe URLs), so a consumer's own
 * `urlTransform` cannot loosen it. One object for every message: rendered blocks are cached
 * per components object (see `markdown-cache.ts`).
 */
export const markdownComponents: Components = {
  a: ({ node, href, children, ...props }: ComponentPropsWithoutRef<'a'> & ExtraProps) => {
    // A footnote's "back to the text" arrow links within the page, which answers never do.
    if (node?.properties.dataFootnoteBackref !== undefined) return null;
    const url = safeLinkUrl(href);
    if (!url) return <span className="confab-markdown__unsafe-link">{children}</span>;
    return (
      <a {...props} {...externalLinkProps} href={url}>
        {children}
      </a>
    );
  },
  img: ({ src, alt }: ComponentPropsWithoutRef<'img'> & ExtraProps) => (
    <ImageLink src={src} alt={alt} />
  ),
  pre: CodeBlock,
  table: ({ node: _node, ...props }: ComponentPropsWithoutRef<'table'> & ExtraProps) => (
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

/**
 * Every element the markdown may produce (CommonMark, GFM tables, task lists, strikethrough and
 * footnotes, highlighted code). Anything else is dropped: react-markdown renders no raw HTML
 * (it shows it as text), and this list keeps it so if a plugin is ever added.
 */
export const allowedMarkdownElements = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'img',
  'input',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'span',
  'strong',
  'sup',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];
