// @vitest-environment happy-dom
import { type ChatBackend, ConfabError, messageText } from '@confab/core';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useChat } from '../hooks/use-chat';
import { renderHook, testBackend } from '../internal/testing';
import { cleanup, render, waitFor } from '../internal/ui-testing';
import { ChatProvider } from '../provider/chat-provider';
import { ChatView } from './chat-view';

const unmounts: (() => void)[] = [];
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
  cleanup();
});

async function* slowly(pieces: string[], signal: AbortSignal) {
  for (const piece of pieces) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (signal.aborted) return;
    yield piece;
  }
}

describe('a thread open in two places', () => {
  it('shows in one tab what is sent and answered in the other, live', async () => {
    const backend = testBackend({
      reply: (_, { signal }) => slowly(['Seen ', 'in both ', 'tabs.'], signal),
    });
    const thread = await backend.createThread();
    // Two tabs: two providers, each with its own client, on one server.
    const tab = () =>
      renderHook(
        () => useChat({ threadId: thread.id }),
        (children) => <ChatProvider backend={backend}>{children}</ChatProvider>,
      );
    const [first, second] = [await tab(), await tab()];
    unmounts.push(first.unmount, second.unmount);
    await act(async () => {
      await first.result.current.send('Hello from tab one');
    });
    await waitFor(() => {
      const messages = second.result.current.messages;
      expect(messages.map((message) => [message.role, message.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
      ]);
    });
    expect(messageText(second.result.current.messages[0]!)).toBe('Hello from tab one');
    expect(messageText(second.result.current.messages[1]!)).toBe('Seen in both tabs.');
  });

  it('says it is reconnecting while the stream is down, and stops saying so once it is back', async () => {
    const memory = testBackend();
    const thread = await memory.createThread();
    let down = true;
    const backend: ChatBackend = {
      ...memory,
      async followThread(threadId, options) {
        if (down) throw new ConfabError('network_error', 'The server could not be reached.');
        return memory.followThread(threadId, options);
      },
    };
    const view = await render(<ChatView threadId={thread.id} />, { backend });
    const status = () => view.querySelector('.confab-connection-status')!;
    await waitFor(() => expect(status().getAttribute('data-state')).toBe('reconnecting'));
    expect(status().getAttribute('role')).toBe('status');
    expect(status().textContent).toBe('Reconnecting…');
    down = false;
    await waitFor(() => expect(status().getAttribute('data-state')).toBe('connected'), 3000);
    expect(status().textContent).toBe('');
  });
});
