'use client';

import {
  ConfabError,
  emptyThreadState,
  type Thread,
  type ThreadController,
  type ThreadState,
  toConfabError,
} from '@confab/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
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

/** A thread's details from the server, and its live controller (which holds its messages). */
export interface ThreadLoader {
  threadId: string | null;
  /** The live controller; null while there is no thread. */
  controller: ThreadController | null;
  /** The thread itself (title, model…), once known. */
  thread: Thread | undefined;
  /** Fetches the page of history before the oldest loaded message. */
  loadOlder: () => Promise<void>;
  /** The thread or its history could not be loaded (it may not exist, or be another user's). */
  loadError: ConfabError | null;
}

export interface UseThreadResult extends Omit<ThreadState, 'threadId'>, ThreadLoader {}

/**
 * One thread: its details from the server (cached by react-query) and the live state of its
 * @confab/core controller, which loads, pages and streams its current branch. A long thread
 * opens by fetching only its newest page.
 */
export function useThread(threadId: string | null): UseThreadResult {
  return useLiveThread(useThreadLoader(threadId));
}

/** A loaded thread with its controller's live state: messages, versions, status, error. */
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

const keepObserved = () => {};

/**
 * A thread's details and its controller, observed while the component is mounted (so that
 * components that only send or stop share the controller the message views read). `useThread`
 * and `useChatSession` both load through it.
 */
export function useThreadLoader(threadId: string | null): ThreadLoader {
  const client = useChatClient();
  const queryClient = useQueryClient();
  const controller = threadId === null ? null : client.thread(threadId);
  useEffect(() => controller?.subscribe(keepObserved), [controller]);
  const thread = useQuery({
    queryKey: chatKeys.thread(threadId ?? ''),
    queryFn: ({ signal }) => client.backend.getThread(threadId!, { signal }),
    initialData: () => (threadId ? findCachedThread(queryClient, threadId) : undefined),
    enabled: threadId !== null,
    retry: retryUnlessMissing,
  });
  const loadOlder = useCallback(async () => controller?.loadOlder(), [controller]);
  const failure = thread.error;
  const loadError = useMemo(() => (failure ? toConfabError(failure) : null), [failure]);
  return useMemo(
    () => ({ threadId, controller, thread: thread.data, loadOlder, loadError }),
    [threadId, controller, thread.data, loadOlder, loadError],
  );
}

/** A missing thread (404) stays missing: no retries. */
function retryUnlessMissing(count: number, error: unknown): boolean {
  return !(ConfabError.isInstance(error) && error.status === 404) && count < 2;
}
