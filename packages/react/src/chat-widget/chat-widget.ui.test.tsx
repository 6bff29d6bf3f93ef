// @vitest-environment happy-dom
import { messageText } from '@confab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../internal/testing';
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

/** The widget's shadow root: everything it renders is in there, out of the page's reach. */
async function renderWidget(...args: Parameters<typeof render>): Promise<ShadowRoot> {
  const container = await render(...args);
  const host = container.querySelector<HTMLElement>('.confab-chat-widget')!;
  expect(host.shadowRoot).not.toBeNull();
  return host.shadowRoot!;
}

const launcher = (widget: ShadowRoot) =>
  widget.querySelector<HTMLButtonElement>('.confab-chat-widget__launcher')!;

describe('ChatWidget', () => {
  it('renders in a shadow root of one element, which carries its stylesheet', async () => {
    const container = await render(<ChatWidget className="support" defaultOpen />);
    const host = container.querySelector<HTMLElement>('.confab-chat-widget')!;
    expect(host.className).toBe('confab-root confab-chat-widget support');
    // Nothing of the widget in the page's own tree, where the page's selectors would reach it.
    expect(host.children).toHaveLength(0);
    const widget = host.shadowRoot!;
    expect(getByRole(widget, 'dialog', 'Chat')).toBeDefined();
    const css = [
      ...[...widget.adoptedStyleSheets].flatMap((sheet) =>
        [...sheet.cssRules].map((rule) => rule.cssText),
      ),
      ...[...widget.querySelectorAll('style')].map((style) => style.textContent),
    ].join('\n');
    expect(css).toContain('.confab-chat-widget__panel');
  });

  it('starts closed: a launcher that controls a hidden panel', async () => {
    const widget = await renderWidget(<ChatWidget />);
    const button = launcher(widget);
    expect(button.getAttribute('aria-label')).toBe('Open chat');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const panel = widget.getElementById(button.getAttribute('aria-controls')!);
    expect(panel?.getAttribute('role')).toBe('dialog');
    expect(panel?.hidden).toBe(true);
    expect(queryAllByRole(widget, 'dialog')).toHaveLength(0);
  });

  it('opens into the composer, and Escape closes it and returns focus to the launcher', async () => {
    const widget = await renderWidget(<ChatWidget title="Help" />);
    launcher(widget).focus();
    await click(launcher(widget));

    const dialog = getByRole(widget, 'dialog', 'Help');
    expect(dialog.getAttribute('aria-modal')).toBe('false');
    expect(launcher(widget).getAttribute('aria-expanded')).toBe('true');
    expect(launcher(widget).getAttribute('aria-label')).toBe('Close chat');
    const input = getByRole(dialog, 'textbox', 'Message');
    expect(widget.activeElement).toBe(input);

    await keyDown(input, 'Escape');
    expect(queryAllByRole(widget, 'dialog')).toHaveLength(0);
    expect(widget.activeElement).toBe(launcher(widget));
  });

  it('closes with its close button, keeping the draft for next time', async () => {
    const onOpenChange = vi.fn();
    const widget = await renderWidget(<ChatWidget defaultOpen onOpenChange={onOpenChange} />);
    const dialog = getByRole(widget, 'dialog', 'Chat');
    // Open from the start: the page keeps its focus.
    expect(dialog.contains(widget.activeElement)).toBe(false);
    await type(getByRole(dialog, 'textbox', 'Message'), 'Half a thought');

    await click(getByRole(dialog, 'button', 'Close chat'));
    expect(onOpenChange).toHaveBeenLastCalledWith(false);
    expect(queryAllByRole(widget, 'dialog')).toHaveLength(0);
    expect(widget.activeElement).toBe(launcher(widget));

    await click(launcher(widget));
    expect((getByRole(widget, 'textbox', 'Message') as HTMLTextAreaElement).value).toBe(
      'Half a thought',
    );
  });

  it('follows a controlled open prop', async () => {
    const onOpenChange = vi.fn();
    const widget = await renderWidget(<ChatWidget open={false} onOpenChange={onOpenChange} />);
    await click(launcher(widget));
    expect(onOpenChange).toHaveBeenCalledWith(true);
    // The host did not open it.
    expect(queryAllByRole(widget, 'dialog')).toHaveLength(0);
  });

  it('works without a ChatProvider, given a backend', async () => {
    const backend = testBackend();
    const widget = await renderWidget(<ChatWidget backend={backend} defaultOpen />, {
      provider: false,
    });
    const input = getByRole(widget, 'textbox', 'Message');
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
    const backend = testBackend();
    const older = await backend.createThread({ title: 'Older chat' });
    await backend.sendMessageAndWait(older.id, { text: 'An old question' });
    const widget = await renderWidget(<ChatWidget defaultOpen />, { backend });
    const dialog = getByRole(widget, 'dialog', 'Chat');

    const toggle = getByRole(dialog, 'button', 'Show chats');
    await click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-label')).toBe('Hide chats');
    const list = await waitForNavigation(dialog);
    await waitFor(() => getByRole(list, 'button', /^Older chat/));

    await keyDown(getByRole(list, 'button', /^Older chat/), 'Escape');
    expect(queryAllByRole(dialog, 'navigation')).toHaveLength(0);
    expect(queryAllByRole(widget, 'dialog')).toHaveLength(1);
    expect(widget.activeElement).toBe(toggle);

    await click(toggle);
    await click(getByRole(await waitForNavigation(dialog), 'button', /^Older chat/));
    expect(queryAllByRole(dialog, 'navigation')).toHaveLength(0);
    // Straight back to writing, in the chosen chat.
    expect(widget.activeElement).toBe(getByRole(dialog, 'textbox', 'Message'));
    await click(toggle);
    const current = (await waitForNavigation(dialog)).querySelector('[aria-current="page"]');
    expect(current?.textContent).toContain('Older chat');
  });

  it('remembers the open chat under storageKey', async () => {
    const backend = testBackend();
    const thread = await backend.createThread({ title: 'Remembered' });
    await backend.sendMessageAndWait(thread.id, { text: 'Remember me' });
    window.localStorage.setItem('support-chat', thread.id);
    const widget = await renderWidget(<ChatWidget defaultOpen storageKey="support-chat" />, {
      backend,
    });
    await click(getByRole(widget, 'button', 'Show chats'));
    await waitFor(() =>
      expect(widget.querySelector('[aria-current="page"]')?.textContent).toContain('Remembered'),
    );

    const header = widget.querySelector<HTMLElement>('.confab-chat-widget__header')!;
    await click(getByRole(header, 'button', 'New chat'));
    expect(window.localStorage.getItem('support-chat')).toBeNull();
  });
});

async function waitForNavigation(container: ParentNode): Promise<HTMLElement> {
  let nav: HTMLElement | undefined;
  await waitFor(() => {
    nav = getByRole(container, 'navigation', 'Chats');
  });
  return nav!;
}
