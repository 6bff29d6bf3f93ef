'use client';

import type { FilePart, Part, ReasoningPart, Role, SourcePart, TextPart } from '@confab/core';
import {
  type ComponentPropsWithoutRef,
  type ComponentType,
  forwardRef,
  memo,
  type ReactNode,
} from 'react';
import { useLabels } from '../provider/chat-provider';
import { LazyMarkdown } from './lazy-markdown';
import { useMessageContext } from './message-root';
import { externalLinkProps, safeLinkUrl } from './safe-url';

/** What each part renderer receives. */
export interface MessagePartProps<P extends Part = Part> {
  part: P;
  index: number;
  /** The part is the one text is streaming into. */
  streaming: boolean;
  /** The role of the message: user text is shown as written, other text as markdown. */
  role: Role;
}

export interface MessagePartComponents {
  Text?: ComponentType<MessagePartProps<TextPart>>;
  Reasoning?: ComponentType<MessagePartProps<ReasoningPart>>;
  File?: ComponentType<MessagePartProps<FilePart>>;
  Source?: ComponentType<MessagePartProps<SourcePart>>;
}

export type MessageContentProps = Omit<ComponentPropsWithoutRef<'div'>, 'children'> & {
  /** How each kind of part renders; the defaults are unstyled. */
  components?: MessagePartComponents;
  /** Shown after the parts (a typing indicator, say). */
  children?: ReactNode;
};

/**
 * The message's parts, in order. `aria-busy` while the answer streams: assistive technology
 * waits for the text to settle instead of reading a changing subtree (the announcer reports
 * the text as it completes). Each part is memoized by its content, so while an answer streams
 * only the part receiving text re-renders.
 */
export const MessageContent = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageContentProps>(
  function MessageContent({ components, children, ...props }, ref) {
    const message = useMessageContext();
    const streaming = message.status === 'streaming';
    const last = message.parts.length - 1;
    return (
      <div aria-busy={streaming || undefined} {...props} ref={ref}>
        {message.parts.map((part, index) => (
          <MessagePartView
            // Parts are only ever appended, so a part's index is its identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={index}
            part={part}
            index={index}
            streaming={streaming && index === last}
            role={message.role}
            components={components}
          />
        ))}
        {children}
      </div>
    );
  },
);

const MessagePartView = /* @__PURE__ */ memo(
  function MessagePartView({
    components,
    ...props
  }: MessagePartProps & { components: MessagePartComponents | undefined }) {
    const { part } = props;
    switch (part.type) {
      case 'text': {
        const Text = components?.Text ?? DefaultText;
        return <Text {...props} part={part} />;
      }
      case 'reasoning': {
        const Reasoning = components?.Reasoning ?? DefaultReasoning;
        return <Reasoning {...props} part={part} />;
      }
      case 'file': {
        const File = components?.File ?? MessageFile;
        return <File {...props} part={part} />;
      }
      case 'source': {
        const Source = components?.Source ?? MessageSource;
        return <Source {...props} part={part} />;
      }
      default:
        // A part kind this version does not know (a newer server): nothing to show.
        return null;
    }
  },
  (previous, next) =>
    previous.streaming === next.streaming &&
    previous.role === next.role &&
    previous.index === next.index &&
    previous.components === next.components &&
    samePart(previous.part, next.part),
);

/** Streamed text replaces part objects; two parts with the same content render the same. */
function samePart(previous: Part, next: Part): boolean {
  if (previous === next) return true;
  if (previous.type !== next.type) return false;
  if (
    (previous.type === 'text' || previous.type === 'reasoning') &&
    (next.type === 'text' || next.type === 'reasoning')
  ) {
    return previous.text === next.text;
  }
  return false;
}

export type MessageTextProps = Omit<ComponentPropsWithoutRef<'div'>, 'children'> & {
  text: string;
};

/** Text exactly as written, line breaks kept: what a user typed is not markdown. */
export const MessageText = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageTextProps>(
  function MessageText({ text, style, ...props }, ref) {
    return (
      <div data-part="text" {...props} style={{ whiteSpace: 'pre-wrap', ...style }} ref={ref}>
        {text}
      </div>
    );
  },
);

export type MessageReasoningProps = ComponentPropsWithoutRef<'details'> & { streaming?: boolean };

/** The model's reasoning, collapsed: a `<details>` whose `<summary>` the caller provides. */
export const MessageReasoning = /* @__PURE__ */ forwardRef<
  HTMLDetailsElement,
  MessageReasoningProps
>(function MessageReasoning({ streaming = false, ...props }, ref) {
  return (
    <details
      data-part="reasoning"
      data-streaming={streaming ? '' : undefined}
      {...props}
      ref={ref}
    />
  );
});

function DefaultText({ part, role, streaming }: MessagePartProps<TextPart>) {
  if (role === 'user') return <MessageText text={part.text} />;
  return <LazyMarkdown data-part="text" text={part.text} streaming={streaming} />;
}

function DefaultReasoning({ part, streaming }: MessagePartProps<ReasoningPart>) {
  const labels = useLabels();
  return (
    <MessageReasoning streaming={streaming}>
      <summary>{streaming ? labels.thinking : labels.reasoning}</summary>
      <LazyMarkdown text={part.text} streaming={streaming} />
    </MessageReasoning>
  );
}

/**
 * An attached file, as a link when its URL is safe to open. Never embedded: an image is opened
 * by the reader, not fetched on render.
 */
export function MessageFile({ part }: MessagePartProps<FilePart>) {
  const labels = useLabels();
  const url = safeLinkUrl(part.url);
  const name = part.filename ?? labels.attachment;
  if (!url) {
    return (
      <span data-part="file" data-media-type={part.mediaType}>
        {name}
      </span>
    );
  }
  return (
    <a data-part="file" data-media-type={part.mediaType} {...externalLinkProps} href={url}>
      {name}
    </a>
  );
}

/** A source the answer cites, as a link when its URL is safe to open. */
export function MessageSource({ part }: MessagePartProps<SourcePart>) {
  const url = safeLinkUrl(part.url);
  const title = part.title || (url ? new URL(url).host || url : part.url);
  if (!url) return <span data-part="source">{title}</span>;
  return (
    <a data-part="source" {...externalLinkProps} href={url}>
      {title}
    </a>
  );
}
