'use client';

import { type Message, messageText } from '@confab/core';
import {
  type ComponentPropsWithoutRef,
  createContext,
  type FormEvent,
  forwardRef,
  type KeyboardEvent,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { createTextareaSizer } from '../composer/textarea-sizer';
import { assignRef } from '../internal/assign-ref';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { useBrowserLayoutEffect } from '../internal/use-browser-layout-effect';
import { useComposition } from '../internal/use-composition';
import { useThreadScope, useThreadStatus } from '../provider/thread-scope';
import { useMessageContext } from './message-root';

/** The inline edit of a question, held by its `MessagePrimitive.Root`. */
export interface MessageEditState {
  editing: boolean;
  /** The text being edited. */
  draft: string;
  setDraft: (text: string) => void;
  /** Opens the editor with the message's text. */
  start: () => void;
  /** Closes the editor without saving; focus goes back to the Edit button. */
  cancel: () => void;
  /**
   * Sends the draft as a new version of the question (the branch switches to it). An empty
   * draft cannot be saved; an unchanged one just closes the editor.
   */
  save: () => void;
  /** Whether the draft can be saved (it is not empty). */
  canSave: boolean;
  /** The Edit button, where focus returns on cancel. */
  triggerRef: RefObject<HTMLButtonElement | null>;
}

const MessageEditContext = /* @__PURE__ */ createContext<MessageEditState | null>(null);
export const MessageEditProvider = MessageEditContext.Provider;

/** The edit state of the surrounding message (inside `MessagePrimitive.Root`). */
export function useMessageEdit(): MessageEditState {
  const state = useContext(MessageEditContext);
  if (!state) throw new Error('This component must be used inside <MessagePrimitive.Root>.');
  return state;
}

/** Makes the edit state of one message; `MessageRoot` calls it and provides the result. */
export function useMessageEditState(message: Message | undefined): MessageEditState {
  const session = useThreadScope();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const triggerRef = useRef<HTMLButtonElement | null>(null);
  const latest = useRef({ message, draft, session });
  latest.current = { message, draft, session };

  const start = useCallback(() => {
    const current = latest.current.message;
    if (!current) return;
    setDraft(messageText(current));
    setEditing(true);
  }, []);
  const cancel = useCallback(() => {
    setEditing(false);
    // After the editor has gone and the actions are back.
    requestAnimationFrame(() => triggerRef.current?.focus());
  }, []);
  const save = useCallback(() => {
    const { message: current, draft: text, session: live } = latest.current;
    if (!current || text.trim() === '') return;
    setEditing(false);
    if (text === messageText(current)) {
      requestAnimationFrame(() => triggerRef.current?.focus());
      return;
    }
    // A failure shows in the thread's error banner, as a failed send does.
    void live.edit(current.id, text).catch(() => undefined);
  }, []);

  return useMemo(
    () => ({
      editing,
      draft,
      setDraft,
      start,
      cancel,
      save,
      canSave: draft.trim() !== '',
      triggerRef,
    }),
    [editing, draft, start, cancel, save],
  );
}

/**
 * Opens the inline editor of a question. Rendered on the user's sent messages only, hidden while
 * the editor is open, disabled while an answer is on its way.
 */
const EditTrigger = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'>
>(function MessageEditTrigger({ onClick, disabled, ...props }, forwardedRef) {
  const message = useMessageContext();
  const edit = useMessageEdit();
  const status = useThreadStatus();
  const busy = status === 'submitted' || status === 'streaming';
  const ref = useCallback(
    (element: HTMLButtonElement | null) => {
      edit.triggerRef.current = element;
      assignRef(forwardedRef, element);
    },
    [edit.triggerRef, forwardedRef],
  );
  if (message.role !== 'user' || message.status !== 'complete' || edit.editing) return null;
  return (
    <button
      type="button"
      disabled={busy || disabled}
      {...props}
      ref={ref}
      onClick={composeEventHandlers(onClick, edit.start)}
    />
  );
});

/** The editor: a `<form>` around the input and its buttons; rendered only while editing. */
const EditRoot = /* @__PURE__ */ forwardRef<HTMLFormElement, ComponentPropsWithoutRef<'form'>>(
  function MessageEditRoot({ onSubmit, ...props }, ref) {
    const edit = useMessageEdit();
    if (!edit.editing) return null;
    return (
      <form
        data-message-edit=""
        {...props}
        ref={ref}
        onSubmit={composeEventHandlers(onSubmit, (event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          edit.save();
        })}
      />
    );
  },
);

/**
 * The question's text, focused when the editor opens. Enter saves, Shift+Enter adds a line,
 * Escape cancels; the Enter that confirms an IME composition never saves. Grows with its text.
 */
const EditInput = /* @__PURE__ */ forwardRef<
  HTMLTextAreaElement,
  Omit<ComponentPropsWithoutRef<'textarea'>, 'value' | 'defaultValue'>
>(function MessageEditInput(
  { onChange, onKeyDown, onCompositionStart, onCompositionEnd, rows = 1, ...props },
  forwardedRef,
) {
  const edit = useMessageEdit();
  const own = useRef<HTMLTextAreaElement | null>(null);
  const composition = useComposition();
  const [sizer] = useState(createTextareaSizer);
  useEffect(() => sizer.dispose, [sizer]);
  useBrowserLayoutEffect(() => {
    if (own.current) sizer.fit(own.current);
  }, [edit.draft, sizer]);
  useEffect(() => {
    const textarea = own.current;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }, []);
  const ref = useCallback(
    (element: HTMLTextAreaElement | null) => {
      own.current = element;
      assignRef(forwardedRef, element);
    },
    [forwardedRef],
  );
  return (
    <textarea
      rows={rows}
      enterKeyHint="send"
      {...props}
      ref={ref}
      value={edit.draft}
      onChange={composeEventHandlers(onChange, (event) => edit.setDraft(event.target.value))}
      onCompositionStart={composeEventHandlers(onCompositionStart, composition.onCompositionStart)}
      onCompositionEnd={composeEventHandlers(onCompositionEnd, composition.onCompositionEnd)}
      onKeyDown={composeEventHandlers(onKeyDown, (event: KeyboardEvent<HTMLTextAreaElement>) => {
        if (event.key === 'Escape') {
          // Escape ends the edit only: it must not close a surrounding widget or dialog.
          event.preventDefault();
          event.stopPropagation();
          edit.cancel();
          return;
        }
        if (event.key !== 'Enter' || event.shiftKey) return;
        // As in the composer: the Enter that picks an IME candidate belongs to the composition.
        if (composition.isComposing(event)) return;
        event.preventDefault();
        edit.save();
      })}
    />
  );
});

/** Saves the edit (a submit button); disabled while the text is empty. */
const EditSave = /* @__PURE__ */ forwardRef<HTMLButtonElement, ComponentPropsWithoutRef<'button'>>(
  function MessageEditSave({ disabled, ...props }, ref) {
    const edit = useMessageEdit();
    return <button type="submit" disabled={!edit.canSave || disabled} {...props} ref={ref} />;
  },
);

/** Closes the editor without saving. */
const EditCancel = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'>
>(function MessageEditCancel({ onClick, ...props }, ref) {
  const edit = useMessageEdit();
  return (
    <button
      type="button"
      {...props}
      ref={ref}
      onClick={composeEventHandlers(onClick, edit.cancel)}
    />
  );
});

/** The parts of a question's inline editor (see `MessagePrimitive`). */
export const MessageEdit = {
  Trigger: EditTrigger,
  Root: EditRoot,
  Input: EditInput,
  Save: EditSave,
  Cancel: EditCancel,
};
