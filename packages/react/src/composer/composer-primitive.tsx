'use client';

import { type ConfabError, type ThreadStatus, toConfabError } from '@confab/core';
import {
  type ButtonHTMLAttributes,
  type ComponentPropsWithoutRef,
  createContext,
  type FormEvent,
  forwardRef,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  type TextareaHTMLAttributes,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { assignRef } from '../internal/assign-ref';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { useBrowserLayoutEffect } from '../internal/use-browser-layout-effect';
import { useComposition } from '../internal/use-composition';
import { useLabels } from '../provider/chat-provider';
import { useThreadScope, useThreadStatus } from '../provider/thread-scope';
import { createTextareaSizer } from './textarea-sizer';
import { useControllableValue } from './use-controllable-value';

interface ComposerContextValue {
  value: string;
  setValue: (value: string) => void;
  isEmpty: boolean;
  status: ThreadStatus;
  /** An answer is on its way: sending waits, stopping is possible. */
  isBusy: boolean;
  disabled: boolean;
  /** Why the last send was refused; cleared by the next edit or send. */
  error: ConfabError | null;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  submit: () => void;
  stop: () => void;
}

const ComposerContext = /* @__PURE__ */ createContext<ComposerContextValue | null>(null);

function useComposerContext(part: string): ComposerContextValue {
  const context = useContext(ComposerContext);
  if (!context)
    throw new Error(`<ComposerPrimitive.${part}> must be inside <ComposerPrimitive.Root>.`);
  return context;
}

export interface ComposerRootProps
  extends Omit<ComponentPropsWithoutRef<'form'>, 'defaultValue' | 'onChange'> {
  /** The text, when the parent controls it (with `onValueChange`). */
  value?: string;
  /** The initial text when uncontrolled. */
  defaultValue?: string;
  onValueChange?: (value: string) => void;
  disabled?: boolean;
}

/**
 * The composer's form: holds the text (controlled or not), sends it through the surrounding
 * `ThreadScope` and exposes `data-status` (the thread's status), `data-empty` and `data-disabled`.
 */
const Root = /* @__PURE__ */ forwardRef<HTMLFormElement, ComposerRootProps>(function ComposerRoot(
  { value: valueProp, defaultValue = '', onValueChange, disabled = false, onSubmit, ...props },
  ref,
) {
  const session = useThreadScope();
  const status = useThreadStatus();
  const [value, setTextValue, latestValue] = useControllableValue({
    value: valueProp,
    defaultValue,
    onChange: onValueChange,
  });
  const [error, setError] = useState<ConfabError | null>(null);
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  const isBusy = status === 'submitted' || status === 'streaming';
  const isEmpty = value.trim() === '';

  const setValue = useCallback(
    (next: string) => {
      setTextValue(next);
      setError(null);
    },
    [setTextValue],
  );

  const { send, stop: stopAnswer } = session;
  const submit = useCallback(() => {
    const original = latestValue.current;
    const text = original.trim();
    // One answer at a time: Enter while one streams keeps the text for later.
    if (text === '' || disabled || isBusy) return;
    setTextValue('');
    setError(null);
    inputRef.current?.focus();
    send(text).catch((cause: unknown) => {
      // Nothing was sent (no thread could be created, or an answer was already running): give
      // the text back, unless the user has started a new one meanwhile.
      if (latestValue.current === '') setTextValue(original);
      setError(toConfabError(cause));
    });
  }, [disabled, isBusy, latestValue, send, setTextValue]);

  const stop = useCallback(() => {
    void stopAnswer();
    // The Stop button goes away once the answer ends; typing the next message is what follows.
    inputRef.current?.focus();
  }, [stopAnswer]);

  const context = useMemo<ComposerContextValue>(
    () => ({
      value,
      setValue,
      isEmpty,
      status,
      isBusy,
      disabled,
      error,
      inputRef,
      submit,
      stop,
    }),
    [value, setValue, isEmpty, status, isBusy, disabled, error, submit, stop],
  );

  return (
    <ComposerContext.Provider value={context}>
      <form
        ref={ref}
        data-status={status}
        data-empty={isEmpty ? '' : undefined}
        data-disabled={disabled ? '' : undefined}
        {...props}
        onSubmit={composeEventHandlers(onSubmit, (event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          submit();
        })}
      />
    </ComposerContext.Provider>
  );
});

export type ComposerInputProps = Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'value' | 'defaultValue'
>;

/**
 * The textarea. Enter sends, Shift+Enter adds a line, and Enter that confirms an IME
 * composition (Japanese, Chinese, Korean input) never sends. Grows with its content; give it a
 * CSS `max-height` (and `overflow-y: auto`) to make it scroll past that height.
 */
const Input = /* @__PURE__ */ forwardRef<HTMLTextAreaElement, ComposerInputProps>(
  function ComposerInput(
    { onChange, onKeyDown, onCompositionStart, onCompositionEnd, rows = 1, ...props },
    forwardedRef,
  ) {
    const composer = useComposerContext('Input');
    const labels = useLabels();
    const composition = useComposition();
    const { inputRef, value, setValue, submit } = composer;

    const ref = useCallback(
      (element: HTMLTextAreaElement | null) => {
        inputRef.current = element;
        assignRef(forwardedRef, element);
      },
      [forwardedRef, inputRef],
    );

    const [sizer] = useState(createTextareaSizer);
    useEffect(() => sizer.dispose, [sizer]);
    useBrowserLayoutEffect(() => {
      const textarea = inputRef.current;
      if (textarea) sizer.fit(textarea);
    }, [value, sizer]);
    // A new width wraps the text into other lines (a window resized, a panel opened).
    useEffect(() => {
      const textarea = inputRef.current;
      if (!textarea || typeof ResizeObserver !== 'function') return;
      let width = textarea.clientWidth;
      const observer = new ResizeObserver(() => {
        if (textarea.clientWidth === width) return;
        width = textarea.clientWidth;
        sizer.fit(textarea);
      });
      observer.observe(textarea);
      return () => observer.disconnect();
    }, [inputRef, sizer]);

    return (
      <textarea
        ref={ref}
        rows={rows}
        aria-label={labels.composerInput}
        placeholder={labels.composerPlaceholder}
        enterKeyHint="send"
        disabled={composer.disabled}
        {...props}
        value={value}
        onChange={composeEventHandlers(onChange, (event) => setValue(event.target.value))}
        onCompositionStart={composeEventHandlers(
          onCompositionStart,
          composition.onCompositionStart,
        )}
        onCompositionEnd={composeEventHandlers(onCompositionEnd, composition.onCompositionEnd)}
        onKeyDown={composeEventHandlers(onKeyDown, (event: KeyboardEvent<HTMLTextAreaElement>) => {
          if (event.key !== 'Enter' || event.shiftKey) return;
          // The Enter that picks an IME candidate belongs to the composition. Browsers disagree on
          // how to say so: `isComposing`, keyCode 229 (Safari sends it after compositionend), or
          // only the composition events.
          if (composition.isComposing(event)) return;
          event.preventDefault();
          submit();
        })}
      />
    );
  },
);

export type ComposerButtonProps = ButtonHTMLAttributes<HTMLButtonElement>;

/** Submits the text. Disabled while it is empty; absent while an answer is on its way. */
const Send = /* @__PURE__ */ forwardRef<HTMLButtonElement, ComposerButtonProps>(
  function ComposerSend({ disabled, ...props }, ref) {
    const composer = useComposerContext('Send');
    const labels = useLabels();
    if (composer.isBusy) return null;
    return (
      <button
        ref={ref}
        type="submit"
        aria-label={labels.send}
        disabled={disabled || composer.disabled || composer.isEmpty}
        {...props}
      />
    );
  },
);

/** Stops the answer being generated; present only while one is on its way. */
const Stop = /* @__PURE__ */ forwardRef<HTMLButtonElement, ComposerButtonProps>(
  function ComposerStop({ onClick, ...props }, ref) {
    const composer = useComposerContext('Stop');
    const labels = useLabels();
    if (!composer.isBusy) return null;
    return (
      <button
        ref={ref}
        type="button"
        aria-label={labels.stop}
        {...props}
        onClick={composeEventHandlers(onClick, () => composer.stop())}
      />
    );
  },
);

export interface ComposerErrorProps extends Omit<ComponentPropsWithoutRef<'p'>, 'children'> {
  /** What to show; by default the refusal's message. */
  children?: ReactNode | ((error: ConfabError) => ReactNode);
}

/**
 * Why the last send was refused (the text is back in the input). Renders nothing otherwise.
 */
const ErrorMessage = /* @__PURE__ */ forwardRef<HTMLParagraphElement, ComposerErrorProps>(
  function ComposerError({ children, ...props }, ref) {
    const { error } = useComposerContext('Error');
    if (!error) return null;
    return (
      <p ref={ref} role="alert" data-code={error.code} {...props}>
        {typeof children === 'function' ? children(error) : (children ?? error.message)}
      </p>
    );
  },
);

/** The composer's unstyled parts; `Composer` is the ready-made one. */
export const ComposerPrimitive = { Root, Input, Send, Stop, Error: ErrorMessage };
