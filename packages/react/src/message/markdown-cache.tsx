'use client';

import { Fragment, type ReactElement } from 'react';
import { LruCache } from '../internal/lru-cache';
import { splitMarkdownBlocks } from './markdown-blocks';
import { markdownComponents } from './markdown-elements';
import { type MarkdownComponents, renderMarkdown } from './render-markdown';

/**
 * How much settled markdown stays rendered, in characters of source: some 160 answers of 1,250
 * characters, many screens of a long thread in either direction. The rendered elements and the
 * few syntax-tree nodes they keep weigh about 30 bytes per character in V8: some 6 MB when full.
 */
export const renderedMarkdownCapacity = 200_000;

interface RenderedBlock {
  components: MarkdownComponents;
  element: ReactElement;
}

// Keyed by the block's text: a block renders the same wherever it is, in any message. Made
// when the first block settles, not when the module loads. Code is highlighted when it mounts
// (see `CodeBlock`), so a grammar added later needs nothing cleared here.
let rendered: LruCache<string, RenderedBlock> | undefined;

function lookUp(text: string, components: MarkdownComponents): ReactElement | undefined {
  const entry = rendered?.get(text);
  return entry?.components === components ? entry.element : undefined;
}

/**
 * One markdown block as React elements: parsed (CommonMark and GFM), its elements rendered by
 * `components` (whose links and images apply the URL policy, whose code blocks highlight).
 * Reuses the rendering of a settled block seen before (a message scrolled back into view parses
 * nothing). The elements describe the output, so React mounts the same elements again as often
 * as needed.
 */
export function renderMarkdownBlock(text: string, components: MarkdownComponents): ReactElement {
  return lookUp(text, components) ?? <Fragment>{renderMarkdown(text, components)}</Fragment>;
}

/**
 * Keeps a settled block's rendering for the next time it mounts. Only for text that will not
 * change: a block still streaming would fill the cache with versions of itself.
 */
export function rememberMarkdownBlock(
  text: string,
  components: MarkdownComponents,
  element: ReactElement,
): void {
  rendered ??= new LruCache(renderedMarkdownCapacity);
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
  components: MarkdownComponents = markdownComponents,
): boolean {
  return lookUp(text, components) !== undefined;
}
