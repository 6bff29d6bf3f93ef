import {
  type ChatBackend,
  ChatClient,
  type Message as ChatMessage,
  frameScheduler,
  type Part,
  type ThreadController,
} from '@confab/core';
import type { ReactNode } from 'react';
import { useChatSession } from '../../hooks/use-chat';
import { mount, testBackend } from '../../internal/testing';
import type { ChatLabels } from '../../provider/labels';
import { ThreadScope, useMessageIds } from '../../provider/thread-scope';
import { Message } from '../message';

export interface RenderedThread {
  container: HTMLElement;
  backend: ChatBackend;
  client: ChatClient;
  controller: ThreadController;
  threadId: string;
  /** The `<article>` of a message. */
  article: (messageId: string) => HTMLElement;
  unmount: () => void;
}

export interface RenderThreadOptions {
  /** Messages the thread holds when it opens (as if fetched from the server). */
  messages?: ChatMessage[];
  backend?: ChatBackend;
  labels?: Partial<ChatLabels>;
  /** What to render inside the thread's scope; default every message as `<Message>`. */
  children?: ReactNode;
}

/**
 * Renders a thread's messages the way the components do: a `ChatProvider` over `testBackend()`
 * (or the backend given), a session from `useChatSession` in a `ThreadScope`, and one `Message` per
 * message id.
 */
export async function renderThread(options: RenderThreadOptions = {}): Promise<RenderedThread> {
  const backend = options.backend ?? testBackend();
  const thread = await backend.createThread();
  // The fixtures, one turn after the other, are the page the thread opens with.
  const messages = (options.messages ?? []).map((message, index, all) => ({
    ...message,
    threadId: thread.id,
    parentId: message.parentId ?? (index === 0 ? null : all[index - 1]!.id),
  }));
  const opened: ChatBackend =
    messages.length === 0
      ? backend
      : {
          ...backend,
          listMessages: async (threadId, query, requestOptions) =>
            threadId === thread.id && !query?.before
              ? { items: messages, nextCursor: null, versions: {} }
              : backend.listMessages(threadId, query, requestOptions),
        };
  const client = new ChatClient({ backend: opened, scheduler: frameScheduler });
  const controller = client.thread(thread.id);
  const { container, unmount } = await mount(
    <Session threadId={thread.id}>{options.children ?? <EveryMessage />}</Session>,
    { client, labels: options.labels },
  );
  return {
    container,
    backend,
    client,
    controller,
    threadId: thread.id,
    article: (messageId) => {
      const article = container.querySelector<HTMLElement>(
        `article[data-message-root][data-message-id="${messageId}"]`,
      );
      if (!article) throw new Error(`No message ${messageId} on screen.`);
      return article;
    },
    unmount,
  };
}

function Session({ threadId, children }: { threadId: string; children: ReactNode }) {
  const session = useChatSession({ threadId });
  return <ThreadScope session={session}>{children}</ThreadScope>;
}

function EveryMessage() {
  const ids = useMessageIds();
  return (
    <>
      {ids.map((id) => (
        <Message key={id} messageId={id} data-message-id={id} />
      ))}
    </>
  );
}

let sequence = 0;

/** A stored message, complete unless told otherwise. */
export function fixtureMessage(
  fields: Partial<ChatMessage> & Pick<ChatMessage, 'role'> & { text?: string },
): ChatMessage {
  const { text, ...rest } = fields;
  const parts: Part[] = rest.parts ?? (text === undefined ? [] : [{ type: 'text', text }]);
  const time = new Date(Date.UTC(2025, 0, 1, 12, 0, sequence)).toISOString();
  const index = sequence++;
  return {
    id: `message-${index}`,
    threadId: 'thread',
    parentId: null,
    authorId: fields.role === 'user' ? 'local' : null,
    status: 'complete',
    model: null,
    usage: null,
    error: null,
    sequence: index,
    metadata: {},
    createdAt: time,
    updatedAt: time,
    ...rest,
    parts,
  };
}

/** A stream of text pieces the test releases one at a time. */
export function controlledStream(): {
  pieces: AsyncIterable<string>;
  push: (piece: string) => void;
  end: () => void;
} {
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  return {
    pieces: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (queue.length > 0) {
            yield queue.shift()!;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
    },
    push: (piece) => {
      queue.push(piece);
      wake?.();
    },
    end: () => {
      ended = true;
      wake?.();
    },
  };
}
