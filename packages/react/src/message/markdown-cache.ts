'use client';

import type { ReactElement } from 'react';
import renderMarkdown, { type Components, type Options as MarkdownOptions } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { LruCache } from '../internal/lru-cache';
import { splitMarkdownBlocks } from './markdown-blocks';
import { allowedMarkdownElements, markdownComponents } from './markdown-elements';
import { codeLanguagesVersion, rehypeHighlightCode } from './rehype-highlight-code';
import { markdownUrlTransform } from './safe-url';

const remarkPlugins: MarkdownOptions['remarkPlugins'] = [remarkGfm];
const rehypePlugins: MarkdownOptions['rehypePlugins'] = [rehypeHighlightCode];

/**
 * How much settled markdown stays rendered, in characters of source: some 160 answers of 1,250
 * characters, many screens of a long thread in either direction. The rendered elements and the
 * few syntax-tree nodes they keep weigh about 30 bytes per character in V8: some 6 MB when full.
 */
export const renderedMarkdownCapacity = 200_000;

interface RenderedBlock {
  components: Components;
  element: ReactElement;
}

// Keyed by the block's text: a block renders the same wherever it is, in any message.
const rendered = new LruCache<string, RenderedBlock>(renderedMarkdownCapacity);
let renderedWithLanguages = codeLanguagesVersion();

function lookUp(text: string, components: Components): ReactElement | undefined {
  // A grammar registered since renders code differently: start again.
  if (renderedWithLanguages !== codeLanguagesVersion()) {
    rendered.clear();
    renderedWithLanguages = codeLanguagesVersion();
  }
  const entry = rendered.get(text);
  return entry?.components === components ? entry.element : undefined;
}

/**
 * One markdown block as React elements: parsed (CommonMark and GFM), its code highlighted, its
 * URLs passed through the link policy, its elements rendered by `components`. Reuses the
 * rendering of a settled block seen before (a message scrolled back into view parses nothing).
 *
 * react-markdown's `Markdown` is a plain function of its options (it uses no hooks), so it can
 * be called here and its elements kept: they describe the output, and React mounts the same
 * elements again as often as needed.
 */
export function renderMarkdownBlock(text: string, components: Components): ReactElement {
  return (
    lookUp(text, components) ??
    renderMarkdown({
      children: text,
      remarkPlugins,
      rehypePlugins,
      allowedElements: allowedMarkdownElements,
      urlTransform: markdownUrlTransform,
      components,
    })
  );
}

/**
 * Keeps a settled block's rendering for the next time it mounts. Only for text that will not
 * change: a block still streaming would fill the cache with versions of itself.
 */
export function rememberMarkdownBlock(
  text: string,
  components: Components,
  element: ReactElement,
): void {
  if (renderedWithLanguages !== codeLanguagesVersion()) return;
  rendered.set(text, { components, element }, text.length);
}

/**
 * Renders settled markdown ahead of time, with the default elements, so that mounting it later
 * (a message about to scroll into view) parses nothing. Returns whether there was work to do.
 */
export function prepareMarkdown(text: string): boolean {
  let worked = false;
  for (const block of splitMarkdownBlocks(text)) {
    if (lookUp(block, markdownComponents)) continue;
    rememberMarkdownBlock(
      block,
      markdownComponents,
      renderMarkdownBlock(block, markdownComponents),
    );
    worked = true;
  }
  return worked;
}

/** Whether a block is kept rendered (for tests). */
export function isMarkdownBlockRendered(
  text: string,
  components: Components = markdownComponents,
): boolean {
  return lookUp(text, components) !== undefined;
}
