'use client';

import type { Thread } from '@confab/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useChatClient } from '../provider/chat-provider';
import { storeThread } from './thread-cache';

export interface ForkThreadInput {
  threadId: string;
  /**
   * The last message to copy: the new thread holds the branch from the first message down to
   * it. Default the end of the caller's current branch, as the server has it.
   */
  messageId?: string;
  /** The new thread's id; default one the server makes. */
  id?: string;
}

/**
 * Copies a branch of a thread into a new thread of the caller's (same title, model and
 * metadata), and puts the new thread on top of the cached lists. Open it with the result's id.
 */
export function useForkThread() {
  const { backend } = useChatClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ threadId, messageId, id }: ForkThreadInput): Promise<Thread> => {
      const through = messageId ?? (await lastMessageId(backend, threadId));
      return backend.forkThread(threadId, id ? { messageId: through, id } : { messageId: through });
    },
    onSuccess: (thread) => storeThread(queryClient, thread),
  });
}

async function lastMessageId(
  backend: ReturnType<typeof useChatClient>['backend'],
  threadId: string,
): Promise<string> {
  // The newest page of the current branch; its last item is the branch's end.
  const page = await backend.listMessages(threadId, { limit: 1 });
  const last = page.items.at(-1);
  if (!last) throw new Error('An empty thread has nothing to fork.');
  return last.id;
}

export type ExportFormat = 'json' | 'markdown';

export interface ExportThreadInput {
  threadId: string;
  /** `markdown`: the current branch, to read; `json`: every branch, to import again. */
  format: ExportFormat;
}

/**
 * Downloads a thread as a file (its name is the server's): fetches the export, then hands it to
 * the browser through a temporary link. The mutation's result is the `File`.
 */
export function useExportThread() {
  const { backend } = useChatClient();
  return useMutation({
    mutationFn: async ({ threadId, format }: ExportThreadInput): Promise<File> => {
      const file = await backend.exportThread(threadId, { format });
      downloadFile(file);
      return file;
    },
  });
}

/** Saves a file through the browser's download, as a click on a link to it would. */
function downloadFile(file: File): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the file by the next task; the URL would keep it in memory.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
