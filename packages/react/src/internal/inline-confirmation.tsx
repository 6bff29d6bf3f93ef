'use client';

import { type KeyboardEvent, useEffect, useId, useRef } from 'react';

export interface InlineConfirmationProps {
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Added to the box's `confab-confirm`. */
  className?: string;
}

/**
 * An inline, non-modal alert dialog in place of what it asks about (a thread's row, a message's
 * actions), before something that cannot be undone. Focus starts on Cancel (the choice that
 * loses nothing); Escape cancels.
 */
export function InlineConfirmation({
  message,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  className,
}: InlineConfirmationProps) {
  const messageId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    cancelRef.current?.focus();
  }, []);

  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    // Escape answers this dialog only, not a surrounding widget.
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };

  return (
    <div
      role="alertdialog"
      aria-labelledby={messageId}
      className={className ? `confab-confirm ${className}` : 'confab-confirm'}
      onKeyDown={handleKeyDown}
    >
      <p id={messageId} className="confab-confirm__message">
        {message}
      </p>
      <div className="confab-confirm__actions">
        <button ref={cancelRef} type="button" className="confab-button" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className="confab-button" data-variant="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
