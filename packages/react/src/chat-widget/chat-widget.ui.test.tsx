// @vitest-environment happy-dom
import { memoryBackend, messageText } from '@confab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cleanup,
  click,
  getByRole,
  keyDown,
  queryAllByRole,
  render,
  type,
  waitFor,
} from '../internal/ui-testing';
import { ChatWidget } from './chat-widget';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const launcher = (container: HTMLElement) =>
  container.querySelector<HTMLButtonElement>('.confab-chat-widget__launcher')!;

describe('ChatWidget', () => {
  it('starts closed: a launcher that controls a hidden panel', async () => {
    const container = await render(<ChatWidget />);
    const button = launcher(container);
    expect(button.getAttribute('aria-label')).toBe('Open chat');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const panel = document.getElementById(button.getAttribute('aria-controls')!);
    expect(panel?.getAttribute('role')).toBe('dialog');
    expect(panel?.hidden).toBe(true);
    expect(queryAllByRole(container, 'dialog')).toHaveLength(0);
  });

  it('opens into the composer, and Escape closes it and returns focus to the launcher', async () => {
    const container = await render(<ChatWidget title="Help" />);
    launcher(container).focus();
    await click(launcher(container));

    const dialog = getByRole(container, 'dialog', 'Help');
    expect(dialog.getAttribute('aria-modal')).toBe('false');
    expect(launcher(container).getAttribute('aria-expanded')).toBe('true');
    expect(launcher(container).getAttribute('aria-label')).toBe('Close chat');
    const input = getByRole(dialog, 'textbox', 'Message');
    expect(document.activeElement).toBe(input);

    await keyDown(input, 'Escape');
    expect(queryAllByRole(container, 'dialog')).toHaveLength(0);
    expect(document.activeElement).toBe(launcher(container));
  });

  it('closes with its close button, keeping the draft for next time', async () => {
    const onOpenChange = vi.fn();
    const container = await render(<ChatWidget defaultOpen onOpenChange={onOpenChange} />);
    const dialog = getByRole(container, 'dialog', 'Chat');
    // Open from the start: the page keeps its focus.
    expect(dialog.contains(document.activeElement)).toBe(false);
    await type(getByRole(dialog, 'textbox', 'Message'), 'Half a thought');

    await click(getByRole(dialog, 'button', 'Close chat'));
    expect(onOpenChange).toHaveBeenLastCalledWith(false);
    expect(queryAllByRole(container, 'dialog')).toHaveLength(0);
    expect(document.activeElement).toBe(launcher(container));

    await click(launcher(container));
    expect((getByRole(container, 'textbox', 'Message') as HTMLTextAreaElement).value).toBe(
      'Half a thought',
    );
  });

  it('follows a controlled open prop', async () => {
    const onOpenChange = vi.fn();
    const container = await render(<ChatWidget open={false} onOpenChange={onOpenChange} />);
    await click(launcher(container));
    expect(onOpenChange).toHaveBeenCalledWith(true);
    // The host did not open it.
    expect(queryAllByRole(container, 'dialog')).toHaveLength(0);
  });

  it('works without a ChatProvider, given a backend', async () => {
    const backend = memoryBackend();
    const container = await render(<ChatWidget backend={backend} defaultOpen />, {
      provider: false,
    });
    const input = getByRole(container, 'textbox', 'Message');
    await type(input, 'Hi widget');
    await keyDown(input, 'Enter');
    await waitFor(async () => {
      const [thread] = (await backend.listThreads()).items;
      expect(thread).toBeDefined();
      const page = await backend.listMessages(thread!.id);
      expect(page.items.map(messageText)).toEqual(['Hi widget', 'You said: Hi widget']);
    });
  });

  it('lists the chats in the panel: choosing one opens it, Escape closes only the list', async () => {
    const backend = memoryBackend();
    const older = await backend.createThread({ title: 'Older chat' });
    await backend.sendMessageAndWait(older.id, { text: 'An old question' });
    const container = await render(<ChatWidget defaultOpen />, { backend });
    const dialog = getByRole(container, 'dialog', 'Chat');

    const toggle = getByRole(dialog, 'button', 'Show chats');
    await click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-label')).toBe('Hide chats');
    const list = await waitForNavigation(dialog);
    await waitFor(() => getByRole(list, 'button', /^Older chat/));

    await keyDown(getByRole(list, 'button', /^Older chat/), 'Escape');
    expect(queryAllByRole(dialog, 'navigation')).toHaveLength(0);
    expect(queryAllByRole(container, 'dialog')).toHaveLength(1);
    expect(document.activeElement).toBe(toggle);

    await click(toggle);
    await click(getByRole(await waitForNavigation(dialog), 'button', /^Older chat/));
    expect(queryAllByRole(dialog, 'navigation')).toHaveLength(0);
    // Straight back to writing, in the chosen chat.
    expect(document.activeElement).toBe(getByRole(dialog, 'textbox', 'Message'));
    await click(toggle);
    const current = (await waitForNavigation(dialog)).querySelector('[aria-current="page"]');
    expect(current?.textContent).toContain('Older chat');
  });

  it('remembers the open chat under storageKey', async () => {
    const backend = memoryBackend();
    const thread = await backend.createThread({ title: 'Remembered' });
    await backend.sendMessageAndWait(thread.id, { text: 'Remember me' });
    window.localStorage.setItem('support-chat', thread.id);
    const container = await render(<ChatWidget defaultOpen storageKey="support-chat" />, {
      backend,
    });
    await click(getByRole(container, 'button', 'Show chats'));
    await waitFor(() =>
      expect(container.querySelector('[aria-current="page"]')?.textContent).toContain('Remembered'),
    );

    const header = container.querySelector<HTMLElement>('.confab-chat-widget__header')!;
    await click(getByRole(header, 'button', 'New chat'));
    expect(window.localStorage.getItem('support-chat')).toBeNull();
  });
});

async function waitForNavigation(container: HTMLElement): Promise<HTMLElement> {
  let nav: HTMLElement | undefined;
  await waitFor(() => {
    nav = getByRole(container, 'navigation', 'Chats');
  });
  return nav!;
}
