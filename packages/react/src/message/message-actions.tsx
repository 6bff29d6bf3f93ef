'use client';

import { messageText } from '@confab/core';
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode } from 'react';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { useThreadScope, useThreadSelector, useThreadStatus } from '../provider/thread-scope';
import { useMessageContext } from './message-root';
import { useCopyToClipboard } from './use-copy-to-clipboard';

/** A row of actions on a message (`role="group"`; give it an `aria-label`). */
export const MessageActions = forwardRef<HTMLDivElement, ComponentPropsWithoutRef<'div'>>(
  function MessageActions(props, ref) {
    // biome-ignore lint/a11y/useSemanticElements: a fieldset groups form fields; these are buttons.
    return <div role="group" {...props} ref={ref} />;
  },
);

export type MessageCopyProps = Omit<ComponentPropsWithoutRef<'button'>, 'children'> & {
  /** The button's content; a function receives whether the text was just copied. */
  children?: ReactNode | ((state: { copied: boolean }) => ReactNode);
};

/** Copies the message's text. `data-copied` for two seconds after a copy. */
export const MessageCopy = forwardRef<HTMLButtonElement, MessageCopyProps>(function MessageCopy(
  { children, onClick, ...props },
  ref,
) {
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
});

/**
 * Sends again the thread's send that the server never accepted, through the session's `retry`.
 * Rendered only on the thread's newest message while there is such a send (a failed answer
 * needs regeneration, which the API does not offer yet), and disabled while a reply is on its
 * way.
 */
export const MessageRetry = forwardRef<HTMLButtonElement, ComponentPropsWithoutRef<'button'>>(
  function MessageRetry({ onClick, disabled, ...props }, ref) {
    const message = useMessageContext();
    const session = useThreadScope();
    const status = useThreadStatus();
    const retryable = useThreadSelector(
      (state) => state.canRetry && state.messages.at(-1)?.id === message.id,
    );
    if (!retryable) return null;
    const busy = status === 'submitted' || status === 'streaming';
    return (
      <button
        type="button"
        disabled={busy || disabled}
        {...props}
        ref={ref}
        onClick={composeEventHandlers(onClick, () => void session.retry())}
      />
    );
  },
);
