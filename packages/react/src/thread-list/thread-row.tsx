'use client';

import type { Thread } from '@confab/core';
import { memo, useEffect, useRef, useState } from 'react';
import { PencilIcon, TrashIcon } from '../internal/icons';
import { InlineConfirmation } from '../internal/inline-confirmation';
import type { ChatLabels } from '../provider/labels';
import { ThreadMenu } from '../thread-menu/thread-menu';
import { RenameThreadInput } from './rename-thread-input';
import { ThreadListPrimitive } from './thread-list-primitive';

type RowMode = 'idle' | 'renaming' | 'confirming-delete';

export interface ThreadRowProps {
  thread: Thread;
  now: Date;
  labels: ChatLabels;
  onRename: (threadId: string, title: string) => void;
  /** `row` is the item's element, to move focus to a neighbour before it goes. */
  onDelete: (threadId: string, row: HTMLLIElement) => void;
  /** A fork from the row's menu made this thread. */
  onForked: (thread: Thread) => void;
  /** A fork or an export from the row's menu failed. */
  onMenuError: (message: string) => void;
}

/**
 * One thread of `ThreadList`: open it, rename it inline, delete it after confirming, or fork and
 * export it from its menu.
 */
export const ThreadRow = /* @__PURE__ */ memo(function ThreadRow({
  thread,
  now,
  labels,
  onRename,
  onDelete,
  onForked,
  onMenuError,
}: ThreadRowProps) {
  const [mode, setMode] = useState<RowMode>('idle');
  const rowRef = useRef<HTMLLIElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  // Where focus goes once the row is back to normal, when the user finished by keyboard.
  const focusOnIdle = useRef<'trigger' | 'delete' | null>(null);
  const title = thread.title ?? labels.untitledThread;
  const lastActivity = new Date(thread.lastActivityAt);

  useEffect(() => {
    if (mode !== 'idle' || !focusOnIdle.current) return;
    (focusOnIdle.current === 'trigger' ? triggerRef : deleteRef).current?.focus();
    focusOnIdle.current = null;
  }, [mode]);

  return (
    <ThreadListPrimitive.Item
      ref={rowRef}
      threadId={thread.id}
      className="confab-thread-list__item"
      data-mode={mode}
    >
      {mode === 'renaming' ? (
        <RenameThreadInput
          className="confab-thread-list__rename-input"
          title={thread.title ?? ''}
          label={labels.renameInput}
          onDone={(next, byKeyboard) => {
            if (next !== null) onRename(thread.id, next);
            focusOnIdle.current = byKeyboard ? 'trigger' : null;
            setMode('idle');
          }}
        />
      ) : mode === 'confirming-delete' ? (
        <InlineConfirmation
          message={labels.deleteConfirm(title)}
          confirmLabel={labels.delete}
          cancelLabel={labels.cancel}
          onCancel={() => {
            focusOnIdle.current = 'delete';
            setMode('idle');
          }}
          onConfirm={() => {
            setMode('idle');
            if (rowRef.current) onDelete(thread.id, rowRef.current);
          }}
        />
      ) : (
        <>
          <ThreadListPrimitive.Trigger
            ref={triggerRef}
            className="confab-thread-list__trigger"
            data-confab-thread-trigger=""
          >
            <span className="confab-thread-list__title">{title}</span>
            <time
              className="confab-thread-list__time"
              dateTime={thread.lastActivityAt}
              title={lastActivity.toLocaleString()}
            >
              {labels.lastActivity(lastActivity, now)}
            </time>
          </ThreadListPrimitive.Trigger>
          {/* biome-ignore lint/a11y/useSemanticElements: a fieldset groups form fields; these are buttons. */}
          <div
            role="group"
            aria-label={labels.threadActions(title)}
            className="confab-thread-list__actions"
          >
            <button
              type="button"
              className="confab-icon-button"
              aria-label={labels.rename}
              title={labels.rename}
              onClick={() => setMode('renaming')}
            >
              <PencilIcon />
            </button>
            <button
              ref={deleteRef}
              type="button"
              className="confab-icon-button"
              data-variant="danger"
              aria-label={labels.delete}
              title={labels.delete}
              onClick={() => setMode('confirming-delete')}
            >
              <TrashIcon />
            </button>
            <ThreadMenu
              threadId={thread.id}
              labels={labels}
              onForked={onForked}
              onError={onMenuError}
            />
          </div>
        </>
      )}
    </ThreadListPrimitive.Item>
  );
});
