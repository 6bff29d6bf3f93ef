// @vitest-environment happy-dom
import { type ChatBackend, ConfabError } from '@confab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../internal/testing';
import {
  cleanup,
  click,
  getByRole,
  keyDown,
  queryAllByRole,
  render,
  settle,
  type,
  waitFor,
} from '../internal/ui-testing';
import { ThreadList } from './thread-list';

afterEach(cleanup);

async function backendWithThreads(titles: (string | null)[]) {
  const backend = testBackend();
  const threads = [];
  for (const title of titles) {
    threads.push(await backend.createThread({ title }));
    // Distinct activity times: the list is ordered by them.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { backend, threads };
}

/** A backend that takes a moment, then refuses renames and deletes. */
function refusingChanges(backend: ChatBackend): ChatBackend {
  const refuse = async () => {
    await new Promise((resolve) => setTimeout(resolve, 80));
    throw new ConfabError('internal_error', 'The server refused.');
  };
  return { ...backend, updateThread: refuse, deleteThread: refuse };
}

const rowTitles = (container: HTMLElement) =>
  [...container.querySelectorAll('.confab-thread-list__title')].map((title) => title.textContent);

describe('ThreadList', () => {
  it('lists the threads in a navigation landmark, newest first, and marks the open one', async () => {
    const { backend, threads } = await backendWithThreads(['Groceries', null, 'Trip plans']);
    const container = await render(
      <ThreadList selectedThreadId={threads[0]!.id} onSelect={() => {}} />,
      { backend },
    );
    await waitFor(() => expect(rowTitles(container)).toHaveLength(3));

    const nav = getByRole(container, 'navigation', 'Chats');
    expect(nav.className).toContain('confab-root');
    // An untitled thread reads as "New chat".
    expect(rowTitles(container)).toEqual(['Trip plans', 'New chat', 'Groceries']);
    const current = container.querySelectorAll('[aria-current="page"]');
    expect(current).toHaveLength(1);
    expect(current[0]!.textContent).toContain('Groceries');
    expect(current[0]!.querySelector('time')?.textContent).toBe('Now');
  });

  it('selects a thread when its row is clicked, and starts a new chat', async () => {
    const { backend, threads } = await backendWithThreads(['Groceries']);
    const onSelect = vi.fn();
    const onNewChat = vi.fn();
    const container = await render(<ThreadList onSelect={onSelect} />, { backend });
    await waitFor(() => expect(rowTitles(container)).toHaveLength(1));

    await click(getByRole(container, 'button', /^Groceries/));
    expect(onSelect).toHaveBeenLastCalledWith(threads[0]!.id);

    // Without onNewChat, "New chat" selects no thread.
    await click(getByRole(container, 'button', 'New chat'));
    expect(onSelect).toHaveBeenLastCalledWith(null);

    cleanup();
    const withHandler = await render(<ThreadList onSelect={onSelect} onNewChat={onNewChat} />, {
      backend,
    });
    await click(getByRole(withHandler, 'button', 'New chat'));
    expect(onNewChat).toHaveBeenCalledTimes(1);
  });

  it('shows an empty list', async () => {
    const container = await render(<ThreadList onSelect={() => {}} />);
    await waitFor(() => expect(container.textContent).toContain('No chats yet'));
  });

  it('renames a thread inline: Enter saves, focus returns to the row', async () => {
    const { backend, threads } = await backendWithThreads(['Groceries']);
    const container = await render(<ThreadList onSelect={() => {}} />, { backend });
    await waitFor(() => expect(rowTitles(container)).toHaveLength(1));

    const actions = getByRole(container, 'group', 'Actions for Groceries');
    await click(getByRole(actions, 'button', 'Rename'));
    const input = getByRole(container, 'textbox', 'Chat title') as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe('Groceries');

    await type(input, '  Weekly groceries ');
    await keyDown(input, 'Enter');
    await waitFor(() => expect(rowTitles(container)).toEqual(['Weekly groceries']));
    expect(document.activeElement?.textContent).toContain('Weekly groceries');
    await waitFor(async () =>
      expect((await backend.getThread(threads[0]!.id)).title).toBe('Weekly groceries'),
    );
  });

  it('cancels a rename with Escape, or when the title is left empty', async () => {
    const { backend, threads } = await backendWithThreads(['Groceries']);
    const update = vi.spyOn(backend, 'updateThread');
    const container = await render(<ThreadList onSelect={() => {}} />, { backend });
    await waitFor(() => expect(rowTitles(container)).toHaveLength(1));

    await click(getByRole(container, 'button', 'Rename'));
    await type(getByRole(container, 'textbox', 'Chat title'), 'Something else');
    await keyDown(getByRole(container, 'textbox', 'Chat title'), 'Escape');
    expect(queryAllByRole(container, 'textbox')).toHaveLength(0);
    expect(rowTitles(container)).toEqual(['Groceries']);
    expect(document.activeElement?.textContent).toContain('Groceries');

    await click(getByRole(container, 'button', 'Rename'));
    await type(getByRole(container, 'textbox', 'Chat title'), '   ');
    await keyDown(getByRole(container, 'textbox', 'Chat title'), 'Enter');
    expect(rowTitles(container)).toEqual(['Groceries']);

    await settle();
    expect(update).not.toHaveBeenCalled();
    expect((await backend.getThread(threads[0]!.id)).title).toBe('Groceries');
  });

  it('deletes a thread only after confirming, and Cancel keeps it', async () => {
    const { backend, threads } = await backendWithThreads(['Groceries', 'Trip plans']);
    const onSelect = vi.fn();
    const container = await render(
      <ThreadList selectedThreadId={threads[1]!.id} onSelect={onSelect} />,
      { backend },
    );
    await waitFor(() => expect(rowTitles(container)).toHaveLength(2));

    const tripActions = getByRole(container, 'group', 'Actions for Trip plans');
    const deleteButton = getByRole(tripActions, 'button', 'Delete');
    await click(deleteButton);
    const dialog = getByRole(
      container,
      'alertdialog',
      'Delete “Trip plans”? This cannot be undone.',
    );
    expect(document.activeElement).toBe(getByRole(dialog, 'button', 'Cancel'));

    await click(getByRole(dialog, 'button', 'Cancel'));
    expect(queryAllByRole(container, 'alertdialog')).toHaveLength(0);
    expect(rowTitles(container)).toEqual(['Trip plans', 'Groceries']);
    // Focus goes back to the Delete button that opened the confirmation.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Delete');

    await click(
      getByRole(getByRole(container, 'group', 'Actions for Trip plans'), 'button', 'Delete'),
    );
    await keyDown(getByRole(container, 'alertdialog'), 'Escape');
    expect(queryAllByRole(container, 'alertdialog')).toHaveLength(0);

    await click(
      getByRole(getByRole(container, 'group', 'Actions for Trip plans'), 'button', 'Delete'),
    );
    await click(getByRole(getByRole(container, 'alertdialog'), 'button', 'Delete'));
    await waitFor(() => expect(rowTitles(container)).toEqual(['Groceries']));
    // The open thread was deleted: the host is told to show a new chat.
    expect(onSelect).toHaveBeenCalledWith(null);
    // Focus moved to the neighbouring row rather than getting lost.
    expect(document.activeElement?.textContent).toContain('Groceries');
    await expect(backend.getThread(threads[1]!.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('shows a rename at once and takes it back, with a note, when the server refuses', async () => {
    const seeded = await backendWithThreads(['Groceries']);
    const backend = refusingChanges(seeded.backend);
    const container = await render(<ThreadList onSelect={() => {}} />, { backend });
    await waitFor(() => expect(rowTitles(container)).toHaveLength(1));

    await click(getByRole(container, 'button', 'Rename'));
    await type(getByRole(container, 'textbox', 'Chat title'), 'Weekly groceries');
    await keyDown(getByRole(container, 'textbox', 'Chat title'), 'Enter');
    await waitFor(() => expect(rowTitles(container)).toEqual(['Weekly groceries']));
    expect(queryAllByRole(container, 'alert')).toHaveLength(0);

    await waitFor(() => expect(rowTitles(container)).toEqual(['Groceries']));
    expect(getByRole(container, 'alert').textContent).toContain('Couldn’t rename the chat');
    await click(getByRole(getByRole(container, 'alert'), 'button', 'Dismiss'));
    expect(queryAllByRole(container, 'alert')).toHaveLength(0);
  });

  it('removes a deleted thread at once and puts it back when the server refuses', async () => {
    const seeded = await backendWithThreads(['Groceries', 'Trip plans']);
    const backend = refusingChanges(seeded.backend);
    const onSelect = vi.fn();
    const container = await render(
      <ThreadList selectedThreadId={seeded.threads[1]!.id} onSelect={onSelect} />,
      { backend },
    );
    await waitFor(() => expect(rowTitles(container)).toHaveLength(2));

    await click(
      getByRole(getByRole(container, 'group', 'Actions for Trip plans'), 'button', 'Delete'),
    );
    await click(getByRole(getByRole(container, 'alertdialog'), 'button', 'Delete'));
    await waitFor(() => expect(rowTitles(container)).toEqual(['Groceries']));
    expect(onSelect).toHaveBeenLastCalledWith(null);

    await waitFor(() => expect(rowTitles(container)).toEqual(['Trip plans', 'Groceries']));
    expect(getByRole(container, 'alert').textContent).toContain('Couldn’t delete the chat');
  });

  it('loads older threads with "Load more"', async () => {
    const titles = Array.from({ length: 23 }, (_, index) => `Thread ${index}`);
    const { backend } = await backendWithThreads(titles);
    const container = await render(<ThreadList onSelect={() => {}} />, { backend });
    await waitFor(() => expect(rowTitles(container)).toHaveLength(20));
    expect(rowTitles(container)[0]).toBe('Thread 22');

    await click(getByRole(container, 'button', 'Load more'));
    await waitFor(() => expect(rowTitles(container)).toHaveLength(23));
    expect(rowTitles(container).at(-1)).toBe('Thread 0');
    expect(queryAllByRole(container, 'button', 'Load more')).toHaveLength(0);
  });

  it('offers a retry when the list cannot load', async () => {
    const backend = testBackend();
    let fail = true;
    const flaky: ChatBackend = {
      ...backend,
      listThreads: async (query, options) => {
        if (fail) throw new ConfabError('network_error', 'fetch failed');
        return backend.listThreads(query, options);
      },
    };
    await backend.createThread({ title: 'Groceries' });
    const container = await render(<ThreadList onSelect={() => {}} />, { backend: flaky });
    await waitFor(() =>
      expect(getByRole(container, 'alert').textContent).toContain('Couldn’t load'),
    );

    fail = false;
    await click(getByRole(container, 'button', 'Retry'));
    await waitFor(() => expect(rowTitles(container)).toEqual(['Groceries']));
  });
});
