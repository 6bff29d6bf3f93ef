'use client';

import type { Message, RegenerateInput, SendInput, Thread } from '@confab/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useChatClient } from '../provider/chat-provider';
import {
  type ThreadLoader,
  type UseThreadResult,
  useLiveThread,
  useThreadLoader,
} from './use-thread';
import { useCreateThread } from './use-thread-mutations';

export interface UseChatOptions {
  /**
   * The thread to chat in. A string or `null` (no thread yet) makes it controlled: the first
   * send then creates a thread and reports it through `onThreadCreated`. Leave it out to let
   * the hook keep the thread itself.
   */
  threadId?: string | null;
  onThreadCreated?: (thread: Thread) => void;
  /** The model for sends that name none (else the thread's, else the server's default). */
  model?: string;
}

/** What sending, stopping and paging need, without subscribing to the messages. */
export interface ChatSession extends ThreadLoader {
  /** Sends a message, creating the thread first when there is none. */
  send: (input: string | SendInput) => Promise<Message | null>;
  /**
   * Asks for another answer to the question of any answer of the branch; it takes the old
   * answer's place, which stays as an earlier version.
   */
  regenerate: (messageId: string, input?: RegenerateInput) => Promise<Message | null>;
  /** Sends a new version of a question of the branch, answered, and shows its branch. */
  edit: (messageId: string, input: string | SendInput) => Promise<Message | null>;
  /** Shows the branch through another version of a turn (an id of `versions`). */
  selectVersion: (messageId: string) => Promise<void>;
  /** Deletes a message and every message below it. */
  deleteMessage: (messageId: string) => Promise<void>;
  stop: () => Promise<void>;
  /** Makes again what failed: a send the server never accepted, or the latest answer. */
  retry: () => Promise<Message | null>;
  clearError: () => void;
}

/**
 * The actions of a chat without its messages: components that only send, stop or page read
 * this and never re-render while an answer streams. `useChat` adds the live state.
 */
export function useChatSession(options: UseChatOptions = {}): ChatSession {
  const client = useChatClient();
  const createThread = useCreateThread();
  const controlled = options.threadId !== undefined;
  const [ownThreadId, setOwnThreadId] = useState<string | null>(null);
  const loader = useThreadLoader(controlled ? (options.threadId ?? null) : ownThreadId);
  const { controller } = loader;
  const latest = useRef(options);
  latest.current = options;

  const send = useCallback(
    async (input: string | SendInput) => {
      const request: SendInput = typeof input === 'string' ? { text: input } : input;
      const model = request.model ?? latest.current.model;
      const withModel = model ? { ...request, model } : request;
      if (controller) return controller.send(withModel);
      const created = await createThread.mutateAsync(model ? { model } : {});
      // A new thread has no history to fetch.
      const next = client.thread(created.id, { isNew: true });
      if (!controlled) setOwnThreadId(created.id);
      latest.current.onThreadCreated?.(created);
      return next.send(withModel);
    },
    [client, controller, controlled, createThread.mutateAsync],
  );

  const regenerate = useCallback(
    async (messageId: string, input: RegenerateInput = {}) => {
      if (!controller) return null;
      const model = input.model ?? latest.current.model;
      return controller.regenerate(messageId, model ? { ...input, model } : input);
    },
    [controller],
  );

  const edit = useCallback(
    async (messageId: string, input: string | SendInput) => {
      if (!controller) return null;
      const request: SendInput = typeof input === 'string' ? { text: input } : input;
      const model = request.model ?? latest.current.model;
      return controller.edit(messageId, model ? { ...request, model } : request);
    },
    [controller],
  );

  return useMemo(
    () => ({
      ...loader,
      send,
      regenerate,
      edit,
      selectVersion: async (messageId: string) => controller?.selectVersion(messageId),
      deleteMessage: async (messageId: string) => controller?.deleteMessage(messageId),
      stop: async () => controller?.stop(),
      retry: async () => (controller ? controller.retry() : null),
      clearError: () => controller?.clearError(),
    }),
    [loader, controller, send, regenerate, edit],
  );
}

export interface UseChatResult extends UseThreadResult {
  send: ChatSession['send'];
  regenerate: ChatSession['regenerate'];
  edit: ChatSession['edit'];
  selectVersion: ChatSession['selectVersion'];
  deleteMessage: ChatSession['deleteMessage'];
  stop: ChatSession['stop'];
  retry: ChatSession['retry'];
  clearError: ChatSession['clearError'];
}

/**
 * A whole chat in one hook: the messages (history and live), `send`, `regenerate`, `stop`,
 * `retry`, status and error. With no thread yet, the first send creates one.
 */
export function useChat(options: UseChatOptions = {}): UseChatResult {
  const session = useChatSession(options);
  const state = useLiveThread(session);
  return {
    ...state,
    send: session.send,
    regenerate: session.regenerate,
    edit: session.edit,
    selectVersion: session.selectVersion,
    deleteMessage: session.deleteMessage,
    stop: session.stop,
    retry: session.retry,
    clearError: session.clearError,
  };
}
