'use client';

import { type ChatBackend, ChatClient, type HttpBackendOptions, httpBackend } from '@confab/core';
import { createContext, type ReactNode, useContext, useState } from 'react';

const ChatClientContext = createContext<ChatClient | null>(null);

export type ChatProviderProps = {
  children?: ReactNode;
} & (
  | { client: ChatClient; backend?: never; endpoint?: never }
  | { backend: ChatBackend; client?: never; endpoint?: never }
  | ({ endpoint: string; client?: never; backend?: never } & Omit<HttpBackendOptions, 'baseUrl'>)
);

/**
 * Gives the components below it one `ChatClient`: pass a client, a backend, or the `endpoint`
 * where the chat API is mounted (with `headers` or `getToken` for auth).
 */
export function ChatProvider(props: ChatProviderProps) {
  const [client] = useState(() => {
    if (props.client) return props.client;
    if (props.backend) return new ChatClient({ backend: props.backend });
    const { children: _children, endpoint, ...options } = props;
    return new ChatClient({ backend: httpBackend({ ...options, baseUrl: endpoint }) });
  });
  return <ChatClientContext.Provider value={client}>{props.children}</ChatClientContext.Provider>;
}

/** The provider's ChatClient. Throws outside a `ChatProvider`. */
export function useChatClient(): ChatClient {
  const client = useContext(ChatClientContext);
  if (!client) throw new Error('useChatClient() must be used inside a <ChatProvider>.');
  return client;
}
