import { ChatProvider, type ChatTheme } from '@confab/react';
import type { Decorator, Loader } from '@storybook/react-vite';
import { QueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { CHAT_ENDPOINT, resetChatServer } from './browser-server';
import type { ChatScenario } from './scenario';

let serverGeneration = 0;

/**
 * Runs before every story (and again on remount): a fresh in-browser server built from the
 * story's `parameters.chat`. The generation it returns keys the provider, so a fresh server always
 * meets a fresh client and cache.
 */
export const chatServerLoader: Loader = async ({ parameters }) => {
  await resetChatServer(parameters.chat as ChatScenario | undefined);
  serverGeneration++;
  return { chatServerGeneration: serverGeneration };
};

/**
 * Wraps the story in `<ChatProvider endpoint="/api/chat">` with a QueryClient of its own, unless
 * the story sets `parameters.chat.provider` to false. The toolbar's theme is the provider's.
 */
export const withChatProvider: Decorator = (Story, context) => {
  const scenario = context.parameters.chat as ChatScenario | undefined;
  if (scenario?.provider === false) return <Story />;
  const theme = (context.globals.confabTheme as ChatTheme | undefined) ?? 'system';
  return (
    <StoryChatProvider key={String(context.loaded.chatServerGeneration)} theme={theme}>
      <Story />
    </StoryChatProvider>
  );
};

function StoryChatProvider({ children, theme }: { children: ReactNode; theme: ChatTheme }) {
  // No query retries: a story that simulates a failure shows the error state at once. The HTTP
  // backend still retries idempotent requests itself, as it does in an app.
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
      }),
  );
  return (
    <ChatProvider endpoint={CHAT_ENDPOINT} queryClient={queryClient} theme={theme}>
      {children}
    </ChatProvider>
  );
}
