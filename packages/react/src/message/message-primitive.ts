'use client';

import { LazyMarkdown } from './lazy-markdown';
import { MessageActions, MessageCopy, MessageRegenerate, MessageRetry } from './message-actions';
import { MessageAnnouncer } from './message-announcer';
import {
  MessageContent,
  MessageFile,
  MessageReasoning,
  MessageSource,
  MessageText,
} from './message-content';
import { MessageError, MessageIf, MessageRoot } from './message-root';

/**
 * The unstyled parts of a message, to compose your own:
 *
 * ```tsx
 * <MessagePrimitive.Root messageId={id}>
 *   <MessagePrimitive.Content />
 *   <MessagePrimitive.If status="failed">
 *     <MessagePrimitive.Error /> <MessagePrimitive.Retry>Retry</MessagePrimitive.Retry>
 *   </MessagePrimitive.If>
 *   <MessagePrimitive.Actions aria-label="Message actions">
 *     <MessagePrimitive.Copy>Copy</MessagePrimitive.Copy>
 *     <MessagePrimitive.Regenerate>Regenerate</MessagePrimitive.Regenerate>
 *   </MessagePrimitive.Actions>
 *   <MessagePrimitive.Announcer className="visually-hidden" />
 * </MessagePrimitive.Root>
 * ```
 */
export const MessagePrimitive = {
  Root: MessageRoot,
  Content: MessageContent,
  Text: MessageText,
  // The renderer loads on demand (see `lazy-markdown.tsx`); `Markdown` renders at once.
  Markdown: LazyMarkdown,
  Reasoning: MessageReasoning,
  File: MessageFile,
  Source: MessageSource,
  If: MessageIf,
  Error: MessageError,
  Actions: MessageActions,
  Copy: MessageCopy,
  Retry: MessageRetry,
  Regenerate: MessageRegenerate,
  Announcer: MessageAnnouncer,
};
