'use client';

import { type KeyboardEvent, useEffect, useRef } from 'react';

export interface RenameThreadInputProps {
  title: string;
  /** The input's accessible name. */
  label: string;
  /**
   * Called once: with the new title, or `null` to keep the old one (Escape, empty or unchanged).
   * `byKeyboard` tells whether the user finished with Enter or Escape (focus should then go back
   * to the row) rather than by moving focus away.
   */
  onDone: (title: string | null, byKeyboard: boolean) => void;
  className?: string;
}

/** Inline title editor: Enter or leaving the field saves, Escape cancels. */
export function RenameThreadInput({ title, label, onDone, className }: RenameThreadInputProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  // Enter, Escape and blur can follow each other (saving unmounts the focused input); only the
  // first one counts.
  const finished = useRef(false);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  const finish = (value: string | null, byKeyboard: boolean) => {
    if (finished.current) return;
    finished.current = true;
    const next = value?.trim() ?? '';
    onDone(next === '' || next === title ? null : next, byKeyboard);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      finish(event.currentTarget.value, true);
    } else if (event.key === 'Escape') {
      // Escape ends the edit only: it must not close a surrounding widget or dialog.
      event.preventDefault();
      event.stopPropagation();
      finish(null, true);
    }
  };

  return (
    <input
      ref={inputRef}
      className={className}
      aria-label={label}
      defaultValue={title}
      maxLength={500}
      enterKeyHint="done"
      onKeyDown={handleKeyDown}
      onBlur={(event) => finish(event.currentTarget.value, false)}
    />
  );
}
