'use client';

import { type ComponentPropsWithoutRef, forwardRef, memo } from 'react';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { MarkdownView } from './markdown-view';
import type { MarkdownComponents } from './render-markdown';

export type MarkdownProps = Omit<ComponentPropsWithoutRef<'div'>, 'children'> & {
  /** The markdown source. Raw HTML in it is shown as text, never rendered. */
  text: string;
  /**
   * The text is still growing (an answer streaming in): its last block is re-rendered as it
   * grows and not kept for reuse. Settled text is rendered once, and reused when it mounts again.
   */
  streaming?: boolean;
  /**
   * Replaces how some elements render (URLs still pass the link policy). Keep the object stable
   * (module level or memoized): a new one re-renders every block.
   */
  components?: MarkdownComponents;
  labels?: Partial<ChatLabels>;
};

/**
 * Renders a model's markdown safely and cheaply, at once (see `MarkdownView`). What the package
 * exports as `Markdown` is `LazyMarkdown`, which loads this on demand.
 */
export const Markdown = /* @__PURE__ */ memo(
  forwardRef<HTMLDivElement, MarkdownProps>(function Markdown(
    { labels: labelsOverride, ...props },
    ref,
  ) {
    const labels = useLabels(labelsOverride);
    return <MarkdownView {...props} labels={labels} ref={ref} />;
  }),
);
