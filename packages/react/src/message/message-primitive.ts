'use client';

import { BranchPicker } from './branch-picker';
import { LazyMarkdown } from './lazy-markdown';
import {
  MessageActions,
  MessageCopy,
  MessageDelete,
  MessageFork,
  MessageRegenerate,
  MessageRetry,
} from './message-actions';
import { MessageAnnouncer } from './message-announcer';
import {
  MessageContent,
  MessageFile,
  MessageReasoning,
  MessageSource,
  MessageText,
} from './message-content';
import { MessageEdit } from './message-edit';
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
 *   <MessagePrimitive.EditRoot>
 *     <MessagePrimitive.EditInput aria-label="Edit your message" />
 *     <MessagePrimitive.EditCancel>Cancel</MessagePrimitive.EditCancel>
 *     <MessagePrimitive.EditSave>Save</MessagePrimitive.EditSave>
 *   </MessagePrimitive.EditRoot>
 *   <MessagePrimitive.Actions aria-label="Message actions">
 *     <MessagePrimitive.BranchPicker.Root aria-label="Versions">
 *       <MessagePrimitive.BranchPicker.Previous>‹</MessagePrimitive.BranchPicker.Previous>
 *       <MessagePrimitive.BranchPicker.Count />
 *       <MessagePrimitive.BranchPicker.Next>›</MessagePrimitive.BranchPicker.Next>
 *     </MessagePrimitive.BranchPicker.Root>
 *     <MessagePrimitive.Copy>Copy</MessagePrimitive.Copy>
 *     <MessagePrimitive.EditTrigger>Edit</MessagePrimitive.EditTrigger>
 *     <MessagePrimitive.Regenerate>Regenerate</MessagePrimitive.Regenerate>
 *     <MessagePrimitive.Fork>Fork from here</MessagePrimitive.Fork>
 *     <MessagePrimitive.Delete>Delete (put a confirmation first)</MessagePrimitive.Delete>
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
  Delete: MessageDelete,
  Fork: MessageFork,
  BranchPicker,
  EditTrigger: MessageEdit.Trigger,
  EditRoot: MessageEdit.Root,
  EditInput: MessageEdit.Input,
  EditSave: MessageEdit.Save,
  EditCancel: MessageEdit.Cancel,
  Announcer: MessageAnnouncer,
};
