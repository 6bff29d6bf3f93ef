'use client';

import type { ConfabError, ThreadState } from '@confab/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { chatKeys } from '../hooks/query-keys';
import { useThreadError, useThreadScope, useThreadSelector } from '../provider/thread-scope';

export interface ErrorBannerState {
  /** The error to show, or null when there is none (or it was dismissed). */
  error: ConfabError | null;
  /** Whether `retry` can do something about it. */
  canRetry: boolean;
  retry: () => void;
  dismiss: () => void;
}

/**
 * The controller keeps a send the server never accepted, and `retry` sends it again. A boolean,
 * so streaming never re-renders the banner.
 */
const canRetrySend = (state: ThreadState) => state.canRetry;

/**
 * What the error banner shows and does. A failed send is retried by sending it again, a failed
 * history by loading it again (both the controller's `retry`), failed details by fetching them. Dismissing clears a send error, and hides a load error
 * until another one comes.
 */
export function useErrorBanner(): ErrorBannerState {
  const session = useThreadScope();
  const threadError = useThreadError();
  const queryClient = useQueryClient();
  const sendFailed = useThreadSelector(canRetrySend);
  const [dismissed, setDismissed] = useState<ConfabError | null>(null);
  const error = threadError && threadError !== dismissed ? threadError : null;
  const isLoadError = error !== null && error === session.loadError;
  const { threadId, retry: retrySend, clearError } = session;

  const retry = useCallback(() => {
    if (isLoadError && threadId !== null) {
      // The thread's details; a failed history is the controller's to load again (below).
      void queryClient.refetchQueries({ queryKey: chatKeys.thread(threadId) });
    } else {
      void retrySend();
    }
  }, [isLoadError, threadId, queryClient, retrySend]);

  const dismiss = useCallback(() => {
    if (!isLoadError) clearError();
    setDismissed(error);
  }, [isLoadError, clearError, error]);

  return { error, canRetry: error !== null && (isLoadError || sendFailed), retry, dismiss };
}
