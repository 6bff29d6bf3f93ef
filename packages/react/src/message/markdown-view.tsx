'use client';

import { forwardRef, memo, type ReactElement, useMemo, useRef } from 'react';
import type { ChatLabels } from '../provider/labels';
import { renderGrowingList } from './growing-list';
import type { MarkdownProps } from './markdown';
import { splitMarkdownBlocks } from './markdown-blocks';
import { rememberMarkdownBlock, renderMarkdownBlock } from './markdown-cache';
import { markdownComponents } from './markdown-elements';
import { MarkdownLabelsContext } from './markdown-labels';
import type { MarkdownComponents } from './render-markdown';
import { closeStreamingMarkdown } from './streaming-markdown';

export type MarkdownViewProps = Omit<MarkdownProps, 'labels'> & {
  /** The labels, resolved (`useLabels`): this module reads no context of the provider's. */
  labels: ChatLabels;
};

/**
 * `Markdown` with its labels already resolved: what the on-demand chunk renders (see
 * `lazy-markdown.tsx`). Renders a model's markdown safely and cheaply: the text is split into top-level blocks and
 * each block is parsed and rendered on its own, memoized by its text, so a new frame of a
 * streaming answer re-parses only the last block (and of a list still growing there, only its
 * last item); and settled blocks are kept rendered (a bounded cache), so a message that scrolls
 * back into view parses nothing.
 */
export const MarkdownView = /* @__PURE__ */ memo(
  forwardRef<HTMLDivElement, MarkdownViewProps>(function MarkdownView(
    { text, streaming = false, components, labels, ...props },
    ref,
  ) {
    const elements = withDefaultComponents(components);
    const blocks = useMemo(() => splitMarkdownBlocks(text), [text]);
    const last = blocks.length - 1;
    return (
      <div {...props} ref={ref}>
        <MarkdownLabelsContext.Provider value={labels}>
          {blocks.map((block, index) => (
            <MarkdownBlock
              // Blocks only ever grow at the end, so a block's index is its identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={index}
              text={block}
              components={elements}
              settled={!streaming || index < last}
            />
          ))}
        </MarkdownLabelsContext.Provider>
      </div>
    );
  }),
);

// The same merged object for the same `components`, whichever message renders it, so rendered
// blocks are reused across messages (the cache matches them by this object).
let merged: WeakMap<MarkdownComponents, MarkdownComponents> | undefined;

function withDefaultComponents(components: MarkdownComponents | undefined): MarkdownComponents {
  if (!components) return markdownComponents;
  merged ??= new WeakMap();
  let elements = merged.get(components);
  if (!elements) {
    elements = { ...markdownComponents, ...components };
    merged.set(components, elements);
  }
  return elements;
}

const MarkdownBlock = /* @__PURE__ */ memo(function MarkdownBlock({
  text,
  components,
  settled,
}: {
  text: string;
  components: MarkdownComponents;
  settled: boolean;
}) {
  // The rendered items of a list still growing (see `renderGrowingList`), and the last whole
  // rendering, reused when the block settles as it was.
  const pieces = useRef<Map<string, ReactElement> | null>(null);
  const whole = useRef<{
    text: string;
    components: MarkdownComponents;
    element: ReactElement;
  } | null>(null);
  const element = useMemo(() => {
    // Still streaming: shown with what it leaves open closed (see `closeStreamingMarkdown`).
    const shown = settled ? text : closeStreamingMarkdown(text);
    if (!settled) {
      pieces.current ??= new Map();
      const growing = renderGrowingList(shown, components, pieces.current);
      if (growing) return growing;
    } else {
      pieces.current = null;
    }
    const previous = whole.current;
    if (previous?.text === shown && previous.components === components) return previous.element;
    const rendered = renderMarkdownBlock(shown, components);
    whole.current = { text: shown, components, element: rendered };
    return rendered;
  }, [text, components, settled]);
  // Kept once it can no longer change: the last block of an answer when the answer ends, every
  // other block as soon as the next one starts.
  if (settled) rememberMarkdownBlock(text, components, element);
  return <div data-markdown-block="">{element}</div>;
});
