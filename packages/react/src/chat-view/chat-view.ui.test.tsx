// @vitest-environment happy-dom
import { type ChatBackend, messageText } from '@confab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../internal/testing';
import {
  cleanup,
  click,
  getByRole,
  keyDown,
  queryAllByRole,
  render,
  selectOption,
  type,
  waitFor,
} from '../internal/ui-testing';
import { ChatView } from './chat-view';

afterEach(cleanup);

const models = [
  { id: 'fast', label: 'Fast', provider: 'demo', contextWindow: null },
  { id: 'smart', label: 'Smart', provider: 'demo', contextWindow: null },
];

async function sendFromComposer(container: HTMLElement, text: string) {
  const input = getByRole(container, 'textbox', 'Message');
  await type(input, text);
  await keyDown(input, 'Enter');
}

describe('ChatView', () => {
  it('is a themed, full-height root with the empty state, the composer and no error', async () => {
    const container = await render(<ChatView theme="dark" className="host-class" />);
    const root = container.firstElementChild!;
    expect(root.className).toBe('confab-root confab-chat-view host-class');
    expect(root.getAttribute('data-confab-theme')).toBe('dark');
    expect(container.querySelector('h2')?.textContent).toBe('How can I help?');
    expect(queryAllByRole(container, 'textbox', 'Message')).toHaveLength(1);
    expect(queryAllByRole(container, 'alert')).toHaveLength(0);
  });

  it('leaves the theme to the provider’s system default', async () => {
    const container = await render(<ChatView />);
    expect(container.firstElementChild!.hasAttribute('data-confab-theme')).toBe(false);
  });

  it('sends the first message of a new chat and reports the created thread', async () => {
    const backend = testBackend();
    const onThreadChange = vi.fn();
    const container = await render(<ChatView threadId={null} onThreadChange={onThreadChange} />, {
      backend,
    });

    await sendFromComposer(container, 'Hello there');
    await waitFor(() => expect(onThreadChange).toHaveBeenCalledTimes(1));
    const threadId = onThreadChange.mock.calls[0]![0] as string;
    await waitFor(async () => {
      const page = await backend.listMessages(threadId);
      expect(page.items.map(messageText)).toEqual(['Hello there', 'You said: Hello there']);
    });
  });

  it('keeps its own thread when uncontrolled', async () => {
    const backend = testBackend();
    const container = await render(<ChatView />, { backend });
    await sendFromComposer(container, 'First');
    await waitFor(async () => expect((await backend.listThreads()).items).toHaveLength(1));
    await waitFor(() => expect(queryAllByRole(container, 'button', 'Stop')).toHaveLength(0));
    await sendFromComposer(container, 'Second');
    const [thread] = (await backend.listThreads()).items;
    await waitFor(async () =>
      expect((await backend.listMessages(thread!.id)).items.map(messageText)).toEqual([
        'First',
        'You said: First',
        'Second',
        'You said: Second',
      ]),
    );
    // Both messages went to the same thread.
    expect((await backend.listThreads()).items).toHaveLength(1);
  });

  it('says so when the thread does not exist, and starts a new chat from there', async () => {
    const onThreadChange = vi.fn();
    const container = await render(<ChatView threadId="gone" onThreadChange={onThreadChange} />);
    await waitFor(() =>
      expect(container.querySelector('h2')?.textContent).toBe('This chat doesn’t exist'),
    );
    expect(queryAllByRole(container, 'textbox', 'Message')).toHaveLength(0);
    await click(getByRole(container, 'button', 'New chat'));
    expect(onThreadChange).toHaveBeenCalledWith(null);
  });

  it('claims no title for a thread that does not exist, and offers no model for it', async () => {
    const container = await render(<ChatView threadId="gone" showModelPicker />, {
      backend: testBackend({ models }),
    });
    await waitFor(() => expect(container.querySelector('[data-state="not-found"]')).not.toBeNull());
    const header = container.querySelector('.confab-chat-view__header')!;
    expect(header.textContent).toBe('');
    expect(queryAllByRole(container, 'combobox')).toHaveLength(0);
    // The panel's heading is the only one: nothing calls the missing thread "New chat".
    expect([...container.querySelectorAll('h2')].map((heading) => heading.textContent)).toEqual([
      'This chat doesn’t exist',
    ]);
  });

  it('shows no title while the thread loads, then the thread’s', async () => {
    const backend = testBackend({ models });
    const thread = await backend.createThread({ title: 'Release notes' });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowBackend: ChatBackend = {
      ...backend,
      getThread: async (...args) => {
        await held;
        return backend.getThread(...args);
      },
    };
    const container = await render(<ChatView threadId={thread.id} showModelPicker />, {
      backend: slowBackend,
    });
    const header = container.querySelector('.confab-chat-view__header')!;
    // Not "New chat": the thread may have any title, or turn out not to exist.
    expect(header.querySelector('h2')?.textContent).toBeUndefined();

    release();
    await waitFor(() => expect(header.querySelector('h2')?.textContent).toBe('Release notes'));
  });

  it('shows the thread’s title and sends with the model picked in the header', async () => {
    const backend = testBackend({ models });
    const thread = await backend.createThread({ title: 'Release notes' });
    const container = await render(<ChatView threadId={thread.id} showModelPicker />, {
      backend,
    });
    await waitFor(() => expect(container.querySelector('h2')?.textContent).toBe('Release notes'));
    let picker: HTMLElement | undefined;
    await waitFor(() => {
      picker = getByRole(container, 'combobox', 'Model');
    });
    expect((picker as HTMLSelectElement).value).toBe('fast');

    await selectOption(picker!, 'smart');
    await sendFromComposer(container, 'Summarise it');
    await waitFor(async () => {
      const [question] = (await backend.listMessages(thread.id)).items;
      expect(question?.model).toBe('smart');
    });
    // The choice is kept on the thread, for the next visit.
    expect((await backend.getThread(thread.id)).model).toBe('smart');
  });

  it('renders a host header in place of the title', async () => {
    const container = await render(<ChatView header={<strong>Support</strong>} />);
    expect(container.querySelector('.confab-chat-view__header strong')?.textContent).toBe(
      'Support',
    );
    expect(queryAllByRole(container, 'combobox')).toHaveLength(0);
  });
});
