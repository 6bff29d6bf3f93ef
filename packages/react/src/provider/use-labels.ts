'use client';

import { useMemo } from 'react';
import { type ChatTheme, useChatContext } from './chat-context';
import { type ChatLabels, defaultLabels } from './labels';

// The components' hooks, apart from `ChatProvider`: an app that only uses the chat hooks does not
// ship the components' strings.

/** The provider's labels, with a component's own `labels` prop laid over them. */
export function useLabels(override?: Partial<ChatLabels>): ChatLabels {
  const { labels } = useChatContext('useLabels()');
  return useMemo(
    () => (labels || override ? { ...defaultLabels, ...labels, ...override } : defaultLabels),
    [labels, override],
  );
}

/** The theme a component should use: its own prop, else the provider's. */
export function useChatTheme(override?: ChatTheme): ChatTheme {
  const { theme } = useChatContext('useChatTheme()');
  return override ?? theme;
}
