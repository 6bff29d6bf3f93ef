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
  waitFor,
} from '../internal/ui-testing';
import { ThreadList } from '../thread-list/thread-list';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** A backend holding one thread, "Trip", with a question and its answer. */
async function tripBackend() {
  const backend = testBackend({ reply: () => 'Lisbon, in spring.' });
  const thread = await backend.createThread({ title: 'Trip' });
  await backend.sendMessageAndWait(thread.id, { text: 'Where should I go?' });
  return { backend, thread };
}

async function renderList(backend: ChatBackend, onSelect = vi.fn()) {
  const container = await render(<ThreadList onSelect={onSelect} />, { backend });
  await waitFor(() => expect(queryAllByRole(container, 'button', 'More actions')).toHaveLength(1));
  return { container, onSelect };
}

const items = (container: HTMLElement) => queryAllByRole(container, 'menuitem');

describe('ThreadMenu in a ThreadList row', () => {
  it('opens with the keyboard, moves with the arrows, and Escape gives focus back', async () => {
    const { backend } = await tripBackend();
    const { container } = await renderList(backend);
    const button = getByRole(container, 'button', 'More actions');
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    expect(button.getAttribute('aria-expanded')).toBe('false');

    await keyDown(button, 'ArrowDown');
    await settle();
    const menu = getByRole(container, 'menu', 'More actions');
    expect(button.getAttribute('aria-controls')).toBe(menu.id);
    expect(items(container).map((item) => item.textContent)).toEqual([
      'Fork chat',
      'Export as Markdown',
      'Export as JSON',
    ]);
    expect(document.activeElement).toBe(items(container)[0]);
    await keyDown(document.activeElement!, 'ArrowDown');
    expect(document.activeElement).toBe(items(container)[1]);
    await keyDown(document.activeElement!, 'End');
    expect(document.activeElement).toBe(items(container)[2]);
    await keyDown(document.activeElement!, 'ArrowDown');
    expect(document.activeElement).toBe(items(container)[0]);

    await keyDown(document.activeElement!, 'Escape');
    expect(queryAllByRole(container, 'menu')).toHaveLength(0);
    expect(document.activeElement).toBe(button);
  });

  it('forks the thread up to its last message and opens the copy', async () => {
    const { backend, thread } = await tripBackend();
    const { container, onSelect } = await renderList(backend);
    await click(getByRole(container, 'button', 'More actions'));
    await click(getByRole(container, 'menuitem', 'Fork chat'));
    await waitFor(() => expect(onSelect).toHaveBeenCalled());
    const forkedId = onSelect.mock.lastCall![0] as string;
    expect(forkedId).not.toBe(thread.id);
    const copy = await backend.listMessages(forkedId);
    expect(copy.items.map((message) => message.role)).toEqual(['user', 'assistant']);
    // The copy is on top of the list at once.
    await waitFor(() =>
      expect(container.querySelectorAll('.confab-thread-list__item')).toHaveLength(2),
    );
  });

  it('downloads an export under the name the server gives it', async () => {
    const { backend } = await tripBackend();
    const created = vi.fn(() => 'blob:export');
    const revoked = vi.fn();
    vi.spyOn(URL, 'createObjectURL').mockImplementation(created);
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(revoked);
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this);
    });
    const { container } = await renderList(backend);
    await click(getByRole(container, 'button', 'More actions'));
    await click(getByRole(container, 'menuitem', 'Export as Markdown'));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toMatch(/\.md$/);
    expect(clicked[0]!.href).toBe('blob:export');
    expect(clicked[0]!.isConnected).toBe(false);
    await waitFor(() => expect(revoked).toHaveBeenCalledWith('blob:export'));
  });

  it('says so when a fork fails', async () => {
    const { backend } = await tripBackend();
    const refusing: ChatBackend = {
      ...backend,
      forkThread: async () => {
        throw new ConfabError('internal_error', 'No.');
      },
    };
    const { container, onSelect } = await renderList(refusing);
    await click(getByRole(container, 'button', 'More actions'));
    await click(getByRole(container, 'menuitem', 'Fork chat'));
    await waitFor(() =>
      expect(getByRole(container, 'alert').textContent).toContain('Couldn’t fork'),
    );
    expect(onSelect).not.toHaveBeenCalled();
  });
});
