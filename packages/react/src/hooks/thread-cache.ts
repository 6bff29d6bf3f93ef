import type { ListThreadsQuery, Page, Thread } from '@confab/core';
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import { chatKeys } from './query-keys';

export type ThreadPages = InfiniteData<Page<Thread>, string | null>;

const listKey = () => [...chatKeys.threads(), 'list'] as const;

/** The list query of a key made by `chatKeys.threadList`. */
function listQuery(queryKey: QueryKey): Omit<ListThreadsQuery, 'cursor'> {
  return (queryKey[3] as Omit<ListThreadsQuery, 'cursor'> | undefined) ?? {};
}

/** Applies `update` to every cached thread list, with the list's query. */
export function updateThreadLists(
  queryClient: QueryClient,
  update: (pages: ThreadPages, query: Omit<ListThreadsQuery, 'cursor'>) => ThreadPages,
): void {
  for (const [queryKey, data] of queryClient.getQueriesData<ThreadPages>({ queryKey: listKey() })) {
    if (data) queryClient.setQueryData<ThreadPages>(queryKey, update(data, listQuery(queryKey)));
  }
}

/** Removes a thread from every cached list. */
export function removeFromLists(pages: ThreadPages, threadId: string): ThreadPages {
  return {
    ...pages,
    pages: pages.pages.map((page) => ({
      ...page,
      items: page.items.filter((item) => item.id !== threadId),
    })),
  };
}

/**
 * Puts a changed thread into every cache: its detail, and the top of the lists it belongs to
 * (lists are ordered by last activity, and a change is activity).
 */
export function storeThread(queryClient: QueryClient, thread: Thread): void {
  queryClient.setQueryData(chatKeys.thread(thread.id), thread);
  updateThreadLists(queryClient, (data, query) => {
    const next = removeFromLists(data, thread.id);
    const first = next.pages[0];
    if (first && Boolean(query.archived) === thread.archived) {
      next.pages[0] = { ...first, items: [thread, ...first.items] };
    }
    return next;
  });
}

/** Finds a thread in the cached lists, to show it before its own request answers. */
export function findCachedThread(queryClient: QueryClient, threadId: string): Thread | undefined {
  for (const [, data] of queryClient.getQueriesData<ThreadPages>({ queryKey: listKey() })) {
    for (const page of data?.pages ?? []) {
      const thread = page.items.find((item) => item.id === threadId);
      if (thread) return thread;
    }
  }
  return undefined;
}
