// @vitest-environment happy-dom
import { type ChatBackend, ConfabError, messageText } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { useChatSession } from '../hooks/use-chat';
import { testBackend } from '../internal/testing';
import { cleanup, click, getByRole, queryAllByRole, render, waitFor } from '../internal/ui-testing';
import { ThreadScope, useMessageIds } from '../provider/thread-scope';
import { ErrorBanner } from './error-banner';

afterEach(cleanup);

function Chat({ threadId, text = 'Hello' }: { threadId: string; text?: string }) {
  const session = useChatSession({ threadId });
  return (
    <ThreadScope session={session}>
      <ErrorBanner />
      <button type="button" onClick={() => void session.send(text)}>
        Send
      </button>
      <MessageCount />
    </ThreadScope>
  );
}

function MessageCount() {
  return <output>{useMessageIds().length} messages</output>;
}

/** Sends fail like a dropped connection while `offline.value` is true. */
function withConnection(backend: ChatBackend) {
  const offline = { value: true };
  const flaky: ChatBackend = {
    ...backend,
    sendMessage: (threadId, body, options) => {
      if (offline.value) return Promise.reject(new ConfabError('network_error', 'fetch failed'));
      return backend.sendMessage(threadId, body, options);
    },
    listMessages: (threadId, query, options) => {
      if (offline.value) return Promise.reject(new ConfabError('timeout', 'timed out'));
      return backend.listMessages(threadId, query, options);
    },
  };
  return { backend: flaky, offline };
}

describe('ErrorBanner', () => {
  it('shows nothing without an error', async () => {
    const backend = testBackend();
    const thread = await backend.createThread();
    const container = await render(<Chat threadId={thread.id} />, { backend });
    expect(queryAllByRole(container, 'alert')).toHaveLength(0);
  });

  it('says the connection is lost when a send fails, and Retry sends it again', async () => {
    const memory = testBackend();
    const thread = await memory.createThread();
    const { backend, offline } = withConnection(memory);
    offline.value = false;
    const container = await render(<Chat threadId={thread.id} />, { backend });
    offline.value = true;

    await click(getByRole(container, 'button', 'Send'));
    const alert = await waitForAlert(container);
    expect(alert.textContent).toContain('Can’t reach the chat server');
    expect(alert.getAttribute('data-error-code')).toBe('network_error');

    offline.value = false;
    await click(getByRole(alert, 'button', 'Retry'));
    await waitFor(() => expect(queryAllByRole(container, 'alert')).toHaveLength(0));
    await waitFor(async () => expect((await memory.listMessages(thread.id)).items).toHaveLength(2));
    expect(container.querySelector('output')?.textContent).toBe('2 messages');
  });

  it('is dismissed', async () => {
    const memory = testBackend();
    const thread = await memory.createThread();
    const { backend, offline } = withConnection(memory);
    offline.value = false;
    const container = await render(<Chat threadId={thread.id} />, { backend });
    offline.value = true;

    await click(getByRole(container, 'button', 'Send'));
    await click(getByRole(await waitForAlert(container), 'button', 'Dismiss'));
    expect(queryAllByRole(container, 'alert')).toHaveLength(0);
  });

  it('retries an answer the model failed to finish by asking for a new one', async () => {
    let overloaded = true;
    const backend = testBackend({
      reply: () => {
        if (overloaded) throw new Error('The model is overloaded.');
        return 'Here is a full answer.';
      },
    });
    const thread = await backend.createThread();
    const container = await render(<Chat threadId={thread.id} />, { backend });

    await click(getByRole(container, 'button', 'Send'));
    const alert = await waitForAlert(container);
    expect(alert.textContent).toContain('The model is overloaded.');
    overloaded = false;
    await click(getByRole(alert, 'button', 'Retry'));
    await waitFor(() => expect(queryAllByRole(container, 'alert')).toHaveLength(0));
    // The new answer took the failed one's place.
    await waitFor(() => expect(container.querySelector('output')?.textContent).toBe('2 messages'));
    // The server's current branch holds the new answer; the failed one is kept as its version.
    const page = await backend.listMessages(thread.id);
    expect(page.items.map((message) => message.status)).toEqual(['complete', 'complete']);
    expect(messageText(page.items[1]!)).toBe('Here is a full answer.');
    const versions = await backend.store.listChildren(
      { userId: 'local' },
      thread.id,
      page.items[0]!.id,
    );
    expect(versions.map((message) => message.status)).toEqual(['failed', 'complete']);
  });

  it('fetches the history again when it could not load', { timeout: 15_000 }, async () => {
    const memory = testBackend();
    const thread = await memory.createThread();
    await memory.sendMessageAndWait(thread.id, { text: 'Earlier question' });
    const { backend, offline } = withConnection(memory);
    const container = await render(<Chat threadId={thread.id} />, { backend });

    // History requests are retried twice, a second apart, before the error shows.
    const alert = await waitForAlert(container, 6_000);
    expect(alert.textContent).toContain('Can’t reach the chat server');
    offline.value = false;
    await click(getByRole(alert, 'button', 'Retry'));
    await waitFor(() => expect(container.querySelector('output')?.textContent).toBe('2 messages'));
    await waitFor(() => expect(queryAllByRole(container, 'alert')).toHaveLength(0));
  });
});

async function waitForAlert(container: HTMLElement, timeoutMs?: number): Promise<HTMLElement> {
  let alert: HTMLElement | undefined;
  await waitFor(() => {
    alert = getByRole(container, 'alert');
  }, timeoutMs);
  return alert!;
}
