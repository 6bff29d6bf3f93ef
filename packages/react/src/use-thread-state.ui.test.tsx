// @vitest-environment happy-dom
import { memoryBackend, messageText } from '@confab/core';
import { act, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatProvider, useChatClient } from './chat-provider';
import { useThreadState } from './use-thread-state';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function Transcript({ threadId }: { threadId: string }) {
  const { messages, status, send } = useThreadState(threadId);
  const [draft] = useState('Hello hooks');
  return (
    <div>
      <p data-testid="status">{status}</p>
      <ol>
        {messages.map((message) => (
          <li key={message.id} data-role={message.role}>
            {messageText(message)}
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => void send(draft)}>
        Send
      </button>
    </div>
  );
}

function Orphan() {
  useChatClient();
  return null;
}

let container: HTMLElement;
afterEach(() => container?.remove());

describe('useThreadState', () => {
  it('loads history, then shows the sent message and the streamed answer', async () => {
    const backend = memoryBackend({ respond: () => ['Hi ', 'there'] });
    const thread = await backend.createThread();
    await backend.sendMessageAndWait(thread.id, { text: 'earlier question' });
    container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);

    await act(async () => {
      root.render(
        <ChatProvider backend={backend}>
          <Transcript threadId={thread.id} />
        </ChatProvider>,
      );
    });
    const items = () => [...container.querySelectorAll('li')].map((item) => item.textContent);
    expect(items()).toEqual(['earlier question', 'Hi there']);

    await act(async () => {
      container.querySelector('button')!.click();
    });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(items()).toEqual(['earlier question', 'Hi there', 'Hello hooks', 'Hi there']);
    expect(container.querySelector('[data-testid="status"]')!.textContent).toBe('ready');
    act(() => root.unmount());
  });

  it('renders on the server without touching the network', () => {
    const backend = memoryBackend();
    const html = renderToString(
      <ChatProvider backend={backend}>
        <Transcript threadId="t1" />
      </ChatProvider>,
    );
    expect(html).toContain('ready');
  });

  it('explains a missing provider', () => {
    expect(() => renderToString(<Orphan />)).toThrow(/inside a <ChatProvider>/);
  });
});
