'use client';

import type { ConfabError, Thread } from '@confab/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useChatClient } from '../provider/chat-provider';
import { chatKeys } from './query-keys';

export interface UseThreadsOptions {
  /** Threads per page. Default 20. */
  limit?: number;
  /** List archived threads instead of active ones. */
  archived?: boolean;
  enabled?: boolean;
}

export interface UseThreadsResult {
  /** The loaded threads, most recently active first. */
  threads: Thread[];
  hasMore: boolean;
  loadMore: () => Promise<void>;
  isLoading: boolean;
  isLoadingMore: boolean;
  error: ConfabError | null;
  refetch: () => Promise<void>;
}

/** The caller's threads, a page at a time, cached by react-query under `chatKeys.threadList`. */
export function useThreads(options: UseThreadsOptions = {}): UseThreadsResult {
  const { backend } = useChatClient();
  const { limit = 20, archived, enabled = true } = options;
  const listQuery = archived === undefined ? { limit } : { limit, archived };
  const query = useInfiniteQuery({
    queryKey: chatKeys.threadList(listQuery),
    queryFn: ({ pageParam, signal }) =>
      backend.listThreads(
        { ...listQuery, ...(pageParam ? { cursor: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled,
  });
  const threads = useMemo(() => {
    const seen = new Set<string>();
    const items: Thread[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const thread of page.items) {
        if (seen.has(thread.id)) continue;
        seen.add(thread.id);
        items.push(thread);
      }
    }
    return items;
  }, [query.data]);
  const { fetchNextPage, refetch } = query;
  return {
    threads,
    hasMore: query.hasNextPage,
    loadMore: async () => {
      await fetchNextPage();
    },
    isLoading: query.isPending && enabled,
    isLoadingMore: query.isFetchingNextPage,
    error: (query.error as ConfabError | null) ?? null,
    refetch: async () => {
      await refetch();
    },
  };
}
