// @vitest-environment happy-dom
import { type ChatBackend, ConfabError, messageText } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { useChatSession } from '../hooks/use-chat';
import { testBackend } from '../internal/testing';
import { cleanup, click, getByRole, queryAllByRole, render, waitFor } from '../internal/ui-testing';
import { ThreadScope } from '../provider/thread-scope';
import { EmptyState, type EmptyStateProps } from './empty-state';

afterEach(cleanup);

function NewChat(props: EmptyStateProps & { onThread?: (threadId: string) => void }) {
  const { onThread, ...emptyState } = props;
  const session = useChatSession({
    threadId: null,
    onThreadCreated: (thread) => onThread?.(thread.id),
  });
  return (
    <ThreadScope session={session}>
      <EmptyState {...emptyState} />
    </ThreadScope>
  );
}

describe('EmptyState', () => {
  it('greets with the default title, description and suggested prompts', async () => {
    const container = await render(<NewChat />);
    expect(container.querySelector('h2')?.textContent).toBe('How can I help?');
    expect(container.textContent).toContain('Ask anything');
    const suggestions = getByRole(container, 'list', 'Suggested prompts');
    expect(queryAllByRole(suggestions, 'button')).toHaveLength(4);
  });

  it('sends a suggestion as the first message of a new thread', async () => {
    const backend = testBackend();
    let threadId: string | undefined;
    const container = await render(
      <NewChat
        title="Ask the docs"
        suggestions={['How do I install it?', 'Show me an example']}
        onThread={(id) => {
          threadId = id;
        }}
      />,
      { backend },
    );
    expect(container.querySelector('h2')?.textContent).toBe('Ask the docs');

    await click(getByRole(container, 'button', 'Show me an example'));
    await waitFor(() => expect(threadId).toBeDefined());
    await waitFor(async () => {
      const page = await backend.listMessages(threadId!);
      expect(page.items.map(messageText)).toEqual([
        'Show me an example',
        'You said: Show me an example',
      ]);
    });
  });

  it('says why a suggestion could not be sent, and lets it be tried again', async () => {
    const backend = testBackend();
    let online = false;
    const flaky: ChatBackend = {
      ...backend,
      createThread: (body, options) =>
        online
          ? backend.createThread(body, options)
          : Promise.reject(new ConfabError('network_error', 'fetch failed')),
    };
    const container = await render(<NewChat suggestions={['Try me']} />, { backend: flaky });

    await click(getByRole(container, 'button', 'Try me'));
    await waitFor(() =>
      expect(getByRole(container, 'alert').textContent).toBe(
        'Not sent. Can’t reach the chat server. Check your connection and try again.',
      ),
    );

    online = true;
    await click(getByRole(container, 'button', 'Try me'));
    await waitFor(() => expect(queryAllByRole(container, 'alert')).toHaveLength(0));
    await waitFor(async () => expect((await backend.listThreads()).items).toHaveLength(1));
  });

  it('shows no suggestions when given none', async () => {
    const container = await render(<NewChat suggestions={[]} />);
    expect(queryAllByRole(container, 'button')).toHaveLength(0);
  });
});
