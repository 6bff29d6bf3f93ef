// @vitest-environment happy-dom
import { type ChatBackend, type Message, ThreadController } from '@confab/core';
import { act, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChatSession, type UseChatOptions, useChatSession } from '../hooks/use-chat';
import {
  mount as mountWithChat,
  settle,
  type TestBackendOptions,
  testBackend,
  waitFor,
} from '../internal/testing';
import { isMarkdownBlockRendered } from '../message/markdown-cache';
import { ThreadScope, useMessage } from '../provider/thread-scope';
import { MessageList } from './message-list';

/*
 * happy-dom has no layout engine, so these tests give the list one (restored after the file):
 * - the viewport (`role="log"`) is 600px tall (`clientHeight`), and its `scrollHeight` is the
 *   height the virtualizer gives its rows box (`style.height`);
 * - every measured row (`[data-index]`) is 80px tall (`offsetHeight`; happy-dom's
 *   ResizeObserver never reports, so rows are measured once, when they mount);
 * - `scrollTo` on an element clamps to the scroll range and then fires `scroll`, like a browser
 *   (happy-dom only sets `scrollTop`);
 * - `offsetParent` (missing in happy-dom) is the viewport for what is inside it; every
 *   `offsetTop` stays 0, so the rows start at the top of the viewport's content.
 * What needs real layout (following a growing answer, anchoring while rows are re-measured) is
 * checked in Chromium by the play functions of message-list.stories.tsx.
 */
const rowHeight = 80;
const viewportHeight = 600;

function isViewport(element: Element) {
  return element.getAttribute('role') === 'log';
}
function scrollRange(viewport: HTMLElement) {
  const items = viewport.querySelector<HTMLElement>('.confab-message-list__items');
  return Math.max(0, (Number.parseFloat(items?.style.height ?? '') || 0) - viewportHeight);
}

const stubbed = [
  'clientHeight',
  'offsetHeight',
  'scrollHeight',
  'scrollTo',
  'offsetParent',
] as const;
const originals = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  for (const name of stubbed) {
    originals.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
  }
  Object.defineProperties(HTMLElement.prototype, {
    clientHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return isViewport(this) ? viewportHeight : 0;
      },
    },
    offsetHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return this.hasAttribute('data-index') ? rowHeight : 0;
      },
    },
    scrollHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return isViewport(this) ? scrollRange(this) + viewportHeight : 0;
      },
    },
    offsetParent: {
      configurable: true,
      get(this: HTMLElement) {
        return this.parentElement?.closest('[role="log"]') ?? null;
      },
    },
    scrollTo: {
      configurable: true,
      writable: true,
      value(this: HTMLElement, options: ScrollToOptions) {
        const top = Math.min(Math.max(0, options.top ?? this.scrollTop), scrollRange(this));
        this.scrollTop = top;
        setTimeout(() => this.dispatchEvent(new Event('scroll')));
      },
    },
  });
});
afterAll(() => {
  for (const name of stubbed) {
    const original = originals.get(name);
    if (original) Object.defineProperty(HTMLElement.prototype, name, original);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
  }
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function mount(ui: ReactNode, backend: ChatBackend = testBackend(), pageSize?: number) {
  const { container, unmount } = await mountWithChat(ui, { backend, pageSize });
  cleanups.push(unmount);
  const list = () => container.querySelector<HTMLElement>('.confab-message-list')!;
  const viewport = () => container.querySelector<HTMLElement>('[role="log"]')!;
  return {
    container,
    list,
    viewport,
    renderedIds: () =>
      [...container.querySelectorAll('[data-message-id]')].map((row) =>
        row.getAttribute('data-message-id'),
      ),
    jumpButton: () =>
      [...container.querySelectorAll('button')].find((button) =>
        button.textContent?.includes('Jump to latest'),
      ),
    /** Scrolls the way a user does: the position changes, then `scroll` fires. */
    scrollTo: async (top: number) => {
      await act(async () => {
        viewport().scrollTop = top;
        viewport().dispatchEvent(new Event('scroll'));
      });
      await settle();
    },
  };
}

function makeMessages(threadId: string, count: number): Message[] {
  const time = new Date(2024, 0, 1).toISOString();
  return Array.from({ length: count }, (_, index) => ({
    id: `${threadId}-m${index}`,
    threadId,
    parentId: index === 0 ? null : `${threadId}-m${index - 1}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    authorId: null,
    parts: [{ type: 'text', text: `Message ${index}` }],
    status: 'complete',
    model: null,
    usage: null,
    error: null,
    sequence: index,
    metadata: {},
    createdAt: time,
    updatedAt: time,
  }));
}

/**
 * A session over a controller whose server holds `messages` as one page (no paging), loaded; or,
 * with `loading`, whose first page never comes.
 */
async function sessionWith(
  messages: Message[],
  { loading = false }: { loading?: boolean } = {},
): Promise<ChatSession> {
  const backend: ChatBackend = {
    ...testBackend(),
    listMessages: () =>
      loading
        ? new Promise(() => {})
        : Promise.resolve({ items: messages, nextCursor: null, versions: {} }),
  };
  const controller = new ThreadController({ backend, threadId: 'thread' });
  if (!loading) await controller.load();
  return {
    threadId: 'thread',
    controller,
    thread: undefined,
    send: async () => null,
    stop: async () => {},
    regenerate: async () => null,
    edit: async () => null,
    selectVersion: async () => {},
    deleteMessage: async () => {},
    retry: async () => null,
    clearError: () => {},
    loadOlder: async () => {},
    loadError: null,
  };
}

const renderText = (messageId: string) => <p>{messageId}</p>;

/** A thread of `exchanges` questions and answers, stored by the in-process server. */
async function seededBackend(exchanges: number, options?: TestBackendOptions) {
  const backend = testBackend(options);
  const thread = await backend.createThread({ title: 'Seeded' });
  for (let index = 0; index < exchanges; index++) {
    await backend.sendMessageAndWait(thread.id, { text: `Question ${index}` });
  }
  return { backend, threadId: thread.id };
}

function Chat({
  options,
  children,
  onSession,
}: {
  options: UseChatOptions;
  children: ReactNode;
  onSession?: (session: ChatSession) => void;
}) {
  const session = useChatSession(options);
  onSession?.(session);
  return <ThreadScope session={session}>{children}</ThreadScope>;
}

/** Shows a message's text, counting its own renders. */
function CountingMessage({
  messageId,
  renders,
}: {
  messageId: string;
  renders: Map<string, number>;
}) {
  const message = useMessage(messageId);
  renders.set(messageId, (renders.get(messageId) ?? 0) + 1);
  return <p>{message?.parts.map((part) => ('text' in part ? part.text : '')).join('')}</p>;
}

function translateY(row: Element | null): number {
  const match = /translate3d\(0(?:px)?, (-?[\d.]+)px, 0(?:px)?\)/.exec(
    (row as HTMLElement).style.transform,
  );
  if (!match) throw new Error(`No position on row: "${(row as HTMLElement).style.transform}"`);
  return Number(match[1]);
}

describe('MessageList', () => {
  it('renders only a window of rows of a 10,000-message thread, opened at the newest', async () => {
    const messages = makeMessages('thread', 10_000);
    const view = await mount(
      <ThreadScope session={await sessionWith(messages)}>
        <MessageList renderMessage={renderText} />
      </ThreadScope>,
    );

    const rendered = view.renderedIds();
    // The 600px viewport holds 7.5 rows of 80px; the rest is overscan on each side.
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(30);
    expect(rendered.at(-1)).toBe('thread-m9999');
    expect(rendered).not.toContain('thread-m0');
    // Rows are keyed by message, in order.
    const indexes = rendered.map((id) => Number(id!.split('-m')[1]));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(view.viewport().scrollTop).toBe(scrollRange(view.viewport()));
    expect(view.list().hasAttribute('data-at-bottom')).toBe(true);
    expect(view.jumpButton()).toBeUndefined();

    // Scrolling far up swaps the window; the DOM stays small.
    await view.scrollTo(view.viewport().scrollTop / 2);
    const middle = view.renderedIds();
    expect(middle.length).toBeLessThan(30);
    const middleIndexes = middle.map((id) => Number(id!.split('-m')[1]));
    expect(middleIndexes[0]).toBeGreaterThan(3_000);
    expect(middleIndexes.at(-1)).toBeLessThan(7_000);
  });

  it('is a labelled, keyboard-scrollable log', async () => {
    const view = await mount(
      <ThreadScope session={await sessionWith(makeMessages('thread', 3))}>
        <MessageList renderMessage={renderText} labels={{ messageList: 'Conversation' }} />
      </ThreadScope>,
    );
    const viewport = view.viewport();
    expect(viewport.getAttribute('aria-label')).toBe('Conversation');
    expect(viewport.getAttribute('aria-live')).toBe('off');
    expect(viewport.tabIndex).toBe(0);
  });

  it('offers "Jump to latest" when scrolled up, and it scrolls back to the end', async () => {
    const view = await mount(
      <ThreadScope session={await sessionWith(makeMessages('thread', 200))}>
        <MessageList renderMessage={renderText} />
      </ThreadScope>,
    );
    expect(view.jumpButton()).toBeUndefined();

    await view.scrollTo(3_000);
    expect(view.list().hasAttribute('data-at-bottom')).toBe(false);
    const jump = view.jumpButton()!;
    expect(jump).toBeDefined();

    await act(async () => {
      jump.click();
    });
    await waitFor(() => expect(view.list().hasAttribute('data-at-bottom')).toBe(true));
    expect(view.viewport().scrollTop).toBe(scrollRange(view.viewport()));
    expect(view.jumpButton()).toBeUndefined();
    // The keyboard stays in the list rather than on a button that went away.
    expect(document.activeElement).toBe(view.viewport());
  });

  it('loads older messages at the top, keeps the reader in place, and marks the start', async () => {
    const { backend, threadId } = await seededBackend(30);
    // Hold each older page until the test lets it through.
    let release: () => void = () => {};
    const slowBackend: ChatBackend = {
      ...backend,
      listMessages: async (id, query, options) => {
        if (query?.before) await new Promise<void>((resolve) => (release = resolve));
        return backend.listMessages(id, query, options);
      },
    };
    const view = await mount(
      <Chat options={{ threadId }}>
        <MessageList renderMessage={renderText} />
      </Chat>,
      slowBackend,
      20,
    );
    await waitFor(() => expect(view.renderedIds().length).toBeGreaterThan(0));
    expect(view.list().hasAttribute('data-has-older')).toBe(true);
    expect(view.container.textContent).not.toContain('Start of the conversation');

    await view.scrollTo(0);
    const firstLoaded = view.renderedIds()[0]!;
    const firstRow = () => view.container.querySelector(`[data-message-id="${firstLoaded}"]`);
    const before = translateY(firstRow()) - view.viewport().scrollTop;
    await waitFor(() => expect(view.list().hasAttribute('data-loading-older')).toBe(true));
    expect(view.container.textContent).toContain('Loading earlier messages…');

    await act(async () => release());
    await waitFor(() => expect(view.list().hasAttribute('data-loading-older')).toBe(false));
    await waitFor(() => expect(view.renderedIds()[0]).not.toBe(firstLoaded));
    await settle(50);
    // 20 older messages came in above; the message the reader was looking at has not moved.
    expect(view.viewport().scrollTop).toBeGreaterThan(0);
    expect(translateY(firstRow()) - view.viewport().scrollTop).toBeCloseTo(before, 0);
    expect(view.container.textContent).not.toContain('Loading earlier messages…');

    // Back at the top, the last page loads and the start of the conversation shows.
    await view.scrollTo(0);
    await act(async () => release());
    await waitFor(() => expect(view.list().hasAttribute('data-has-older')).toBe(false));
    await view.scrollTo(0);
    expect(view.container.textContent).toContain('Start of the conversation');
  });

  it('scrolls to the bottom when the user sends, even from up in the history', async () => {
    const { backend, threadId } = await seededBackend(40);
    let session: ChatSession | undefined;
    const view = await mount(
      <Chat options={{ threadId }} onSession={(current) => (session = current)}>
        <MessageList renderMessage={renderText} />
      </Chat>,
      backend,
    );
    await waitFor(() => expect(view.renderedIds().length).toBeGreaterThan(0));
    await view.scrollTo(1_000);
    expect(view.list().hasAttribute('data-at-bottom')).toBe(false);

    // Sent outside act, so React renders each step as a browser would: an act scope around the
    // send would hold every update until the stream ends under React 18.
    const sending = session!.send('A new question');
    await waitFor(() => expect(view.list().hasAttribute('data-at-bottom')).toBe(true));
    await act(async () => {
      await sending;
    });
    await settle(50);
    expect(view.list().hasAttribute('data-at-bottom')).toBe(true);
    expect(view.viewport().scrollTop).toBe(scrollRange(view.viewport()));
    expect(view.jumpButton()).toBeUndefined();
  });

  it('does not re-render the list while an answer streams', async () => {
    const tokens = Array.from({ length: 15 }, (_, index) => `token${index} `);
    const { backend, threadId } = await seededBackend(2, {
      reply: async function* () {
        for (const token of tokens) {
          // Well apart, so that each token lands in a frame of its own even on a busy machine.
          await new Promise((resolve) => setTimeout(resolve, 30));
          yield token;
        }
      },
    });
    let listRenders = 0;
    const messageRenders = new Map<string, number>();
    const renderCounting = (messageId: string) => {
      listRenders++;
      return <CountingMessage messageId={messageId} renders={messageRenders} />;
    };
    let session: ChatSession | undefined;
    const view = await mount(
      <Chat options={{ threadId }} onSession={(current) => (session = current)}>
        <MessageList renderMessage={renderCounting} />
      </Chat>,
      backend,
    );
    await waitFor(() => expect(view.renderedIds()).toHaveLength(4));

    listRenders = 0;
    // Sent outside act, and awaited outside act until the answer has streamed: under React 18 an
    // act scope holds every update until it ends, so a stream inside one renders only once.
    // `waitFor` renders between its checks, about every 10 ms, much like frames.
    const sending = session!.send('Stream something');
    // The seeded answers hold the same tokens: wait for the last token in the new answer.
    const newestRowText = () =>
      view.container.querySelector(`[data-message-id="${view.renderedIds().at(-1)}"]`)?.textContent;
    await waitFor(() => {
      expect(view.renderedIds()).toHaveLength(6);
      expect(newestRowText()).toContain('token14');
    }, 10_000);
    let answer: Message | null = null;
    await act(async () => {
      answer = (await sending) ?? null;
    });
    await settle(50);
    const answerId = (answer as Message | null)!.id;
    expect(view.renderedIds().at(-1)).toBe(answerId);
    // The answer repainted many times (once per frame at most, as tokens came in)...
    expect(messageRenders.get(answerId)!).toBeGreaterThan(5);
    // ...while the list rendered only the two new rows (the question and the answer), each a
    // couple of times at most, never once per token.
    expect(listRenders).toBeGreaterThanOrEqual(2);
    expect(listRenders).toBeLessThanOrEqual(6);
  });

  it('renders the markdown of the answers about to scroll into view while the browser is idle', async () => {
    const answerText = (index: number) =>
      `Answer ${index}: **bold**, \`code\` and a [link](https://example.com).`;
    const messages = makeMessages('ahead', 300).map((message, index) =>
      message.role === 'assistant'
        ? { ...message, parts: [{ type: 'text' as const, text: answerText(index) }] }
        : message,
    );
    const view = await mount(
      <ThreadScope session={await sessionWith(messages)}>
        <MessageList />
      </ThreadScope>,
    );
    const firstRendered = () => Number(view.renderedIds()[0]!.split('-m')[1]);
    const above = firstRendered();
    // The answers just above the rendered rows, the way a thread opened at its end is read.
    const next = [above - 1, above - 2].find((index) => messages[index]!.role === 'assistant')!;
    await waitFor(() => expect(isMarkdownBlockRendered(answerText(next))).toBe(true));
    // A few screens up: not yet.
    expect(isMarkdownBlockRendered(answerText(above - 61))).toBe(false);

    // Scrolled up there, the answers above that point come next.
    await view.scrollTo(translateY(view.container.querySelector('[data-index]')) - 4_000);
    const further = firstRendered();
    expect(further).toBeLessThan(above - 40);
    const coming = [further - 1, further - 2].find(
      (index) => messages[index]!.role === 'assistant',
    )!;
    await waitFor(() => expect(isMarkdownBlockRendered(answerText(coming))).toBe(true));
  });

  it('prepares nothing for rows the caller renders', async () => {
    const answerText = (index: number) => `Own rows ${index}: **bold**.`;
    const messages = makeMessages('own', 100).map((message, index) =>
      message.role === 'assistant'
        ? { ...message, parts: [{ type: 'text' as const, text: answerText(index) }] }
        : message,
    );
    const view = await mount(
      <ThreadScope session={await sessionWith(messages)}>
        <MessageList renderMessage={renderText} />
      </ThreadScope>,
    );
    await settle(200);
    const above = Number(view.renderedIds()[0]!.split('-m')[1]);
    for (const index of [above - 1, above - 2]) {
      expect(isMarkdownBlockRendered(answerText(index))).toBe(false);
    }
  });

  it('shows the empty state for a thread without messages', async () => {
    const view = await mount(
      <ThreadScope session={await sessionWith([])}>
        <MessageList renderMessage={renderText} emptyState={<p>Say hello</p>} />
      </ThreadScope>,
    );
    expect(view.container.textContent).toContain('Say hello');
    expect(view.list().hasAttribute('data-empty')).toBe(true);
    expect(view.container.textContent).not.toContain('Start of the conversation');
  });

  it('shows a loading skeleton while the first page loads, not the empty state', async () => {
    const view = await mount(
      <ThreadScope session={await sessionWith([], { loading: true })}>
        <MessageList renderMessage={renderText} emptyState={<p>Say hello</p>} />
      </ThreadScope>,
    );
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe('Loading messages…');
    expect(view.list().hasAttribute('data-loading')).toBe(true);
    expect(view.viewport().getAttribute('aria-busy')).toBe('true');
    expect(view.container.textContent).not.toContain('Say hello');
  });
});
