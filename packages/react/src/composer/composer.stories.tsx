'use client';

import type { Message, Part } from '@confab/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { type ChatScenario, chatBackend } from '../../../../.storybook/chat-backend';
import { useChatSession } from '../hooks/use-chat';
import { useChatTheme } from '../provider/chat-provider';
import { ThreadScope } from '../provider/thread-scope';
import { Composer } from './composer';

/** The composer at the foot of a chat-width column, sending into one thread. */
function ComposerFrame({ threadId, children }: { threadId: string | null; children: ReactNode }) {
  const session = useChatSession({ threadId });
  const theme = useChatTheme();
  return (
    <div
      className="confab-root"
      data-confab-theme={theme === 'system' ? undefined : theme}
      style={{
        maxWidth: 720,
        padding: 'var(--confab-space-4)',
        background: 'var(--confab-background)',
      }}
    >
      <ThreadScope session={session}>{children}</ThreadScope>
    </div>
  );
}

const meta = {
  title: 'Components/Composer',
  component: Composer,
  render: (args, { parameters }) => (
    // A story may set `threadId: null`: a new chat, whose first send creates the thread.
    <ComposerFrame threadId={parameters.threadId === undefined ? 'composer' : parameters.threadId}>
      <Composer {...args} />
    </ComposerFrame>
  ),
  parameters: {
    chat: { threads: [{ id: 'composer', title: 'Composer', messages: 2 }] } satisfies ChatScenario,
  },
} satisfies Meta<typeof Composer>;

export default meta;
type Story = StoryObj<typeof meta>;

async function storedTexts(threadId: string): Promise<string[]> {
  const page = await chatBackend.store.listMessages(chatBackend.scope, threadId, { limit: 50 });
  const items: Message[] = page?.items ?? [];
  return items
    .filter((message) => message.role === 'user')
    .map((message) =>
      message.parts.map((part: Part) => ('text' in part ? part.text : '')).join(''),
    );
}

/**
 * Shift+Enter adds lines and the input grows with them, up to a cap past which it scrolls;
 * Enter sends, empties it (back to one line) and keeps the focus.
 */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = await canvas.findByRole('textbox', { name: 'Message' });
    expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
    const oneLine = input.getBoundingClientRect().height;

    await userEvent.type(input, 'First line{Shift>}{Enter}{/Shift}Second line');
    expect(input).toHaveValue('First line\nSecond line');
    expect(input.getBoundingClientRect().height).toBeGreaterThan(oneLine + 10);
    expect(canvas.getByRole('button', { name: 'Send' })).toBeEnabled();

    await userEvent.type(input, '{Shift>}{Enter}{/Shift}more'.repeat(25));
    const capped = input.getBoundingClientRect().height;
    expect(capped).toBeLessThan(oneLine * 12);
    expect(input.scrollHeight).toBeGreaterThan(input.clientHeight);

    await userEvent.keyboard('{Enter}');
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
    expect(Math.abs(input.getBoundingClientRect().height - oneLine)).toBeLessThanOrEqual(1);
    await waitFor(async () =>
      expect((await storedTexts('composer')).at(-1)).toMatch(/^First line\nSecond line\nmore/),
    );
  },
};

/** While an answer streams, Stop replaces Send; stopping brings Send back. */
export const Streaming: Story = {
  parameters: {
    chat: {
      threads: [{ id: 'composer', title: 'Composer', messages: 2 }],
      model: { stallAfterTokens: 5 },
    } satisfies ChatScenario,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = await canvas.findByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'Write me a long story{Enter}');
    const stop = await canvas.findByRole('button', { name: 'Stop' });
    expect(canvas.queryByRole('button', { name: 'Send' })).toBeNull();
    // Stop shows from the send on ('submitted'); the first token makes it 'streaming'.
    await waitFor(() =>
      expect(canvasElement.querySelector('form')).toHaveAttribute('data-status', 'streaming'),
    );

    await userEvent.click(stop);
    await canvas.findByRole('button', { name: 'Send' });
    expect(canvas.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(input).toHaveFocus();
  },
};

/** The server cannot be reached: the text stays, with a note saying it was not sent. */
export const SendRefused: Story = {
  parameters: {
    threadId: null,
    chat: { failing: 'network', failingOn: ['create-thread'] } satisfies ChatScenario,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = await canvas.findByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'Please keep this{Enter}');
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Not sent.');
    expect(input).toHaveValue('Please keep this');
  },
};

export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    expect(await canvas.findByRole('textbox', { name: 'Message' })).toBeDisabled();
    expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};

export const Dark: Story = {
  globals: { confabTheme: 'dark', backgrounds: { value: 'dark' } },
};
