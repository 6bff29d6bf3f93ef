'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { chatBackend } from '../../../../.storybook/chat-backend';
import { useChatSession } from '../hooks/use-chat';
import { ThreadScope } from '../provider/thread-scope';
import { EmptyState, type EmptyStateProps } from './empty-state';

/** The empty state inside a chat session of its own, as ChatView places it. */
function InSession(props: EmptyStateProps) {
  const [threadId, setThreadId] = useState<string | null>(null);
  const session = useChatSession({ threadId, onThreadCreated: (thread) => setThreadId(thread.id) });
  return (
    <ThreadScope session={session}>
      <div className="confab-root" style={{ padding: 16 }}>
        <EmptyState {...props} />
        <p data-testid="thread">{threadId ?? 'no thread yet'}</p>
      </div>
    </ThreadScope>
  );
}

const meta = {
  title: 'Components/EmptyState',
  component: EmptyState,
  render: (args) => <InSession {...args} />,
} satisfies Meta<typeof EmptyState>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The default greeting and prompts; choosing one creates the thread and sends the prompt. */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(
      await canvas.findByRole('button', { name: 'Explain a concept in simple words' }),
    );
    await waitFor(() => expect(canvas.getByTestId('thread')).not.toHaveTextContent('no thread'));
    // The prompt reached the real handler: the new thread holds it and its answer.
    await waitFor(async () => {
      const { items } = await chatBackend.store.listThreads(chatBackend.scope, { limit: 5 });
      expect(items).toHaveLength(1);
      const page = await chatBackend.store.listMessages(chatBackend.scope, items[0]!.id, {
        limit: 5,
      });
      expect(page?.items.map((message) => message.role)).toEqual(['user', 'assistant']);
    });
  },
};

/** A host app's own greeting and prompts. */
export const CustomPrompts: Story = {
  args: {
    title: 'Ask Harbor',
    description: 'Questions about your books, invoices and taxes.',
    suggestions: ['How do I reconcile a bank feed?', 'Draft a reminder for a late invoice'],
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    expect(await canvas.findByText('Ask Harbor')).toBeVisible();
    expect(canvas.getAllByRole('button')).toHaveLength(2);
  },
};
