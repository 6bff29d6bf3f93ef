'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import {
  type ChatScenario,
  chatBackend,
  DEMO_MODEL_ID,
  seedMessages,
} from '../../../../.storybook/chat-backend';
import { catchDownloads } from '../../../../.storybook/downloads';
import { ChatView, type ChatViewProps } from './chat-view';

/** A page-sized frame; the view keeps the thread it creates, as a host app would. */
function ChatPage(props: ChatViewProps) {
  const [threadId, setThreadId] = useState(props.threadId);
  return (
    <div
      style={{
        height: 640,
        maxWidth: 880,
        border: '1px solid #8884',
        borderRadius: 12,
        overflow: 'hidden',
      }}
    >
      <ChatView
        {...props}
        threadId={threadId}
        onThreadChange={(next) => {
          setThreadId(next);
          props.onThreadChange?.(next);
        }}
      />
    </div>
  );
}

const conversation: ChatScenario = {
  threads: [
    {
      id: 'thread-1',
      title: 'Streaming answers',
      messages: [
        { role: 'user', text: 'How does Confab stream answers to the browser?' },
        {
          role: 'assistant',
          text: [
            'Each answer is sent as **server-sent events**: one JSON chunk per `data:` line.',
            '1. The server stores your message first.\n2. The model streams, token by token.\n3. The final answer is stored with its status.',
            "```ts\nconst chat = useChat({ threadId });\nawait chat.send('Hello!');\n```",
          ].join('\n\n'),
        },
        { role: 'user', text: 'And if the connection drops halfway?' },
        {
          role: 'assistant',
          text: 'The client resumes from the last event id it saw, so nothing is lost or repeated.',
        },
      ],
    },
  ],
};

const models = [
  { id: DEMO_MODEL_ID, label: 'Demo model', provider: 'demo', contextWindow: 8_192 },
  { id: 'demo-large', label: 'Demo large', provider: 'demo', contextWindow: 128_000 },
];

const meta = {
  title: 'Components/ChatView',
  component: ChatView,
  render: (args) => <ChatPage {...args} />,
  args: { threadId: null, onThreadChange: fn() },
} satisfies Meta<typeof ChatView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A new chat: suggestions to start from; choosing one sends it and the answer streams in. */
export const Empty: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'How can I help?' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Write a short code example' }));
    // The first message created the thread and the view reported it.
    await waitFor(() => expect(args.onThreadChange).toHaveBeenCalledWith(expect.any(String)), {
      timeout: 5_000,
    });
    await waitFor(
      () =>
        expect(
          canvasElement.querySelector('[data-role="assistant"][data-status="complete"]'),
        ).not.toBeNull(),
      { timeout: 10_000 },
    );
  },
};

/** An answer streaming (held open by the story model): Stop shows in the composer. */
export const Streaming: Story = {
  args: { threadId: 'thread-1' },
  parameters: { chat: { ...conversation, model: { stallAfterTokens: 40 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = await canvas.findByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'Show me a longer example{Enter}');
    await expect(
      await canvas.findByRole('button', { name: 'Stop' }, { timeout: 5_000 }),
    ).toBeVisible();
  },
};

/** Sends fail like a dropped connection: the banner says so, and Retry sends once it is back. */
export const ConnectionError: Story = {
  args: { threadId: 'thread-1' },
  parameters: { chat: { ...conversation, failing: 'network', failingOn: ['send'] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = await canvas.findByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'Are you there?{Enter}');
    const alert = await canvas.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent('Can’t reach the chat server');

    chatBackend.recover();
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(canvas.queryByRole('alert')).toBeNull(), { timeout: 5_000 });
    await waitFor(
      () => expect(canvasElement.querySelectorAll('[data-role="assistant"]')).toHaveLength(3),
      { timeout: 10_000 },
    );
  },
};

/** The history cannot load (the server is unreachable): the banner offers Retry. */
export const HistoryUnavailable: Story = {
  args: { threadId: 'thread-1' },
  parameters: { chat: { ...conversation, failing: 'network', failingOn: ['history'] } },
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent('Can’t reach the chat server');
    // The banner fades in.
    await waitFor(() => expect(within(alert).getByRole('button', { name: 'Retry' })).toBeVisible());
  },
};

/** The host's own greeting and prompts. */
export const CustomSuggestions: Story = {
  args: {
    suggestions: [
      'Where is my order?',
      'Change my delivery address',
      'Start a return',
      'Talk about pricing plans',
    ],
  },
  play: async ({ canvasElement }) => {
    const list = within(canvasElement).getByRole('list', { name: 'Suggested prompts' });
    expect(within(list).getAllByRole('button')).toHaveLength(4);
  },
};

/**
 * The model fails partway through: the error stays until dismissed, and offers Retry (another
 * answer) once the failed answer is stored.
 */
export const ModelError: Story = {
  args: { threadId: 'thread-1' },
  parameters: { chat: { ...conversation, failing: 'model_error' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Message' }), 'Try{Enter}');
    await canvas.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() =>
      expect(
        within(canvas.getByRole('alert')).getByRole('button', { name: 'Retry' }),
      ).toBeVisible(),
    );
    await userEvent.click(
      within(canvas.getByRole('alert')).getByRole('button', { name: 'Dismiss' }),
    );
    expect(canvas.queryByRole('alert')).toBeNull();
  },
};

/** 10,000 messages: only the newest page is fetched, and the list is virtualized. */
export const LongThread: Story = {
  args: { threadId: 'long' },
  parameters: {
    chat: {
      threads: [{ id: 'long', title: 'A long conversation', messages: seedMessages(10_000) }],
    },
  },
  play: async ({ canvasElement }) => {
    await expect(
      await within(canvasElement).findByText(/Message 10000:/, {}, { timeout: 10_000 }),
    ).toBeVisible();
  },
};

/** Dark, with the header: the thread's title and the model picker. */
export const Dark: Story = {
  args: { threadId: 'thread-1', theme: 'dark', showModelPicker: true },
  parameters: { chat: { ...conversation, model: { models } } },
  globals: { backgrounds: { value: 'dark' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('heading', { name: 'Streaming answers' })).toBeVisible();
    await expect(await canvas.findByRole('combobox', { name: 'Model' })).toHaveValue(DEMO_MODEL_ID);
  },
};

/** Choosing a model in the header: the next message uses it, and the thread remembers it. */
export const ModelPicker: Story = {
  args: { threadId: 'thread-1', showModelPicker: true },
  parameters: { chat: { ...conversation, model: { models } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.selectOptions(
      await canvas.findByRole('combobox', { name: 'Model' }),
      'demo-large',
    );
    await waitFor(async () => {
      const thread = await chatBackend.store.getThread(chatBackend.scope, 'thread-1');
      expect(thread?.model).toBe('demo-large');
    });
  },
};

/** A thread that was deleted, or is someone else's. */
export const NotFound: Story = {
  args: { threadId: 'no-such-thread' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(
      await canvas.findByRole('heading', { name: 'This chat doesn’t exist' }, { timeout: 5_000 }),
    ).toBeVisible();
    expect(canvas.queryByRole('textbox', { name: 'Message' })).toBeNull();
  },
};

/** From a missing thread, "New chat" asks the host for a new chat. */
export const NotFoundStartsOver: Story = {
  args: { threadId: 'no-such-thread' },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(
      await canvas.findByRole('button', { name: 'New chat' }, { timeout: 5_000 }),
    );
    expect(args.onThreadChange).toHaveBeenCalledWith(null);
    await expect(await canvas.findByRole('heading', { name: 'How can I help?' })).toBeVisible();
  },
};

/** "Fork from here" on an answer: the conversation up to it is copied into a new chat, opened. */
export const ForkFromMessage: Story = {
  args: { threadId: 'thread-1' },
  parameters: { chat: conversation },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByRole('article')).toHaveLength(4), {
      timeout: 5_000,
    });
    const [firstAnswer] = canvas.getAllByRole('article', { name: 'Assistant' });
    await userEvent.click(within(firstAnswer!).getByRole('button', { name: 'Fork from here' }));
    await waitFor(() => expect(args.onThreadChange).toHaveBeenCalled());
    const forkedId = (args.onThreadChange as ReturnType<typeof fn>).mock.lastCall?.[0];
    expect(forkedId).not.toBe('thread-1');
    await waitFor(() => expect(canvas.getAllByRole('article')).toHaveLength(2), {
      timeout: 5_000,
    });
    expect(canvas.getByRole('article', { name: 'You' })).toHaveTextContent(
      'How does Confab stream answers',
    );
  },
};

/** The header's menu: fork the whole chat (it opens), and export it as Markdown. */
export const ThreadMenu: Story = {
  args: { threadId: 'thread-1', showModelPicker: true },
  parameters: { chat: conversation },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const { downloads, stop } = catchDownloads();
    try {
      await waitFor(() => expect(canvas.getAllByRole('article')).toHaveLength(4), {
        timeout: 5_000,
      });
      // The menu comes with the thread (a new chat has nothing to fork or export).
      await userEvent.click(
        await canvas.findByRole('button', { name: 'More actions' }, { timeout: 5_000 }),
      );
      await userEvent.click(canvas.getByRole('menuitem', { name: 'Export as Markdown' }));
      await waitFor(() => expect(downloads).toHaveLength(1));
      expect(downloads[0]!.name).toMatch(/\.md$/);
      expect(canvas.getByRole('button', { name: 'More actions' })).toHaveFocus();

      await userEvent.keyboard('{ArrowDown}');
      await userEvent.keyboard('{Enter}');
      await waitFor(() => expect(args.onThreadChange).toHaveBeenCalled());
      const forkedId = (args.onThreadChange as ReturnType<typeof fn>).mock.lastCall?.[0] as string;
      expect(forkedId).not.toBe('thread-1');
      const copy = await chatBackend.store.listMessages(chatBackend.scope, forkedId, {
        limit: 50,
      });
      expect(copy?.items).toHaveLength(4);
      await expect(await canvas.findByRole('heading', { name: 'Streaming answers' })).toBeVisible();
    } finally {
      stop();
    }
  },
};
