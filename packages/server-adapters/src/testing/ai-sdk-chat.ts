import { AbstractChat, type ChatInit, type ChatState, type ChatStatus, type UIMessage } from 'ai';
import type { ChatHandler } from '../handler/create-chat-handler';

/**
 * The AI SDK's chat logic (`AbstractChat`, what `useChat` runs) over a state that records every
 * status it passes through: a test reads what a `useChat` app would show, without React.
 */
export class RecordingChat extends AbstractChat<UIMessage> {
  readonly statuses: ChatStatus[];

  constructor(init: ChatInit<UIMessage>) {
    const statuses: ChatStatus[] = [];
    super({ ...init, state: recordingState(init.messages ?? [], statuses) });
    this.statuses = statuses;
  }

  /** The text of the last message, as the app shows it. */
  get lastText(): string {
    return uiText(this.messages.at(-1));
  }
}

export function uiText(message: UIMessage | undefined): string {
  return (message?.parts ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function recordingState(messages: UIMessage[], statuses: ChatStatus[]): ChatState<UIMessage> {
  let status: ChatStatus = 'ready';
  let list = messages;
  return {
    get status() {
      return status;
    },
    set status(next) {
      status = next;
      statuses.push(next);
    },
    error: undefined,
    get messages() {
      return list;
    },
    set messages(next) {
      list = next;
    },
    pushMessage: (message) => {
      list = [...list, message];
    },
    popMessage: () => {
      list = list.slice(0, -1);
    },
    replaceMessage: (index, message) => {
      list = list.with(index, message);
    },
    snapshot: (value) => structuredClone(value),
  };
}

/**
 * A `fetch` that hands every request to the handler in-process, as the user `user` (devAuth's
 * `x-confab-user` header; null sends none). Relative URLs resolve against http://localhost.
 */
export function handlerFetch(handler: ChatHandler, user: string | null): typeof fetch {
  return async (input, init) => {
    const request = new Request(
      input instanceof Request ? input : new URL(String(input), 'http://localhost'),
      init,
    );
    const headers = new Headers(request.headers);
    if (user) headers.set('x-confab-user', user);
    return handler(new Request(request, { headers }));
  };
}

/** Resolves once `check` holds, polling every few milliseconds (fails after `timeoutMs`). */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the chat.');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
