'use client';

import { messageText } from '@confab/core';
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode } from 'react';
import { composeEventHandlers } from '../internal/compose-event-handlers';
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
 * Asks for another answer in place of this one, through the session's `regenerate`. Rendered
 * only on the thread's latest answer once it has ended (complete or stopped; a failed one has
 * `Retry`), and disabled while a reply is on its way.
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
  const latest = useThreadSelector((state) => state.messages.at(-1)?.id === message.id);
  const ended = message.status === 'complete' || message.status === 'cancelled';
  if (!latest || !ended || message.role !== 'assistant' || message.parentId === null) return null;
  const regenerate = () => void session.regenerate(message.id, model ? { model } : {});
  return <RunButton {...props} ref={ref} run={regenerate} />;
});

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
