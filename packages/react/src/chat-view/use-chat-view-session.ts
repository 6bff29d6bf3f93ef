'use client';

import type { RegenerateInput, SendInput } from '@confab/core';
import { useMemo, useRef } from 'react';
import type { ChatSession } from '../hooks/use-chat';

/**
 * The session `ChatView` hands to its parts: `session`, with the model the user picked in the
 * view added to every send, edit and regeneration that names none. (The session's own `model`
 * option is the host's `model` prop; the picker's choice must win over it.)
 */
export function useChatViewSession(
  session: ChatSession,
  pickedModel: string | undefined,
): ChatSession {
  const latestModel = useRef(pickedModel);
  latestModel.current = pickedModel;
  return useMemo<ChatSession>(() => {
    const withModel = (input: string | SendInput): SendInput => {
      const request: SendInput = typeof input === 'string' ? { text: input } : input;
      const model = request.model ?? latestModel.current;
      return model ? { ...request, model } : request;
    };
    return {
      ...session,
      send: (input: string | SendInput) => session.send(withModel(input)),
      edit: (messageId: string, input: string | SendInput) =>
        session.edit(messageId, withModel(input)),
      regenerate: (messageId: string, input: RegenerateInput = {}) => {
        const model = input.model ?? latestModel.current;
        return session.regenerate(messageId, model ? { ...input, model } : input);
      },
    };
  }, [session]);
}
