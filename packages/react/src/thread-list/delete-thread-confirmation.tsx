'use client';

import { type KeyboardEvent, useEffect, useId, useRef } from 'react';

export interface DeleteThreadConfirmationProps {
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * An inline, non-modal alert dialog in place of the row. Focus starts on Cancel (the choice that
 * loses nothing); Escape cancels.
 */
export function DeleteThreadConfirmation({
  message,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
}: DeleteThreadConfirmationProps) {
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
      className="confab-thread-list__confirm"
      onKeyDown={handleKeyDown}
    >
      <p id={messageId} className="confab-thread-list__confirm-message">
        {message}
      </p>
      <div className="confab-thread-list__confirm-actions">
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
