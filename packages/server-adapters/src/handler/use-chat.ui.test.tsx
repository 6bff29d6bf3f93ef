// @vitest-environment happy-dom

import { useChat } from '@ai-sdk/react';
import { messageText } from '@confab/core';
import { confabChatTransport, toUIMessages } from '@confab/core/ai-sdk';
import { type ChatTransport, DefaultChatTransport, type UIMessage } from 'ai';
import { act, type ReactNode, useRef } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatModel } from '../models/chat-model';
import { demoModel } from '../models/demo-model';
import { handlerFetch, uiText } from '../testing/ai-sdk-chat';
import { gatedModel } from '../testing/gated-model';
import { testApp } from '../testing/test-app';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A page of a `useChat` app: the messages, the status, an error, and the usual buttons. */
function ChatPage(props: {
  id: string;
  messages?: UIMessage[];
  transport: ChatTransport<UIMessage>;
  resume?: boolean;
}) {
  const { messages, sendMessage, regenerate, stop, status, error } = useChat({
    id: props.id,
    messages: props.messages,
    transport: props.transport,
    resume: props.resume,
  });
  const input = useRef<HTMLInputElement>(null);
  return (
    <main>
      <ul aria-label="Messages">
        {messages.map((message) => (
          <li key={message.id} data-id={message.id} data-role={message.role}>
            {uiText(message)}
          </li>
        ))}
      </ul>
      <p data-testid="status">{status}</p>
      {error ? <p role="alert">{error.message}</p> : null}
      <input aria-label="Message" ref={input} />
      <button type="button" onClick={() => sendMessage({ text: input.current!.value })}>
        Send
      </button>
      <button
        type="button"
        onClick={() => sendMessage({ files: [{ type: 'file', mediaType: '', url: 'data:,x' }] })}
      >
        Attach
      </button>
      <button type="button" onClick={() => regenerate()}>
        Regenerate
      </button>
      <button type="button" onClick={() => stop()}>
        Stop
      </button>
    </main>
  );
}

const roots: Root[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await act(async () => root.unmount());
  document.body.innerHTML = '';
});

async function render(ui: ReactNode) {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  roots.push(root);
  await act(async () => root.render(ui));
  const page = {
    container,
    texts: () => [...container.querySelectorAll('li')].map((item) => item.textContent),
    ids: () => [...container.querySelectorAll('li')].map((item) => item.dataset.id),
    status: () => container.querySelector('[data-testid="status"]')!.textContent,
    alert: () => container.querySelector('[role="alert"]')?.textContent ?? null,
    async click(name: string) {
      const button = [...container.querySelectorAll('button')].find(
        (candidate) => candidate.textContent === name,
      )!;
      await act(async () => button.click());
    },
    async send(text: string) {
      container.querySelector<HTMLInputElement>('input[aria-label="Message"]')!.value = text;
      await page.click('Send');
    },
    async unmount() {
      await act(async () => root.unmount());
      roots.splice(roots.indexOf(root), 1);
    },
  };
  return page;
}

async function waitFor(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the page.');
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
  }
}

const transports = {
  DefaultChatTransport: (app: ReturnType<typeof testApp>, user: string) =>
    new DefaultChatTransport<UIMessage>({
      api: '/api/chat/ui-message-stream',
      fetch: handlerFetch(app.handler, user),
    }),
  confabChatTransport: (app: ReturnType<typeof testApp>, user: string) =>
    confabChatTransport<UIMessage>({
      endpoint: 'http://localhost/api/chat',
      fetch: handlerFetch(app.handler, user),
    }),
};

describe.each(Object.entries(transports))('useChat from @ai-sdk/react with %s', (kind, make) => {
  const apps: ReturnType<typeof testApp>[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.handler.close();
  });

  function setup(model: ChatModel = demoModel({ tokenDelayMs: 0 })) {
    const app = testApp({ model, flushIntervalMs: 20 });
    apps.push(app);
    const user = `u-${crypto.randomUUID()}`;
    const id = `chat-${crypto.randomUUID()}`;
    const stored = async () =>
      (await app.call('GET', `/threads/${id}/messages`, { user })).json.items;
    return { app, user, id, stored, transport: (as = user) => make(app, as) };
  }

  it('shows the streamed answer, which is the stored one; a reload shows the thread and regenerates', async () => {
    let calls = 0;
    const { id, stored, transport } = setup(
      demoModel({ tokenDelayMs: 0, reply: () => `Reply ${++calls}` }),
    );
    const page = await render(<ChatPage id={id} transport={transport()} />);
    await page.send('Hello, page');
    await waitFor(() => page.status() === 'ready' && page.texts().length === 2);
    const messages = await stored();
    expect(page.texts()).toEqual(['Hello, page', 'Reply 1']);
    expect(page.texts()).toEqual(messages.map(messageText));
    expect(page.ids()).toEqual(messages.map((message: { id: string }) => message.id));
    await page.unmount();

    const reloaded = await render(
      <ChatPage id={id} messages={toUIMessages(await stored())} transport={transport()} />,
    );
    expect(reloaded.texts()).toEqual(['Hello, page', 'Reply 1']);
    await reloaded.click('Regenerate');
    await waitFor(() => reloaded.texts()[1] === 'Reply 2' && reloaded.status() === 'ready');
    expect(toUIMessages(await stored()).map(uiText)).toEqual(['Hello, page', 'Reply 2']);
  });

  it('stops an answer, and a reload resumes one that is still running', async () => {
    const slow = gatedModel();
    const { app, id, stored, transport } = setup(slow.model);
    const page = await render(<ChatPage id={id} transport={transport()} />);
    await page.send('Take your time');
    await waitFor(() => page.texts()[1] === 'first');

    // Another tab opens the chat while the answer runs: it resumes it from its start.
    const other = await render(
      <ChatPage id={id} messages={toUIMessages(await stored())} transport={transport()} resume />,
    );
    await waitFor(() => other.status() === 'streaming');
    expect(other.texts()).toEqual(['Take your time', 'first']);

    await page.click('Stop');
    await waitFor(() => page.status() === 'ready');
    expect(page.texts()).toEqual(['Take your time', 'first']);
    if (kind === 'confabChatTransport') {
      // Stop reached the server: the answer ends there, kept as it was.
      await app.handler.idle();
      await waitFor(() => other.status() === 'ready');
      expect(other.texts()).toEqual(['Take your time', 'first']);
      expect((await stored())[1]).toMatchObject({ status: 'cancelled' });
      slow.release();
    } else {
      // DefaultChatTransport's stop only closes its connection: the answer finishes and is
      // stored, and the other tab sees all of it.
      slow.release();
      await waitFor(() => other.status() === 'ready');
      expect(other.texts()).toEqual(['Take your time', 'first second']);
      await app.handler.idle();
      expect((await stored())[1]).toMatchObject({ status: 'complete' });
    }
  });

  it("shows an error for another user's chat and for a bad message", async () => {
    const { id, stored, transport } = setup();
    const owner = await render(<ChatPage id={id} transport={transport()} />);
    await owner.send('Mine');
    await waitFor(() => owner.status() === 'ready' && owner.texts().length === 2);
    const before = await stored();

    const intruder = await render(<ChatPage id={id} transport={transport('mallory')} />);
    await intruder.send('Let me in');
    await waitFor(() => intruder.status() === 'error');
    expect(intruder.alert()).toContain('Thread not found.');
    expect(await stored()).toEqual(before);

    await owner.click('Attach');
    await waitFor(() => owner.status() === 'error');
    expect(owner.alert()).toMatch(/mediaType|Too small|at least/i);
    expect(await stored()).toEqual(before);
  });
});
