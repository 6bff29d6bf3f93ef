'use client';

import { type ComponentPropsWithoutRef, forwardRef, memo, useMemo } from 'react';
import ReactMarkdown, { type Components, type Options as MarkdownOptions } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { splitMarkdownBlocks } from './markdown-blocks';
import { allowedMarkdownElements, createMarkdownComponents } from './markdown-elements';
import { rehypeHighlightCode } from './rehype-highlight-code';
import { markdownUrlTransform } from './safe-url';

const remarkPlugins: MarkdownOptions['remarkPlugins'] = [remarkGfm];
const rehypePlugins: MarkdownOptions['rehypePlugins'] = [rehypeHighlightCode];

export type MarkdownProps = Omit<ComponentPropsWithoutRef<'div'>, 'children'> & {
  /** The markdown source. Raw HTML in it is shown as text, never rendered. */
  text: string;
  /**
   * Replaces how some elements render (URLs still pass the link policy). Keep the object stable
   * (module level or memoized): a new one re-renders every block.
   */
  components?: Components;
  labels?: Partial<ChatLabels>;
};

/**
 * Renders a model's markdown safely and cheaply while it streams: the text is split into
 * top-level blocks and each block is parsed and rendered on its own, memoized by its text, so
 * a new frame of a streaming answer re-parses only the last block.
 */
export const Markdown = memo(
  forwardRef<HTMLDivElement, MarkdownProps>(function Markdown(
    { text, components, labels: labelsOverride, ...props },
    ref,
  ) {
    const labels = useLabels(labelsOverride);
    const { copyCode, copied, imageLink } = labels;
    const merged = useMemo(
      () => ({ ...createMarkdownComponents({ copyCode, copied, imageLink }), ...components }),
      [copyCode, copied, imageLink, components],
    );
    const blocks = useMemo(() => splitMarkdownBlocks(text), [text]);
    return (
      <div {...props} ref={ref}>
        {blocks.map((block, index) => (
          // Blocks only ever grow at the end, so a block's index is its identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <MarkdownBlock key={index} text={block} components={merged} />
        ))}
      </div>
    );
  }),
);

const MarkdownBlock = memo(function MarkdownBlock({
  text,
  components,
}: {
  text: string;
  components: Components;
}) {
  return (
    <div data-markdown-block="">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        allowedElements={allowedMarkdownElements}
        urlTransform={markdownUrlTransform}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
