// @vitest-environment happy-dom
import { type ChatBackend, ConfabError, messageText } from '@confab/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderHook, settle, testBackend, waitFor } from '../internal/testing';
import { ChatProvider, useChatClient } from '../provider/chat-provider';
import { chatKeys } from './query-keys';
import { useChat } from './use-chat';
import { useModels } from './use-models';
import { useThread } from './use-thread';
import { useCreateThread, useDeleteThread, useRenameThread } from './use-thread-mutations';
import { useThreads } from './use-threads';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function render<Result>(hook: () => Result, backend: ChatBackend, queryClient?: QueryClient) {
  const client = queryClient ?? new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rendered = await renderHook(hook, (children: ReactNode) => (
    <ChatProvider backend={backend} queryClient={client}>
      {children}
    </ChatProvider>
  ));
  cleanups.push(rendered.unmount);
  return { ...rendered, queryClient: client };
}

async function backendWithThreads(count: number) {
  const backend = testBackend();
  for (let index = 0; index < count; index++) {
    await backend.createThread({ title: `Thread ${index}` });
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return backend;
}

/** A backend whose thread changes fail, to watch optimistic updates roll back. */
function refusingChanges(backend: ChatBackend): ChatBackend {
  const refuse = async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    throw new ConfabError('internal_error', 'The server refused.');
  };
  return { ...backend, updateThread: refuse, deleteThread: refuse };
}

describe('useThreads', () => {
  it('lists threads a page at a time, most recent first', async () => {
    const backend = await backendWithThreads(5);
    const { result } = await render(() => useThreads({ limit: 2 }), backend);
    await waitFor(() => expect(result.current.threads).toHaveLength(2));
    expect(result.current.threads.map((thread) => thread.title)).toEqual(['Thread 4', 'Thread 3']);
    expect(result.current.hasMore).toBe(true);

    await act(() => result.current.loadMore());
    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.threads).toHaveLength(5));
    expect(result.current.hasMore).toBe(false);
  });

  it('uses the host app’s QueryClient when there is one', async () => {
    const backend = await backendWithThreads(1);
    const host = new QueryClient();
    const { result } = await renderHook(
      () => useThreads(),
      (children) => (
        <QueryClientProvider client={host}>
          <ChatProvider backend={backend}>{children}</ChatProvider>
        </QueryClientProvider>
      ),
    );
    await waitFor(() => expect(result.current.threads).toHaveLength(1));
    expect(host.getQueryData(chatKeys.threadList({ limit: 20 }))).toBeDefined();
  });
});

describe('thread mutations', () => {
  it('puts a created thread on top of the list', async () => {
    const backend = await backendWithThreads(2);
    const { result } = await render(
      () => ({ list: useThreads(), create: useCreateThread() }),
      backend,
    );
    await waitFor(() => expect(result.current.list.threads).toHaveLength(2));
    await act(() => result.current.create.mutateAsync({ title: 'Fresh' }));
    await waitFor(() => expect(result.current.list.threads).toHaveLength(3));
    expect(result.current.list.threads.map((thread) => thread.title)).toEqual([
      'Fresh',
      'Thread 1',
      'Thread 0',
    ]);
  });

  it('renames at once, and keeps the new title when the server agrees', async () => {
    const backend = await backendWithThreads(1);
    const { result } = await render(
      () => ({ list: useThreads(), rename: useRenameThread() }),
      backend,
    );
    await waitFor(() => expect(result.current.list.threads).toHaveLength(1));
    const [thread] = result.current.list.threads;
    await act(async () => {
      result.current.rename.mutate({ threadId: thread!.id, title: 'Renamed' });
    });
    await waitFor(() => expect(result.current.list.threads[0]!.title).toBe('Renamed'));
    await settle();
    expect((await backend.getThread(thread!.id)).title).toBe('Renamed');
    expect(result.current.list.threads[0]!.title).toBe('Renamed');
  });

  it('rolls a rename and a delete back when the server refuses them', async () => {
    const backend = await backendWithThreads(2);
    const { result } = await render(
      () => ({ list: useThreads(), rename: useRenameThread(), remove: useDeleteThread() }),
      refusingChanges(backend),
    );
    await waitFor(() => expect(result.current.list.threads).toHaveLength(2));
    const [first] = result.current.list.threads;

    await act(async () => {
      result.current.rename.mutate({ threadId: first!.id, title: 'Nope' });
    });
    await waitFor(() => expect(result.current.list.threads[0]!.title).toBe('Nope'));
    await waitFor(() => expect(result.current.list.threads[0]!.title).toBe('Thread 1'));
    expect(result.current.rename.error?.message).toBe('The server refused.');

    await act(async () => {
      result.current.remove.mutate(first!.id);
    });
    await waitFor(() => expect(result.current.list.threads).toHaveLength(1));
    await waitFor(() => expect(result.current.list.threads).toHaveLength(2));
    expect(result.current.remove.error?.message).toBe('The server refused.');
  });

  it('deletes a thread and releases its controller', async () => {
    const backend = await backendWithThreads(2);
    const { result } = await render(
      () => ({ list: useThreads(), remove: useDeleteThread(), client: useChatClient() }),
      backend,
    );
    await waitFor(() => expect(result.current.list.threads).toHaveLength(2));
    const [first] = result.current.list.threads;
    const { client } = result.current;
    client.thread(first!.id);
    expect(client.threadIds).toContain(first!.id);
    await act(() => result.current.remove.mutateAsync(first!.id));
    await waitFor(() =>
      expect(result.current.list.threads.map((thread) => thread.id)).not.toContain(first!.id),
    );
    expect(client.threadIds).not.toContain(first!.id);
    await expect(backend.getThread(first!.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('useThread', () => {
  it('opens a long thread with its newest page and loads older pages on demand', async () => {
    const backend = testBackend({ reply: () => 'ok' });
    const thread = await backend.createThread();
    for (let index = 0; index < 60; index++) {
      await backend.sendMessageAndWait(thread.id, { text: `question ${index}` });
    }
    const { result } = await render(() => useThread(thread.id), backend);
    await waitFor(() => expect(result.current.messages).toHaveLength(50));
    expect(result.current.hasOlder).toBe(true);
    expect(messageText(result.current.messages.at(-2)!)).toBe('question 59');

    await act(() => result.current.loadOlder());
    await waitFor(() => expect(result.current.messages).toHaveLength(100));
    await act(() => result.current.loadOlder());
    await waitFor(() => expect(result.current.messages).toHaveLength(120));
    expect(result.current.hasOlder).toBe(false);
    expect(messageText(result.current.messages[0]!)).toBe('question 0');
    const sequences = result.current.messages.map((message) => message.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it('reports a thread that does not exist as a 404 error', async () => {
    const { result } = await render(() => useThread('missing-thread'), testBackend());
    await waitFor(() => expect(result.current.error?.status).toBe(404));
    expect(result.current.status).toBe('error');
  });
});

describe('useChat', () => {
  it('creates the thread on the first send, streams the answer and lists the thread', async () => {
    const backend = testBackend({ reply: () => ['Hello ', 'from ', 'the model'] });
    const created: string[] = [];
    const { result } = await render(
      () => ({
        chat: useChat({ onThreadCreated: (thread) => created.push(thread.id) }),
        list: useThreads(),
      }),
      backend,
    );
    expect(result.current.chat.threadId).toBeNull();
    expect(result.current.chat.messages).toEqual([]);

    await act(async () => {
      await result.current.chat.send('Hi');
    });
    await waitFor(() => expect(result.current.chat.status).toBe('ready'));
    expect(created).toHaveLength(1);
    expect(result.current.chat.threadId).toBe(created[0]);
    expect(result.current.chat.messages.map((message) => messageText(message))).toEqual([
      'Hi',
      'Hello from the model',
    ]);
    await waitFor(() =>
      expect(result.current.list.threads.map((thread) => thread.id)).toEqual(created),
    );
  });

  it('re-renders at most once per animation frame however fast tokens arrive', async () => {
    const tokens = Array.from({ length: 400 }, (_, index) => `t${index} `);
    const backend = testBackend({ reply: () => tokens });
    const thread = await backend.createThread();
    let renders = 0;
    const { result } = await render(() => {
      renders++;
      return useChat({ threadId: thread.id });
    }, backend);
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    const before = renders;
    await act(async () => {
      await result.current.send('Go');
    });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(messageText(result.current.messages.at(-1)!)).toBe(tokens.join(''));
    // 400 deltas; the in-process backend delivers them within a few frames.
    expect(renders - before).toBeLessThan(40);
  });
});

describe('useModels', () => {
  it('lists the server’s models and its default', async () => {
    const backend = testBackend({
      models: [
        { id: 'small', label: 'Small', provider: 'test', contextWindow: 8000 },
        { id: 'large', label: 'Large', provider: 'test', contextWindow: null },
      ],
    });
    const { result } = await render(() => useModels(), backend);
    await waitFor(() => expect(result.current.models).toHaveLength(2));
    expect(result.current.defaultModel).toBe('small');
  });
});
