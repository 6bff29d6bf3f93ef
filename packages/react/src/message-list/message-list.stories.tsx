'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { type ReactNode, useEffect } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { type ChatScenario, chatBackend } from '../../../../.storybook/chat-backend';
import { Composer } from '../composer/composer';
import { EmptyState } from '../empty-state/empty-state';
import { type ChatSession, useChatSession } from '../hooks/use-chat';
import { useLiveThread } from '../hooks/use-thread';
import { ChatProvider, useChatClient, useChatTheme } from '../provider/chat-provider';
import { ThreadScope } from '../provider/thread-scope';
import { MessageList } from './message-list';

/** What a story's chat shows: a thread of the in-browser server, and how it is paged. */
interface ThreadParameters {
  threadId?: string;
  /** Messages per history page (the server allows up to 200). */
  pageSize?: number;
  /** Loads every page up front, to put the whole thread in the list. */
  loadEverything?: boolean;
}

/**
 * A chat-sized column: the list over a composer, as in ChatView, sharing one session. A page size
 * of its own takes a client of its own (over the same backend): pages are the client's.
 */
function ChatColumn({ thread, children }: { thread: ThreadParameters; children: ReactNode }) {
  const { backend } = useChatClient();
  if (thread.pageSize === undefined) return <Column thread={thread}>{children}</Column>;
  return (
    <ChatProvider backend={backend} pageSize={thread.pageSize}>
      <Column thread={thread}>{children}</Column>
    </ChatProvider>
  );
}

function Column({ thread, children }: { thread: ThreadParameters; children: ReactNode }) {
  const session = useChatSession({ threadId: thread.threadId ?? null });
  useLoadEverything(session, thread.loadEverything ?? false);
  const theme = useChatTheme();
  return (
    <div
      className="confab-root"
      data-confab-theme={theme === 'system' ? undefined : theme}
      style={{
        display: 'flex',
        flexDirection: 'column',
        height: 560,
        border: '1px solid var(--confab-border)',
        borderRadius: 'var(--confab-radius)',
        overflow: 'hidden',
        background: 'var(--confab-background)',
      }}
    >
      <ThreadScope session={session}>
        {children}
        <div
          style={{ padding: 'var(--confab-space-2) var(--confab-space-4) var(--confab-space-4)' }}
        >
          <Composer />
        </div>
      </ThreadScope>
    </div>
  );
}

function useLoadEverything(session: ChatSession, enabled: boolean) {
  const { isLoading, hasOlder, isLoadingOlder, loadOlder } = useLiveThread(session);
  useEffect(() => {
    if (enabled && !isLoading && hasOlder && !isLoadingOlder) void loadOlder();
  }, [enabled, isLoading, hasOlder, isLoadingOlder, loadOlder]);
}

const meta = {
  title: 'Components/MessageList',
  component: MessageList,
  render: (args, { parameters }) => (
    <ChatColumn thread={(parameters.thread ?? {}) as ThreadParameters}>
      <MessageList {...args} style={{ flex: 1 }} />
    </ChatColumn>
  ),
} satisfies Meta<typeof MessageList>;

export default meta;
type Story = StoryObj<typeof meta>;

// Helpers of the play functions: they read the real layout of Chromium.

/** After the next paint (when ResizeObservers have run and the virtualizer has corrected). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
async function paints(count: number) {
  for (let index = 0; index < count; index++) await afterPaint();
}
function distanceFromEnd(viewport: HTMLElement): number {
  return viewport.scrollHeight - viewport.clientHeight - viewport.scrollTop;
}
function row(viewport: HTMLElement, messageId: string): HTMLElement | null {
  return viewport.querySelector<HTMLElement>(`[data-message-id="${messageId}"]`);
}
function rowCount(viewport: HTMLElement): number {
  return viewport.querySelectorAll('[data-message-id]').length;
}
/** A row's top edge, from the top of the viewport (negative: above it). */
function topInViewport(element: HTMLElement, viewport: HTMLElement): number {
  return element.getBoundingClientRect().top - viewport.getBoundingClientRect().top;
}
/** The row at the top edge of the viewport: what the reader is looking at. */
function firstVisibleRow(viewport: HTMLElement): HTMLElement {
  const top = viewport.getBoundingClientRect().top;
  const rows = [...viewport.querySelectorAll<HTMLElement>('[data-message-id]')];
  const visible = rows.find((element) => element.getBoundingClientRect().bottom > top + 1);
  if (!visible) throw new Error('No row is visible.');
  return visible;
}
/** Scrolls the way a reader does, and waits for the list to take it in. */
async function scrollTo(viewport: HTMLElement, top: number) {
  viewport.scrollTop = top;
  await paints(2);
}
async function findList(canvasElement: HTMLElement) {
  const viewport = await within(canvasElement).findByRole('log', { name: 'Messages' });
  const list = viewport.closest<HTMLElement>('.confab-message-list')!;
  return { viewport, list };
}

/**
 * 10,000 messages, all in the list (fetched 200 at a time, the reader left at the newest one):
 * only the rows near the viewport are in the DOM, whatever the scroll position.
 */
export const LongThread: Story = {
  parameters: {
    chat: {
      threads: [{ id: 'long', title: 'A very long conversation', messages: 10_000 }],
    } satisfies ChatScenario,
    thread: { threadId: 'long', pageSize: 200, loadEverything: true } satisfies ThreadParameters,
  },
  play: async ({ canvasElement }) => {
    const { viewport, list } = await findList(canvasElement);
    // Every page arrived, each prepended without moving the reader off the newest message.
    await waitFor(() => expect(list).not.toHaveAttribute('data-has-older'), { timeout: 20_000 });
    await waitFor(() => expect(row(viewport, 'long-m10000')).not.toBeNull());
    await paints(3);
    expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2);
    expect(list).toHaveAttribute('data-at-bottom');
    expect(rowCount(viewport)).toBeLessThan(40);

    // Fling up through the thread, a few thousand pixels a frame: rows come and go, the DOM
    // stays small.
    for (let step = 0; step < 30; step++) {
      viewport.scrollTop -= 3_000;
      await afterPaint();
      expect(rowCount(viewport)).toBeLessThan(40);
    }
    // Read-speed scrolling mounts a message or two a frame and never the whole thread. (How
    // long frames take is for benchmarks on a quiet machine, not for a test on a shared one.)
    for (let step = 0; step < 40; step++) {
      viewport.scrollTop -= 150;
      await afterPaint();
      expect(rowCount(viewport)).toBeLessThan(40);
    }
    expect(row(viewport, 'long-m10000')).toBeNull();

    // Far from the end, "Jump to latest" brings the reader back.
    const jump = await within(canvasElement).findByRole('button', { name: 'Jump to latest' });
    await userEvent.click(jump);
    await waitFor(() => expect(list).toHaveAttribute('data-at-bottom'));
    await waitFor(() => expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2));
    expect(row(viewport, 'long-m10000')).not.toBeNull();
    expect(within(canvasElement).queryByRole('button', { name: 'Jump to latest' })).toBeNull();
    expect(viewport).toHaveFocus();
  },
};

const longAnswer = Array.from(
  { length: 60 },
  (_, index) =>
    `Paragraph ${index + 1}: the answer keeps growing while the list stays pinned to its newest line, one frame at a time.`,
).join('\n\n');

/**
 * An answer streams in: the list follows it while the reader is at the end, stays put when the
 * reader scrolls up (and offers "Jump to latest"), and follows again from there.
 */
export const Streaming: Story = {
  parameters: {
    chat: {
      threads: [{ id: 'streaming', title: 'Streaming', messages: 20 }],
      model: { reply: longAnswer, tokenDelayMs: 6 },
    } satisfies ChatScenario,
    thread: { threadId: 'streaming' } satisfies ThreadParameters,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const { viewport, list } = await findList(canvasElement);
    await waitFor(() => expect(row(viewport, 'streaming-m20')).not.toBeNull());
    await paints(2);
    expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2);

    // The composer grows with a long draft, the list shrinks: its end stays in view.
    const input = canvas.getByRole('textbox', { name: 'Message' });
    const listHeight = viewport.clientHeight;
    await userEvent.type(input, 'A draft line{Shift>}{Enter}{/Shift}'.repeat(4));
    await paints(3);
    expect(viewport.clientHeight).toBeLessThan(listHeight - 50);
    expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2);
    await userEvent.clear(input);

    // Sending from up in the history scrolls to the new message.
    await scrollTo(viewport, 0);
    expect(list).not.toHaveAttribute('data-at-bottom');
    await userEvent.type(input, 'Tell me everything{Enter}');
    await canvas.findByRole('button', { name: 'Stop' });
    await waitFor(() => expect(viewport.textContent).toContain('Paragraph 3:'));

    // While it streams and grows past the viewport, the end stays in view after every paint.
    const heightAtStart = viewport.scrollHeight;
    for (let frame = 0; frame < 40; frame++) {
      await afterPaint();
      expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2);
    }
    expect(viewport.scrollHeight).toBeGreaterThan(heightAtStart + 100);
    expect(list).toHaveAttribute('data-at-bottom');

    // The reader scrolls up: the text keeps coming, the view does not move.
    await scrollTo(viewport, viewport.scrollTop - 300);
    expect(list).not.toHaveAttribute('data-at-bottom');
    const held = viewport.scrollTop;
    const heightWhileHeld = viewport.scrollHeight;
    for (let frame = 0; frame < 30; frame++) {
      await afterPaint();
      expect(Math.abs(viewport.scrollTop - held)).toBeLessThanOrEqual(1);
    }
    expect(viewport.scrollHeight).toBeGreaterThan(heightWhileHeld + 50);

    // "Jump to latest" goes back to the end, and the list follows the answer again.
    await userEvent.click(canvas.getByRole('button', { name: 'Jump to latest' }));
    await waitFor(() => expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2));
    await waitFor(() => expect(list).toHaveAttribute('data-at-bottom'));
    const heightBeforeFollowing = viewport.scrollHeight;
    for (let frame = 0; frame < 20; frame++) {
      await afterPaint();
      expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2);
    }
    expect(viewport.scrollHeight).toBeGreaterThan(heightBeforeFollowing);

    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await canvas.findByRole('button', { name: 'Send' });
  },
};

/**
 * 130 messages, 50 a page: scrolling to the top loads the earlier ones, and what the reader was
 * looking at stays exactly where it was on screen. At the very top: the start of the conversation.
 */
export const LoadOlder: Story = {
  parameters: {
    chat: {
      threads: [{ id: 'history', title: 'Paged history', messages: 130 }],
    } satisfies ChatScenario,
    thread: { threadId: 'history', pageSize: 50 } satisfies ThreadParameters,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const { viewport, list } = await findList(canvasElement);
    await waitFor(() => expect(row(viewport, 'history-m130')).not.toBeNull());
    await paints(2);
    expect(distanceFromEnd(viewport)).toBeLessThanOrEqual(2);
    expect(list).toHaveAttribute('data-has-older');

    // To the very top of what is loaded: the next page loads (slowly, to watch it).
    chatBackend.setLatency(500);
    await scrollTo(viewport, 0);
    await waitFor(() => expect(list).toHaveAttribute('data-loading-older'));
    expect(canvas.getByText('Loading earlier messages…')).toBeVisible();
    const oldestLoaded = row(viewport, 'history-m81')!;
    const before = topInViewport(oldestLoaded, viewport);

    await waitFor(() => expect(list).not.toHaveAttribute('data-loading-older'));
    await waitFor(() => expect(row(viewport, 'history-m80')).not.toBeNull());
    await paints(3);
    // 50 messages came in above it; the message the reader saw has not moved by a pixel.
    expect(
      Math.abs(topInViewport(row(viewport, 'history-m81')!, viewport) - before),
    ).toBeLessThanOrEqual(1);
    expect(viewport.scrollTop).toBeGreaterThan(1_000);

    // Reading a little below the top: the last page loads ahead, and the view holds again.
    chatBackend.setLatency(0);
    await scrollTo(viewport, Math.round(viewport.clientHeight / 2));
    const reading = firstVisibleRow(viewport);
    const readingId = reading.dataset.messageId!;
    const readingTop = topInViewport(reading, viewport);
    await waitFor(() => expect(list).not.toHaveAttribute('data-has-older'));
    await waitFor(() => expect(row(viewport, readingId)).not.toBeNull());
    await paints(3);
    expect(
      Math.abs(topInViewport(row(viewport, readingId)!, viewport) - readingTop),
    ).toBeLessThanOrEqual(1);

    // Nothing older: the top shows where the conversation starts.
    await scrollTo(viewport, 0);
    await waitFor(() => expect(row(viewport, 'history-m1')).not.toBeNull());
    expect(canvas.getByText('Start of the conversation')).toBeVisible();
  },
};

/** A new chat: no messages, the empty state with suggested prompts in their place. */
export const Empty: Story = {
  args: { emptyState: <EmptyState /> },
  play: async ({ canvasElement }) => {
    const { list } = await findList(canvasElement);
    expect(list).toHaveAttribute('data-empty');
    await expect(await within(canvasElement).findByText('How can I help?')).toBeVisible();
  },
};

/** The thread's first page is on its way: a skeleton of the conversation. */
export const Loading: Story = {
  parameters: {
    chat: { threads: [{ id: 'slow', messages: 10 }], latencyMs: 60_000 } satisfies ChatScenario,
    thread: { threadId: 'slow' } satisfies ThreadParameters,
  },
  play: async ({ canvasElement }) => {
    const { list, viewport } = await findList(canvasElement);
    await waitFor(() => expect(list).toHaveAttribute('data-loading'));
    expect(within(viewport).getByRole('status')).toHaveTextContent('Loading messages…');
    expect(viewport).toHaveAttribute('aria-busy', 'true');
  },
};

/** A conversation in the dark theme. */
export const Dark: Story = {
  parameters: {
    chat: { threads: [{ id: 'dark', messages: 30 }] } satisfies ChatScenario,
    thread: { threadId: 'dark' } satisfies ThreadParameters,
  },
  globals: { confabTheme: 'dark', backgrounds: { value: 'dark' } },
};
