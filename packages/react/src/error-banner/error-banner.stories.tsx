'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { type ChatScenario, chatBackend } from '../../../../.storybook/chat-backend';
import { useChatSession } from '../hooks/use-chat';
import { ThreadScope } from '../provider/thread-scope';
import { ErrorBanner, type ErrorBannerProps } from './error-banner';

/** The banner inside a chat session of its own, with a button that sends a message. */
function InSession(props: ErrorBannerProps) {
  const [threadId, setThreadId] = useState<string | null>('thread-1');
  const session = useChatSession({ threadId, onThreadCreated: (thread) => setThreadId(thread.id) });
  return (
    <ThreadScope session={session}>
      <div className="confab-root" style={{ padding: 16, display: 'grid', gap: 12 }}>
        <ErrorBanner {...props} />
        <button type="button" onClick={() => void session.send('Are you there?')}>
          Send a message
        </button>
      </div>
    </ThreadScope>
  );
}

const meta = {
  title: 'Components/ErrorBanner',
  component: ErrorBanner,
  render: (args) => <InSession {...args} />,
  parameters: {
    chat: { threads: [{ id: 'thread-1', title: 'Errors', messages: 2 }] } satisfies ChatScenario,
  },
} satisfies Meta<typeof ErrorBanner>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The server cannot be reached: the banner says so; Retry sends the message again. */
export const ConnectionLost: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    expect(canvas.queryByRole('alert')).toBeNull();
    chatBackend.fail('network', { on: ['send'] });
    await userEvent.click(await canvas.findByRole('button', { name: 'Send a message' }));
    const alert = await canvas.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent('Can’t reach the chat server');

    chatBackend.recover();
    await userEvent.click(await within(alert).findByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(canvas.queryByRole('alert')).toBeNull(), { timeout: 10_000 });
  },
};

/** Dismiss hides the error without retrying. */
export const Dismissed: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    chatBackend.fail('network', { on: ['send'] });
    await userEvent.click(await canvas.findByRole('button', { name: 'Send a message' }));
    const alert = await canvas.findByRole('alert', {}, { timeout: 10_000 });
    await userEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(canvas.queryByRole('alert')).toBeNull());
  },
};
