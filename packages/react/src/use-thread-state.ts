'use client';

import type { ThreadController, ThreadState } from '@confab/core';
import { useEffect, useSyncExternalStore } from 'react';
import { useChatClient } from './chat-provider';

export interface UseThreadStateResult extends ThreadState {
  controller: ThreadController;
  send: ThreadController['send'];
  stop: ThreadController['stop'];
  retry: ThreadController['retry'];
  loadOlder: ThreadController['loadOlder'];
}

/**
 * The live state of a thread (history, streaming answer, status, error) from @confab/core's
 * controller, read through `useSyncExternalStore`. Loads the newest page of history on mount.
 */
export function useThreadState(threadId: string): UseThreadStateResult {
  const controller = useChatClient().thread(threadId);
  const state = useSyncExternalStore(
    controller.subscribe,
    controller.getSnapshot,
    controller.getSnapshot,
  );
  useEffect(() => {
    void controller.load();
  }, [controller]);
  return {
    ...state,
    controller,
    send: (input) => controller.send(input),
    stop: () => controller.stop(),
    retry: () => controller.retry(),
    loadOlder: () => controller.loadOlder(),
  };
}
