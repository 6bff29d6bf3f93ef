'use client';

import type { Message, MessageStatus, Role } from '@confab/core';
import {
  type ComponentPropsWithoutRef,
  createContext,
  forwardRef,
  type ReactNode,
  useContext,
} from 'react';
import { useMessage } from '../provider/thread-scope';
import { MessageEditProvider, useMessageEditState } from './message-edit';

const MessageContext = /* @__PURE__ */ createContext<Message | null>(null);

/** The message of the surrounding `MessagePrimitive.Root`. */
export function useMessageContext(): Message {
  const message = useContext(MessageContext);
  if (!message) throw new Error('This component must be used inside <MessagePrimitive.Root>.');
  return message;
}

export type MessageRootProps = ComponentPropsWithoutRef<'article'> & { messageId: string };

/**
 * One message of the surrounding `ThreadScope`, as an `<article>`. It subscribes to that message
 * alone, so it re-renders when the message changes and never for another one's stream. Renders
 * nothing while the thread does not hold the message. It holds the inline edit of a question
 * (`MessagePrimitive.EditTrigger`, `EditRoot`...). State: `data-role`, `data-status`,
 * `data-streaming`, `data-editing`, and `data-error` (the error code of a failed message).
 */
export const MessageRoot = /* @__PURE__ */ forwardRef<HTMLElement, MessageRootProps>(
  function MessageRoot({ messageId, children, ...props }, ref) {
    const message = useMessage(messageId);
    const edit = useMessageEditState(message);
    if (!message) return null;
    return (
      <MessageContext.Provider value={message}>
        <MessageEditProvider value={edit}>
          <article
            data-message-root=""
            data-role={message.role}
            data-status={message.status}
            data-streaming={message.status === 'streaming' ? '' : undefined}
            data-editing={edit.editing ? '' : undefined}
            data-error={message.error?.code}
            {...props}
            ref={ref}
          >
            {children}
          </article>
        </MessageEditProvider>
      </MessageContext.Provider>
    );
  },
);

export interface MessageIfProps {
  role?: Role | readonly Role[];
  status?: MessageStatus | readonly MessageStatus[];
  /** Any other condition on the message. */
  when?: (message: Message) => boolean;
  children?: ReactNode;
}

/** Renders its children only when the message matches every condition given. */
export function MessageIf({ role, status, when, children }: MessageIfProps) {
  const message = useMessageContext();
  if (role !== undefined && !matches(role, message.role)) return null;
  if (status !== undefined && !matches(status, message.status)) return null;
  if (when && !when(message)) return null;
  return <>{children}</>;
}

function matches<T extends string>(expected: T | readonly T[], actual: T): boolean {
  return typeof expected === 'string' ? expected === actual : expected.includes(actual);
}

/** The error of a failed message (its text by default); nothing when it has none. */
export const MessageError = /* @__PURE__ */ forwardRef<
  HTMLParagraphElement,
  ComponentPropsWithoutRef<'p'>
>(function MessageError({ children, ...props }, ref) {
  const { error } = useMessageContext();
  if (!error) return null;
  return (
    <p data-error={error.code} {...props} ref={ref}>
      {children ?? error.message}
    </p>
  );
});

/** Whether an interrupted run (the server stopped mid-answer) left this message failed. */
export function isInterrupted(message: Message): boolean {
  return message.status === 'failed' && message.error?.code === 'interrupted';
}
