'use client';

import { messageText } from '@confab/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { type FormEvent, useId, useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { type ChatScenario, chatBackend, seedMessages } from '../../../../.storybook/chat-backend';
import { useChat } from '../hooks/use-chat';

interface HookChatProps {
  /** The thread to open; leave it out to start a new one with the first message. */
  threadId?: string;
}

/**
 * A chat composed from nothing but `useChat`, a textarea and a list: what a team that wants its
 * own markup writes. It proves the whole pipeline: hooks, client, HTTP and SSE, msw, and the real
 * server handler over the memory store and the demo model.
 */
function HookChat({ threadId }: HookChatProps) {
  const chat = useChat(threadId === undefined ? {} : { threadId });
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const busy = chat.status === 'submitted' || chat.status === 'streaming';

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || busy) return;
    setDraft('');
    void chat.send(text);
  }

  return (
    <section aria-label="Chat" style={{ maxWidth: 640, fontFamily: 'system-ui, sans-serif' }}>
      <ol aria-label="Messages" aria-live="polite" style={{ paddingLeft: 0, listStyle: 'none' }}>
        {chat.messages.map((message) => (
          <li
            key={message.id}
            data-role={message.role}
            data-status={message.status}
            style={{ whiteSpace: 'pre-wrap', margin: '0 0 12px' }}
          >
            <strong>{message.role === 'user' ? 'You' : 'Assistant'}: </strong>
            {messageText(message)}
          </li>
        ))}
      </ol>
      {chat.error ? <p role="alert">{chat.error.message}</p> : null}
      <form onSubmit={submit} style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
        <label htmlFor={inputId} style={{ display: 'grid', gap: 4, flex: 1 }}>
          Message
          <textarea
            id={inputId}
            rows={2}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
        </label>
        {busy ? (
          <button type="button" onClick={() => void chat.stop()}>
            Stop
          </button>
        ) : (
          <button type="submit">Send</button>
        )}
      </form>
      <p data-testid="status">Status: {chat.status}</p>
    </section>
  );
}

const meta = {
  title: 'Provider/Chat from hooks',
  component: HookChat,
} satisfies Meta<typeof HookChat>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A new chat: the first message creates the thread and the demo model's answer streams in. */
export const SendAndStream: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByLabelText('Message'), 'Hello, who are you?');
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));

    const messages = canvas.getByRole('list', { name: 'Messages' });
    await expect(await within(messages).findByText(/Hello, who are you\?/)).toBeVisible();
    // The real handler streams the demo model's answer token by token, then stores it.
    await waitFor(
      () => {
        const answer = messages.querySelector('[data-role="assistant"]');
        expect(answer).toHaveAttribute('data-status', 'complete');
        expect(answer).toHaveTextContent("Confab's demo model");
        expect(canvas.getByTestId('status')).toHaveTextContent('Status: ready');
      },
      { timeout: 10_000 },
    );

    // The server stored both messages in a thread titled after the question.
    const { items } = await chatBackend.store.listThreads(chatBackend.scope, { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]!.title).toBe('Hello, who are you?');
  },
};

/** An existing thread: its history comes from the store, seeded directly. */
export const ExistingThread: Story = {
  args: { threadId: 'thread-1' },
  parameters: {
    chat: {
      threads: [{ title: 'Seeded conversation', messages: seedMessages(6) }],
    } satisfies ChatScenario,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const messages = canvas.getByRole('list', { name: 'Messages' });
    await expect(await within(messages).findByText(/Message 6:/)).toBeVisible();
    expect(within(messages).getAllByRole('listitem')).toHaveLength(6);
  },
};

/** The model fails partway: the partial answer stays, marked failed, and the error is shown. */
export const ModelFailure: Story = {
  parameters: {
    chat: { failing: 'model_error', model: { failAfterTokens: 5 } } satisfies ChatScenario,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByLabelText('Message'), 'Will this work?');
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    await expect(await canvas.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent(
      /model provider failed/i,
    );
    // The error event comes first; the stored, failed answer follows it.
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-role="assistant"]')).toHaveAttribute(
        'data-status',
        'failed',
      ),
    );
  },
};
