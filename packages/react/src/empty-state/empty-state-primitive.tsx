'use client';

import { type ConfabError, toConfabError } from '@confab/core';
import {
  type ButtonHTMLAttributes,
  createContext,
  forwardRef,
  type HTMLAttributes,
  type ReactNode,
  useContext,
  useMemo,
  useState,
} from 'react';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { useThreadScope } from '../provider/thread-scope';

interface EmptyStateContextValue {
  sending: boolean;
  setSending: (sending: boolean) => void;
  /** Why the last suggestion could not be sent (no thread could be created, say). */
  error: ConfabError | null;
  setError: (error: ConfabError | null) => void;
}

const EmptyStateContext = /* @__PURE__ */ createContext<EmptyStateContextValue | null>(null);

/**
 * Holds whether a suggestion is being sent, so a second click cannot start a second chat, and
 * why the last one failed.
 */
const Root = /* @__PURE__ */ forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(
  function EmptyStateRoot(props, ref) {
    const [sending, setSending] = useState(false);
    const [error, setError] = useState<ConfabError | null>(null);
    const value = useMemo(() => ({ sending, setSending, error, setError }), [sending, error]);
    return (
      <EmptyStateContext.Provider value={value}>
        <div ref={ref} data-sending={sending ? '' : undefined} {...props} />
      </EmptyStateContext.Provider>
    );
  },
);

export interface EmptyStateSuggestionProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** The text sent when the suggestion is chosen. Also the button's text by default. */
  prompt: string;
}

/** Sends `prompt` through the surrounding thread scope. */
const Suggestion = /* @__PURE__ */ forwardRef<HTMLButtonElement, EmptyStateSuggestionProps>(
  function EmptyStateSuggestion({ prompt, onClick, children, ...props }, ref) {
    const { send } = useThreadScope();
    const context = useContext(EmptyStateContext);
    const sending = context?.sending ?? false;
    return (
      <button
        ref={ref}
        type="button"
        aria-disabled={sending || undefined}
        {...props}
        onClick={composeEventHandlers(onClick, () => {
          if (sending) return;
          context?.setSending(true);
          context?.setError(null);
          // The empty state usually unmounts once the message is in. If the send fails before
          // a thread exists it stays: show why, and let the suggestions work again.
          send(prompt)
            .catch((cause: unknown) => context?.setError(toConfabError(cause)))
            .finally(() => context?.setSending(false));
        })}
      >
        {children ?? prompt}
      </button>
    );
  },
);

export interface EmptyStateErrorProps
  extends Omit<HTMLAttributes<HTMLParagraphElement>, 'children'> {
  children: (error: ConfabError) => ReactNode;
}

/** An alert with why the last suggestion was not sent; nothing otherwise. */
const ErrorMessage = /* @__PURE__ */ forwardRef<HTMLParagraphElement, EmptyStateErrorProps>(
  function EmptyStateError({ children, ...props }, ref) {
    const error = useContext(EmptyStateContext)?.error;
    if (!error) return null;
    return (
      <p ref={ref} role="alert" data-error-code={error.code} {...props}>
        {children(error)}
      </p>
    );
  },
);

/**
 * Unstyled parts of an empty chat: `Root`, `Suggestion` (sends its prompt on click) and
 * `Error` (why a suggestion was not sent).
 */
export const EmptyStatePrimitive = { Root, Suggestion, Error: ErrorMessage };
