'use client';

import { messageText, type Thread } from '@confab/core';
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode } from 'react';
import { useForkThread } from '../hooks/use-thread-copy';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { useOpenThread } from '../provider/thread-navigation';
import { useThreadScope, useThreadSelector, useThreadStatus } from '../provider/thread-scope';
import { useMessageContext } from './message-root';
import { useCopyToClipboard } from './use-copy-to-clipboard';

/** A row of actions on a message (`role="group"`; give it an `aria-label`). */
export const MessageActions = /* @__PURE__ */ forwardRef<
  HTMLDivElement,
  ComponentPropsWithoutRef<'div'>
>(function MessageActions(props, ref) {
  // biome-ignore lint/a11y/useSemanticElements: a fieldset groups form fields; these are buttons.
  return <div role="group" {...props} ref={ref} />;
});

export type MessageCopyProps = Omit<ComponentPropsWithoutRef<'button'>, 'children'> & {
  /** The button's content; a function receives whether the text was just copied. */
  children?: ReactNode | ((state: { copied: boolean }) => ReactNode);
};

/** Copies the message's text. `data-copied` for two seconds after a copy. */
export const MessageCopy = /* @__PURE__ */ forwardRef<HTMLButtonElement, MessageCopyProps>(
  function MessageCopy({ children, onClick, ...props }, ref) {
    const message = useMessageContext();
    const { copied, copy } = useCopyToClipboard();
    return (
      <button
        type="button"
        data-copied={copied ? '' : undefined}
        {...props}
        ref={ref}
        onClick={composeEventHandlers(onClick, () => void copy(messageText(message)))}
      >
        {typeof children === 'function' ? children({ copied }) : children}
      </button>
    );
  },
);

/**
 * Makes again what failed, through the session's `retry`: on a message whose send the server
 * never accepted, it sends it again; on a failed or interrupted answer, it asks for a new one.
 * Rendered only on the thread's newest message while there is something to retry, and disabled
 * while a reply is on its way.
 */
export const MessageRetry = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'>
>(function MessageRetry(props, ref) {
  const message = useMessageContext();
  const session = useThreadScope();
  const retryable = useThreadSelector(
    (state) => state.canRetry && state.messages.at(-1)?.id === message.id,
  );
  if (!retryable) return null;
  return <RunButton {...props} ref={ref} run={() => void session.retry()} />;
});

/**
 * Asks for another answer in place of this one, through the session's `regenerate`: the old
 * answer stays as a version (see `BranchPicker`). Rendered on any answer once it has ended
 * (complete or stopped; a failed one has `Retry`), and disabled while a reply is on its way.
 */
export const MessageRegenerate = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'> & {
    /** The model to answer with; default the session's. */
    model?: string;
  }
>(function MessageRegenerate({ model, ...props }, ref) {
  const message = useMessageContext();
  const session = useThreadScope();
  const ended = message.status === 'complete' || message.status === 'cancelled';
  if (!ended || message.role !== 'assistant' || message.parentId === null) return null;
  const regenerate = () => void session.regenerate(message.id, model ? { model } : {});
  return <RunButton {...props} ref={ref} run={regenerate} />;
});

/**
 * Deletes the message and every message below it, through the session's `deleteMessage`, at
 * once: put it behind a confirmation (the styled `Message` does). Disabled while a reply is on
 * its way.
 */
export const MessageDelete = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'>
>(function MessageDelete(props, ref) {
  const message = useMessageContext();
  const session = useThreadScope();
  return <RunButton {...props} ref={ref} run={() => void session.deleteMessage(message.id)} />;
});

export type MessageForkProps = ComponentPropsWithoutRef<'button'> & {
  /** The new thread, once the server has made it (the surrounding `ChatView` opens it). */
  onForked?: (thread: Thread) => void;
};

/**
 * Copies the conversation up to this message into a new thread (`useForkThread`), then opens it
 * in the surrounding `ChatView`. `data-pending` while the copy is being made.
 */
export const MessageFork = /* @__PURE__ */ forwardRef<HTMLButtonElement, MessageForkProps>(
  function MessageFork({ onForked, onClick, disabled, ...props }, ref) {
    const message = useMessageContext();
    const { threadId } = useThreadScope();
    const openThread = useOpenThread();
    const fork = useForkThread();
    if (threadId === null) return null;
    return (
      <button
        type="button"
        data-pending={fork.isPending ? '' : undefined}
        aria-disabled={fork.isPending || undefined}
        disabled={disabled}
        {...props}
        ref={ref}
        onClick={composeEventHandlers(onClick, () => {
          if (fork.isPending) return;
          fork.mutate(
            { threadId, messageId: message.id },
            {
              onSuccess: (thread) => {
                onForked?.(thread);
                openThread?.(thread.id);
              },
            },
          );
        })}
      />
    );
  },
);

/** A button that starts a reply: disabled while one is on its way in the surrounding thread. */
const RunButton = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'> & { run: () => void }
>(function RunButton({ run, onClick, disabled, ...props }, ref) {
  const status = useThreadStatus();
  const busy = status === 'submitted' || status === 'streaming';
  return (
    <button
      type="button"
      disabled={busy || disabled}
      {...props}
      ref={ref}
      onClick={composeEventHandlers(onClick, run)}
    />
  );
});
