'use client';

import type { ConfabError, Message, ThreadState, ThreadStatus } from '@confab/core';
import { createContext, type ReactNode, useContext } from 'react';
import type { ChatSession } from '../hooks/use-chat';
import { noThread } from '../hooks/use-thread';
import { shallowEqualArrays, useStoreSelector } from '../internal/use-store-selector';

const outsideScope = 'This component must be used inside a <ChatView> or <ThreadScope>.';

const ThreadScopeContext = /* @__PURE__ */ createContext<ChatSession | null>(null);
// The controller alone, in its own context: it changes only with the thread, so messages that
// subscribe through it do not re-render when the session object changes (a new title, say).
const ThreadControllerContext = /* @__PURE__ */ createContext<
  ChatSession['controller'] | undefined
>(undefined);

/**
 * Gives the primitives below it one chat session (from `useChatSession`). Each primitive then
 * subscribes to the slice it shows, so a streaming answer re-renders only its own message.
 */
export function ThreadScope({ session, children }: { session: ChatSession; children?: ReactNode }) {
  return (
    <ThreadScopeContext.Provider value={session}>
      <ThreadControllerContext.Provider value={session.controller}>
        {children}
      </ThreadControllerContext.Provider>
    </ThreadScopeContext.Provider>
  );
}

/** The session of the surrounding `ThreadScope` (or `ChatView`). */
export function useThreadScope(): ChatSession {
  const session = useContext(ThreadScopeContext);
  if (!session)
    throw new Error('This component must be used inside a <ChatView> or <ThreadScope>.');
  return session;
}

/**
 * A slice of the surrounding thread's live state; the component re-renders only when the slice
 * changes (by `isEqual`, default `Object.is`).
 */
export function useThreadSelector<T>(
  selector: (state: ThreadState) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  const controller = useContext(ThreadControllerContext);
  if (controller === undefined) throw new Error(outsideScope);
  const store = controller ?? noThread;
  return useStoreSelector(store.subscribe, store.getSnapshot, selector, isEqual);
}

const selectIds = (state: ThreadState) => state.messages.map((message) => message.id);
const selectStatus = (state: ThreadState) => state.status;
const selectError = (state: ThreadState) => state.error;

/** The ids of the thread's messages, oldest first; changes only when messages come or go. */
export function useMessageIds(): string[] {
  return useThreadSelector(selectIds, shallowEqualArrays);
}

/** One message; re-renders only when that message changes. */
export function useMessage(messageId: string): Message | undefined {
  return useThreadSelector((state) => findMessage(state.messages, messageId));
}

/** `ready`, `submitted` (waiting for the answer), `streaming` or `error`. */
export function useThreadStatus(): ThreadStatus {
  return useThreadSelector(selectStatus);
}

/** The error of the last send or stream, or of loading the thread. */
export function useThreadError(): ConfabError | null {
  const { loadError } = useThreadScope();
  const error = useThreadSelector(selectError);
  return error ?? loadError;
}

function findMessage(messages: Message[], messageId: string): Message | undefined {
  // Streaming happens at the end: search from there.
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]!.id === messageId) return messages[index];
  }
  return undefined;
}
