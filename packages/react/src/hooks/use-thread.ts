'use client';

import {
  ConfabError,
  type Message,
  type Thread,
  type ThreadController,
  type ThreadState,
  toConfabError,
} from '@confab/core';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useChatClient } from '../provider/chat-provider';
import { chatKeys } from './query-keys';
import { findCachedThread } from './thread-cache';

const emptyState: ThreadState = {
  threadId: '',
  messages: [],
  status: 'ready',
  error: null,
  hasOlder: false,
  isLoading: false,
  isLoadingOlder: false,
  canRetry: false,
};

/** The store read while there is no thread: empty, and never changing. */
export const noThread = {
  subscribe: () => () => {},
  getSnapshot: () => emptyState,
};

export interface UseThreadOptions {
  /** Messages per history page. Default 50. */
  pageSize?: number;
}

export interface UseThreadResult extends Omit<ThreadState, 'threadId'> {
  threadId: string | null;
  /** The thread itself (title, model…), once known. */
  thread: Thread | undefined;
  /** The live controller; null while there is no thread. */
  controller: ThreadController | null;
  /** Fetches the page of history before the oldest loaded message. */
  loadOlder: () => Promise<void>;
}

/**
 * One thread: its details and history pages from the server (cached by react-query), merged
 * with the live state of @confab/core's controller (what was sent and is streaming here), read
 * through `useSyncExternalStore`. A long thread opens by fetching only its newest page.
 */
export function useThread(
  threadId: string | null,
  options: UseThreadOptions = {},
): UseThreadResult {
  const client = useChatClient();
  const controller = threadId === null ? null : client.thread(threadId);
  const { history, thread } = useThreadQueries(threadId, controller, options);
  const store = controller ?? noThread;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = history;
  const loadOlder = useCallback(async () => {
    if (hasNextPage && !isFetchingNextPage) await fetchNextPage();
  }, [fetchNextPage, hasNextPage, isFetchingNextPage]);
  const historyError = history.error && !history.data ? toConfabError(history.error) : null;
  return {
    ...state,
    threadId,
    thread: thread.data,
    controller,
    loadOlder,
    isLoading: history.isPending && threadId !== null,
    isLoadingOlder: isFetchingNextPage,
    hasOlder: hasNextPage,
    error: state.error ?? historyError,
    status: state.error || !historyError ? state.status : 'error',
  };
}

/**
 * The queries behind a thread: its details, and its history pages, fed into the controller
 * whenever they change. Shared by `useThread` and the components' thread scope.
 */
export function useThreadQueries(
  threadId: string | null,
  controller: ThreadController | null,
  options: UseThreadOptions = {},
) {
  const { backend } = useChatClient();
  const queryClient = useQueryClient();
  const pageSize = options.pageSize ?? 50;
  const thread = useQuery({
    queryKey: chatKeys.thread(threadId ?? ''),
    queryFn: ({ signal }) => backend.getThread(threadId!, { signal }),
    initialData: () => (threadId ? findCachedThread(queryClient, threadId) : undefined),
    enabled: threadId !== null,
    retry: (count, error) => !(ConfabError.isInstance(error) && error.status === 404) && count < 2,
  });
  const history = useInfiniteQuery({
    queryKey: chatKeys.messages(threadId ?? ''),
    enabled: threadId !== null,
    queryFn: ({ pageParam, signal }) =>
      backend.listMessages(
        threadId!,
        { limit: pageSize, ...(pageParam ? { before: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // The controller keeps what happens after the fetch; refetching every page adds nothing.
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, error) => !(ConfabError.isInstance(error) && error.status === 404) && count < 2,
  });
  const { data } = history;
  useEffect(() => {
    if (!data || !controller) return;
    // Pages run newest to oldest; each page is oldest to newest.
    const messages: Message[] = [];
    const seen = new Set<string>();
    for (let index = data.pages.length - 1; index >= 0; index--) {
      for (const message of data.pages[index]!.items) {
        if (seen.has(message.id)) continue;
        seen.add(message.id);
        messages.push(message);
      }
    }
    controller.receiveHistory(messages, {
      hasOlder: data.pages[data.pages.length - 1]?.nextCursor != null,
    });
  }, [controller, data]);
  return { thread, history };
}
