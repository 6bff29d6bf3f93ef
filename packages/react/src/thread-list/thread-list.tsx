'use client';

import type { Thread } from '@confab/core';
import { type HTMLAttributes, useCallback, useRef, useState } from 'react';
import { useDeleteThread, useRenameThread } from '../hooks/use-thread-mutations';
import { useThreads } from '../hooks/use-threads';
import { CloseIcon, PlusIcon } from '../internal/icons';
import { type ChatTheme, useChatTheme, useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { ThreadListPrimitive } from './thread-list-primitive';
import { ThreadRow } from './thread-row';
import { useNow } from './use-now';

export interface ThreadListProps extends Omit<HTMLAttributes<HTMLElement>, 'onSelect'> {
  /** The open thread; `null` for a new chat that has no thread yet. */
  selectedThreadId?: string | null;
  onSelect: (threadId: string | null) => void;
  /** Called by the "New chat" button; without it, the button selects `null`. */
  onNewChat?: () => void;
  labels?: Partial<ChatLabels>;
  className?: string;
  theme?: ChatTheme;
}

const skeletonRows = [72, 56, 84, 48, 64];

/**
 * The caller's chats, most recently active first: a "New chat" button, one row per thread
 * (open, rename inline, delete after confirming, fork or export from its menu) and "Load more"
 * for older ones. Renames and deletes show at once and are undone, with a note, if the server
 * refuses them; a fork opens the new chat.
 */
export function ThreadList({
  selectedThreadId = null,
  onSelect,
  onNewChat,
  labels: labelOverrides,
  className,
  theme: themeOverride,
  ...props
}: ThreadListProps) {
  const labels = useLabels(labelOverrides);
  const theme = useChatTheme(themeOverride);
  const { threads, hasMore, loadMore, isLoading, isLoadingMore, error, refetch } = useThreads();
  const { mutateAsync: renameThread } = useRenameThread();
  const { mutateAsync: deleteThread } = useDeleteThread();
  const [notice, setNotice] = useState<string | null>(null);
  const newChatRef = useRef<HTMLButtonElement>(null);
  const now = useNow();

  // Rows are memoized: keep the callbacks stable and read the latest props through a ref.
  const latest = useRef({ labels, selectedThreadId, onSelect });
  latest.current = { labels, selectedThreadId, onSelect };

  const handleRename = useCallback(
    (threadId: string, title: string) => {
      setNotice(null);
      renameThread({ threadId, title }).catch(() => setNotice(latest.current.labels.renameFailed));
    },
    [renameThread],
  );

  const handleDelete = useCallback(
    (threadId: string, row: HTMLLIElement) => {
      setNotice(null);
      // The row is about to go: give focus to a neighbour so keyboard users are not lost.
      const neighbour =
        row.nextElementSibling?.querySelector<HTMLElement>('[data-confab-thread-trigger]') ??
        row.previousElementSibling?.querySelector<HTMLElement>('[data-confab-thread-trigger]') ??
        newChatRef.current;
      neighbour?.focus();
      const wasSelected = latest.current.selectedThreadId === threadId;
      if (wasSelected) latest.current.onSelect(null);
      deleteThread(threadId).catch(() => {
        setNotice(latest.current.labels.deleteFailed);
        if (wasSelected && latest.current.selectedThreadId === null)
          latest.current.onSelect(threadId);
      });
    },
    [deleteThread],
  );

  // A fork opens at once: it is the chat the user asked for.
  const handleForked = useCallback((thread: Thread) => latest.current.onSelect(thread.id), []);
  const handleMenuError = useCallback((message: string) => setNotice(message), []);

  return (
    <ThreadListPrimitive.Root
      aria-label={labels.threadList}
      {...props}
      selectedThreadId={selectedThreadId}
      onSelect={onSelect}
      onNewChat={onNewChat}
      className={['confab-root', 'confab-thread-list', className].filter(Boolean).join(' ')}
      data-confab-theme={theme === 'system' ? undefined : theme}
    >
      <div className="confab-thread-list__header">
        <ThreadListPrimitive.New ref={newChatRef} className="confab-button confab-thread-list__new">
          <PlusIcon />
          {labels.newChat}
        </ThreadListPrimitive.New>
      </div>

      {notice && (
        <div role="alert" className="confab-thread-list__notice">
          <span>{notice}</span>
          <button
            type="button"
            className="confab-icon-button"
            aria-label={labels.dismiss}
            onClick={() => setNotice(null)}
          >
            <CloseIcon />
          </button>
        </div>
      )}

      <div className="confab-thread-list__body">
        {isLoading ? (
          <>
            <p role="status" className="confab-visually-hidden">
              {labels.loadingThreads}
            </p>
            <ul className="confab-thread-list__skeleton" aria-hidden="true">
              {skeletonRows.map((width) => (
                <li key={width} className="confab-thread-list__skeleton-row">
                  <span style={{ width: `${width}%` }} />
                </li>
              ))}
            </ul>
          </>
        ) : error && threads.length === 0 ? (
          <div role="alert" className="confab-thread-list__status" data-status="error">
            <p>{labels.threadsLoadFailed}</p>
            <button type="button" className="confab-button" onClick={() => void refetch()}>
              {labels.retry}
            </button>
          </div>
        ) : threads.length === 0 ? (
          <p className="confab-thread-list__status" data-status="empty">
            {labels.noThreads}
          </p>
        ) : (
          <ul className="confab-thread-list__items">
            {threads.map((thread) => (
              <ThreadRow
                key={thread.id}
                thread={thread}
                now={now}
                labels={labels}
                onRename={handleRename}
                onDelete={handleDelete}
                onForked={handleForked}
                onMenuError={handleMenuError}
              />
            ))}
          </ul>
        )}
        {hasMore && !isLoading && (
          <button
            type="button"
            className="confab-button confab-thread-list__more"
            // Not `disabled`: that would drop the focus of a keyboard user who pressed it.
            aria-disabled={isLoadingMore || undefined}
            aria-busy={isLoadingMore || undefined}
            onClick={() => {
              if (!isLoadingMore) void loadMore();
            }}
          >
            {isLoadingMore ? labels.loadingThreads : labels.loadMoreThreads}
          </button>
        )}
      </div>
    </ThreadListPrimitive.Root>
  );
}
