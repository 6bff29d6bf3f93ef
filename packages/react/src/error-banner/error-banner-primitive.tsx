'use client';

import {
  type ButtonHTMLAttributes,
  createContext,
  forwardRef,
  type HTMLAttributes,
  type ReactNode,
  useContext,
} from 'react';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { type ErrorBannerState, useErrorBanner } from './use-error-banner';

const ErrorBannerContext = /* @__PURE__ */ createContext<ErrorBannerState | null>(null);

function useErrorBannerContext(part: string): ErrorBannerState {
  const value = useContext(ErrorBannerContext);
  if (!value)
    throw new Error(`ErrorBannerPrimitive.${part} must be inside ErrorBannerPrimitive.Root.`);
  return value;
}

export interface ErrorBannerRootProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /** What to show; receives the banner's state. */
  children?: ReactNode | ((state: ErrorBannerState) => ReactNode);
}

/**
 * An alert shown only while the thread has an error; `data-error-code` carries the error's
 * code. Renders nothing otherwise.
 */
const Root = /* @__PURE__ */ forwardRef<HTMLDivElement, ErrorBannerRootProps>(
  function ErrorBannerRoot({ children, ...props }, ref) {
    const state = useErrorBanner();
    if (!state.error) return null;
    return (
      <ErrorBannerContext.Provider value={state}>
        <div ref={ref} role="alert" data-error-code={state.error.code} {...props}>
          {typeof children === 'function' ? children(state) : children}
        </div>
      </ErrorBannerContext.Provider>
    );
  },
);

/** Sends the failed message again, or fetches the thread again; absent when neither applies. */
const Retry = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement>
>(function ErrorBannerRetry({ onClick, ...props }, ref) {
  const { canRetry, retry } = useErrorBannerContext('Retry');
  if (!canRetry) return null;
  return (
    <button ref={ref} type="button" {...props} onClick={composeEventHandlers(onClick, retry)} />
  );
});

/** Hides the error. */
const Dismiss = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement>
>(function ErrorBannerDismiss({ onClick, ...props }, ref) {
  const { dismiss } = useErrorBannerContext('Dismiss');
  return (
    <button ref={ref} type="button" {...props} onClick={composeEventHandlers(onClick, dismiss)} />
  );
});

/** Unstyled parts of the error banner: `Root` (the alert), `Retry` and `Dismiss`. */
export const ErrorBannerPrimitive = { Root, Retry, Dismiss };
