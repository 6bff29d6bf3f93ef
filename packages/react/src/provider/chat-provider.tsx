'use client';

import {
  type ChatBackend,
  ChatClient,
  frameScheduler,
  type HttpBackendOptions,
  httpBackend,
} from '@confab/core';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { chatKeys } from '../hooks/query-keys';
import {
  removeFromLists,
  storeThread,
  type ThreadPages,
  updateThreadLists,
} from '../hooks/thread-cache';
import { ChatContext, type ChatTheme, useChatContext } from './chat-context';
import type { ChatLabels } from './labels';

export type { ChatTheme } from './chat-context';
export { useChatTheme, useLabels } from './use-labels';

export type ChatProviderProps = {
  children?: ReactNode;
  /** Replaces any of the components' strings. */
  labels?: Partial<ChatLabels>;
  /** Default `system`. Components take a `theme` prop too. */
  theme?: ChatTheme;
  /**
   * The react-query client for threads, history and models. Defaults to the host app's
   * `QueryClientProvider` when there is one, else a client of the provider's own.
   */
  queryClient?: QueryClient;
  /** Messages per history page, for the provider's own client. Default 50. */
  pageSize?: number;
} & (
  | { client: ChatClient; backend?: never; endpoint?: never }
  | { backend: ChatBackend; client?: never; endpoint?: never }
  | ({ endpoint: string; client?: never; backend?: never } & Omit<HttpBackendOptions, 'baseUrl'>)
);

/**
 * Gives the components below it one `ChatClient`: pass a client, a backend, or the `endpoint`
 * where the chat API is mounted (with `headers` or `getToken` for auth). A client you pass
 * keeps its own options; pass `frameScheduler` to it for one render per frame, and `live: true`
 * for threads on screen to follow their events (the provider's own client does both).
 */
export function ChatProvider(props: ChatProviderProps) {
  const [client] = useState(() => {
    if (props.client) return props.client;
    // Streamed text reaches the components at most once per animation frame.
    // Each thread on screen follows its events live (other tabs, devices, members).
    const pageSize = props.pageSize;
    if (props.backend) {
      return new ChatClient({
        backend: props.backend,
        scheduler: frameScheduler,
        live: true,
        pageSize,
      });
    }
    const {
      children: _children,
      labels: _labels,
      theme: _theme,
      queryClient: _queryClient,
      pageSize: _pageSize,
      endpoint,
      ...options
    } = props;
    return new ChatClient({
      backend: httpBackend({ ...options, baseUrl: endpoint }),
      scheduler: frameScheduler,
      live: true,
      pageSize,
    });
  });
  const hostQueryClient = useContext(QueryClientContext);
  const [ownQueryClient] = useState(() =>
    props.queryClient || hostQueryClient ? null : new QueryClient(),
  );
  const queryClient = props.queryClient ?? hostQueryClient ?? ownQueryClient;
  useEffect(() => {
    const stopUpdates = client.onThreadUpdated((thread) => storeThread(queryClient!, thread));
    // Deleted elsewhere: gone from the lists, and a view showing it finds it missing.
    const stopDeletes = client.onThreadDeleted((threadId) => {
      updateThreadLists(queryClient!, (pages: ThreadPages) => removeFromLists(pages, threadId));
      void queryClient!.invalidateQueries({ queryKey: chatKeys.thread(threadId) });
    });
    return () => {
      stopUpdates();
      stopDeletes();
    };
  }, [client, queryClient]);
  const { labels, theme = 'system' } = props;
  const value = useMemo(() => ({ client, theme, labels }), [client, theme, labels]);
  const content = <ChatContext.Provider value={value}>{props.children}</ChatContext.Provider>;
  if (queryClient === hostQueryClient) return content;
  return <QueryClientProvider client={queryClient!}>{content}</QueryClientProvider>;
}

/** The provider's ChatClient. Throws outside a `ChatProvider`. */
export function useChatClient(): ChatClient {
  return useChatContext('useChatClient()').client;
}

/** The provider's ChatClient, or null outside a `ChatProvider`. */
export function useOptionalChatClient(): ChatClient | null {
  return useContext(ChatContext)?.client ?? null;
}
