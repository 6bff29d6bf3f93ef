'use client';

import type { ChatClient } from '@confab/core';
import { createContext, useContext } from 'react';
import type { ChatLabels } from './labels';

/** `system` follows `prefers-color-scheme`; `light` and `dark` force one. */
export type ChatTheme = 'system' | 'light' | 'dark';

export interface ChatContextValue {
  client: ChatClient;
  /** The provider's own labels; `useLabels` lays them over the defaults. */
  labels: Partial<ChatLabels> | undefined;
  theme: ChatTheme;
}

export const ChatContext = /* @__PURE__ */ createContext<ChatContextValue | null>(null);

export function useChatContext(hook: string): ChatContextValue {
  const value = useContext(ChatContext);
  if (!value) throw new Error(`${hook} must be used inside a <ChatProvider>.`);
  return value;
}
