'use client';

import type { CreateThreadBody, Thread, UpdateThreadBody } from '@confab/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useChatClient } from '../provider/chat-provider';
import { chatKeys } from './query-keys';
import { removeFromLists, storeThread, type ThreadPages, updateThreadLists } from './thread-cache';

type Snapshot = [readonly unknown[], unknown][];

/** Saves every cached thread query, to put back if an optimistic change fails. */
async function snapshotThreads(queryClient: ReturnType<typeof useQueryClient>): Promise<Snapshot> {
  await queryClient.cancelQueries({ queryKey: chatKeys.threads() });
  return queryClient.getQueriesData({ queryKey: chatKeys.threads() });
}

function restore(queryClient: ReturnType<typeof useQueryClient>, snapshot: Snapshot | undefined) {
  for (const [queryKey, data] of snapshot ?? []) queryClient.setQueryData(queryKey, data);
}

/** Creates a thread and puts it on top of the cached lists. */
export function useCreateThread() {
  const { backend } = useChatClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateThreadBody = {}) => backend.createThread(body),
    onSuccess: (thread) => storeThread(queryClient, thread),
  });
}

export interface UpdateThreadInput {
  threadId: string;
  changes: UpdateThreadBody;
}

/**
 * Changes a thread (title, model, metadata, archived). The caches show the change at once and
 * go back to what they held if the server refuses it.
 */
export function useUpdateThread() {
  const { backend } = useChatClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ threadId, changes }: UpdateThreadInput) =>
      backend.updateThread(threadId, changes),
    onMutate: async ({ threadId, changes }) => {
      const snapshot = await snapshotThreads(queryClient);
      const patch = (thread: Thread): Thread => ({ ...thread, ...changes }) as Thread;
      queryClient.setQueryData<Thread>(chatKeys.thread(threadId), (thread) =>
        thread ? patch(thread) : thread,
      );
      updateThreadLists(queryClient, (data, query) => {
        if (changes.archived !== undefined && changes.archived !== Boolean(query.archived)) {
          return removeFromLists(data, threadId);
        }
        return {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((item) => (item.id === threadId ? patch(item) : item)),
          })),
        };
      });
      return { snapshot };
    },
    onError: (_error, _input, context) => restore(queryClient, context?.snapshot),
    onSuccess: (thread) => {
      queryClient.setQueryData(chatKeys.thread(thread.id), thread);
      updateThreadLists(queryClient, (data) => ({
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          items: page.items.map((item) => (item.id === thread.id ? thread : item)),
        })),
      }));
    },
  });
}

/** Renames a thread, optimistically. `title: null` clears it. */
export function useRenameThread() {
  const update = useUpdateThread();
  return {
    ...update,
    mutate: (input: { threadId: string; title: string | null }) =>
      update.mutate({ threadId: input.threadId, changes: { title: input.title } }),
    mutateAsync: (input: { threadId: string; title: string | null }) =>
      update.mutateAsync({ threadId: input.threadId, changes: { title: input.title } }),
  };
}

/**
 * Deletes a thread: it leaves the lists at once and comes back if the server refuses.
 * On success its controller and cached history are dropped.
 */
export function useDeleteThread() {
  const client = useChatClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (threadId: string) => client.backend.deleteThread(threadId),
    onMutate: async (threadId) => {
      const snapshot = await snapshotThreads(queryClient);
      updateThreadLists(queryClient, (data: ThreadPages) => removeFromLists(data, threadId));
      return { snapshot };
    },
    onError: (_error, _threadId, context) => restore(queryClient, context?.snapshot),
    onSuccess: (_result, threadId) => {
      client.forget(threadId);
      queryClient.removeQueries({ queryKey: chatKeys.thread(threadId) });
    },
  });
}
