'use client';

import {
  ConfabError,
  emptyThreadState,
  type Message,
  type Thread,
  type ThreadController,
  type ThreadState,
  toConfabError,
} from '@confab/core';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { useChatClient } from '../provider/chat-provider';
import { chatKeys } from './query-keys';
import { findCachedThread } from './thread-cache';

const emptyState = /* @__PURE__ */ emptyThreadState('');

/** The store read while there is no thread: empty, and never changing. */
export const noThread = {
  subscribe: () => () => {},
  getSnapshot: () => emptyState,
};

export interface UseThreadOptions {
  /** Messages per history page. Default 50. */
  pageSize?: number;
}

/** A thread's details and history from the server, and its live controller. */
export interface ThreadLoader {
  threadId: string | null;
  /** The live controller; null while there is no thread. */
  controller: ThreadController | null;
  /** The thread itself (title, model…), once known. */
  thread: Thread | undefined;
  /** Fetches the page of history before the oldest loaded message. */
  loadOlder: () => Promise<void>;
  hasOlder: boolean;
  isLoading: boolean;
  isLoadingOlder: boolean;
  /** A history or thread request failed (the thread may not exist, or be another user's). */
  loadError: ConfabError | null;
}

export interface UseThreadResult extends Omit<ThreadState, 'threadId'>, ThreadLoader {}

/**
 * One thread: its details and history pages from the server (cached by react-query), merged
 * with the live state of @confab/core's controller (what was sent and is streaming here), read
 * through `useSyncExternalStore`. A long thread opens by fetching only its newest page.
 */
export function useThread(
  threadId: string | null,
  options: UseThreadOptions = {},
): UseThreadResult {
  return useLiveThread(useThreadLoader(threadId, options));
}

/** A loaded thread with its controller's live state: messages, status, error. */
export function useLiveThread(loader: ThreadLoader): UseThreadResult {
  const store = loader.controller ?? noThread;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const { loadError } = loader;
  return {
    ...state,
    ...loader,
    error: state.error ?? loadError,
    status: state.error || !loadError ? state.status : 'error',
  };
}

/**
 * The queries behind a thread, its details and its history pages, fed into the controller
 * whenever they change. `useThread` and `useChatSession` both load through it.
 */
export function useThreadLoader(
  threadId: string | null,
  options: UseThreadOptions = {},
): ThreadLoader {
  const client = useChatClient();
  const queryClient = useQueryClient();
  const controller = threadId === null ? null : client.thread(threadId);
  const pageSize = options.pageSize ?? 50;
  const thread = useQuery({
    queryKey: chatKeys.thread(threadId ?? ''),
    queryFn: ({ signal }) => client.backend.getThread(threadId!, { signal }),
    initialData: () => (threadId ? findCachedThread(queryClient, threadId) : undefined),
    enabled: threadId !== null,
    retry: retryUnlessMissing,
  });
  const history = useInfiniteQuery({
    queryKey: chatKeys.messages(threadId ?? ''),
    enabled: threadId !== null,
    queryFn: ({ pageParam, signal }) =>
      client.backend.listMessages(
        threadId!,
        { limit: pageSize, ...(pageParam ? { before: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // The controller keeps what happens after the fetch; refetching every page adds nothing.
    staleTime: Number.POSITIVE_INFINITY,
    retry: retryUnlessMissing,
  });
  const { data, fetchNextPage, hasNextPage, isFetchingNextPage, isPending } = history;
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
  const loadOlder = useCallback(async () => {
    if (hasNextPage && !isFetchingNextPage) await fetchNextPage();
  }, [fetchNextPage, hasNextPage, isFetchingNextPage]);
  const failure = history.error ?? thread.error;
  const loadError = useMemo(() => (failure ? toConfabError(failure) : null), [failure]);
  return useMemo(
    () => ({
      threadId,
      controller,
      thread: thread.data,
      loadOlder,
      hasOlder: hasNextPage,
      isLoading: isPending && threadId !== null,
      isLoadingOlder: isFetchingNextPage,
      loadError,
    }),
    [
      threadId,
      controller,
      thread.data,
      loadOlder,
      hasNextPage,
      isPending,
      isFetchingNextPage,
      loadError,
    ],
  );
}

/** A missing thread (404) stays missing: no retries. */
function retryUnlessMissing(count: number, error: unknown): boolean {
  return !(ConfabError.isInstance(error) && error.status === 404) && count < 2;
}
