import type { ListThreadsQuery } from '@confab/core';

/**
 * The react-query keys Confab uses, so a host app can read, prefetch or invalidate them:
 * `queryClient.invalidateQueries({ queryKey: chatKeys.threads() })`.
 */
export const chatKeys = {
  all: ['confab'] as const,
  threads: () => [...chatKeys.all, 'threads'] as const,
  threadList: (query: Omit<ListThreadsQuery, 'cursor'> = {}) =>
    [...chatKeys.threads(), 'list', query] as const,
  thread: (threadId: string) => [...chatKeys.threads(), 'detail', threadId] as const,
  models: () => [...chatKeys.all, 'models'] as const,
};
