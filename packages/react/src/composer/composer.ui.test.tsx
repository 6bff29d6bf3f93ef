// @vitest-environment happy-dom
import { type ChatBackend, ConfabError } from '@confab/core';
import { act, type ReactNode, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useChatSession } from '../hooks/use-chat';
import { mount, settle, testBackend, waitFor } from '../internal/testing';
import { ThreadScope } from '../provider/thread-scope';
import { Composer } from './composer';
import { ComposerPrimitive } from './composer-primitive';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A backend that records what was sent and holds each answer open until it is stopped. */
function recordingBackend(options: { holdAnswers?: boolean } = {}) {
  const sent: string[] = [];
  const backend = testBackend({
    reply: options.holdAnswers
      ? async function* (_messages, { signal }) {
          yield 'Thinking about it';
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
        }
      : () => 'Done.',
  });
  const sendMessage: ChatBackend['sendMessage'] = (threadId, body, requestOptions) => {
    sent.push(body.text ?? '');
    return backend.sendMessage(threadId, body, requestOptions);
  };
  return { backend: { ...backend, sendMessage }, sent };
}

function Chat({ children }: { children: ReactNode }) {
  const session = useChatSession();
  return <ThreadScope session={session}>{children}</ThreadScope>;
}

async function render(ui: ReactNode, backend: ChatBackend) {
  const { container, unmount } = await mount(<Chat>{ui}</Chat>, { backend });
  cleanups.push(unmount);
  const input = () => container.querySelector('textarea')!;
  return {
    container,
    input,
    form: () => container.querySelector('form')!,
    button: (name: string) =>
      container.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`),
  };
}

/** Types into the textarea the way a browser reports it to React (an `input` event). */
async function type(textarea: HTMLTextAreaElement, text: string) {
  const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  await act(async () => {
    setValue.call(textarea, text);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Presses a key in the textarea; returns whether the component prevented its default. */
async function press(textarea: HTMLTextAreaElement, init: KeyboardEventInit) {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  await act(async () => {
    textarea.dispatchEvent(event);
  });
  return event.defaultPrevented;
}

async function composition(
  textarea: HTMLTextAreaElement,
  type: 'compositionstart' | 'compositionend',
) {
  await act(async () => {
    textarea.dispatchEvent(new Event(type, { bubbles: true }));
  });
}

describe('Composer', () => {
  it('sends on Enter, trimmed, then clears and keeps focus', async () => {
    const { backend, sent } = recordingBackend();
    const view = await render(<Composer />, backend);
    const textarea = view.input();
    textarea.focus();
    await type(textarea, '  Hello there  ');
    expect(view.form().hasAttribute('data-empty')).toBe(false);

    expect(await press(textarea, { key: 'Enter' })).toBe(true);
    await waitFor(() => expect(sent).toEqual(['Hello there']));
    expect(textarea.value).toBe('');
    expect(document.activeElement).toBe(textarea);
    expect(view.form().hasAttribute('data-empty')).toBe(true);
  });

  it('adds a line on Shift+Enter instead of sending', async () => {
    const { backend, sent } = recordingBackend();
    const view = await render(<Composer />, backend);
    const textarea = view.input();
    await type(textarea, 'First line');

    // Not prevented: the browser inserts the newline itself.
    expect(await press(textarea, { key: 'Enter', shiftKey: true })).toBe(false);
    await type(textarea, 'First line\nSecond line');
    await settle();
    expect(sent).toEqual([]);

    await press(textarea, { key: 'Enter' });
    await waitFor(() => expect(sent).toEqual(['First line\nSecond line']));
  });

  it('never sends on the Enter that confirms an IME composition', async () => {
    const { backend, sent } = recordingBackend();
    const view = await render(<Composer />, backend);
    const textarea = view.input();
    await type(textarea, 'にほんご');

    // Between compositionstart and compositionend, whatever the key event says.
    await composition(textarea, 'compositionstart');
    expect(await press(textarea, { key: 'Enter' })).toBe(false);
    await composition(textarea, 'compositionend');
    // The event marks itself as part of a composition (Chrome, Firefox).
    expect(await press(textarea, { key: 'Enter', isComposing: true })).toBe(false);
    // Safari reports the confirming Enter after compositionend, with keyCode 229.
    expect(await press(textarea, { key: 'Enter', keyCode: 229 })).toBe(false);
    await settle();
    expect(sent).toEqual([]);
    expect(textarea.value).toBe('にほんご');

    // Once the composition is over, Enter sends.
    expect(await press(textarea, { key: 'Enter' })).toBe(true);
    await waitFor(() => expect(sent).toEqual(['にほんご']));
  });

  it('refuses empty or blank input', async () => {
    const { backend, sent } = recordingBackend();
    const view = await render(<Composer />, backend);
    const textarea = view.input();
    expect(view.button('Send')!.disabled).toBe(true);

    await type(textarea, '   \n  ');
    expect(view.button('Send')!.disabled).toBe(true);
    await press(textarea, { key: 'Enter' });
    await act(async () => {
      view.form().requestSubmit();
    });
    await settle();
    expect(sent).toEqual([]);
    expect(textarea.value).toBe('   \n  ');

    await type(textarea, 'Now something');
    expect(view.button('Send')!.disabled).toBe(false);
  });

  it('sends with the Send button', async () => {
    const { backend, sent } = recordingBackend();
    const view = await render(<Composer />, backend);
    await type(view.input(), 'From the button');
    await act(async () => {
      view.button('Send')!.click();
    });
    await waitFor(() => expect(sent).toEqual(['From the button']));
  });

  it('shows Stop instead of Send while the answer streams, and Stop stops it', async () => {
    const { backend, sent } = recordingBackend({ holdAnswers: true });
    const view = await render(<Composer />, backend);
    await type(view.input(), 'Tell me a long story');
    await press(view.input(), { key: 'Enter' });

    await waitFor(() => expect(view.form().getAttribute('data-status')).toBe('streaming'));
    expect(view.button('Send')).toBeNull();
    const stop = view.button('Stop')!;
    expect(stop).not.toBeNull();

    // Enter while an answer streams keeps the next message for later.
    await type(view.input(), 'Next question');
    expect(await press(view.input(), { key: 'Enter' })).toBe(true);
    expect(sent).toEqual(['Tell me a long story']);
    expect(view.input().value).toBe('Next question');

    await act(async () => {
      stop.click();
    });
    await waitFor(() => expect(view.form().getAttribute('data-status')).toBe('ready'));
    expect(view.button('Stop')).toBeNull();
    expect(view.button('Send')).not.toBeNull();
    expect(document.activeElement).toBe(view.input());
  });

  it('keeps the text and says why when the send is refused', async () => {
    const { backend } = recordingBackend();
    const refusing: ChatBackend = {
      ...backend,
      createThread: async () => {
        throw new ConfabError('network_error', 'Can’t reach the server.');
      },
    };
    const view = await render(<Composer />, refusing);
    await type(view.input(), 'Important message');
    await press(view.input(), { key: 'Enter' });

    await waitFor(() => expect(view.input().value).toBe('Important message'));
    const alert = view.container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Not sent.');
    expect(alert?.textContent).toContain('Can’t reach the server.');

    // Editing the text clears the message.
    await type(view.input(), 'Important message!');
    expect(view.container.querySelector('[role="alert"]')).toBeNull();
  });

  it('uses its labels for the input and buttons', async () => {
    const { backend } = recordingBackend();
    const view = await render(
      <Composer
        labels={{ composerInput: 'Nachricht', composerPlaceholder: 'Schreiben…', send: 'Senden' }}
      />,
      backend,
    );
    expect(view.input().getAttribute('aria-label')).toBe('Nachricht');
    expect(view.input().getAttribute('placeholder')).toBe('Schreiben…');
    expect(view.button('Senden')).not.toBeNull();
  });

  it('disables the input and Send when disabled', async () => {
    const { backend } = recordingBackend();
    const view = await render(<Composer disabled />, backend);
    await type(view.input(), 'text');
    expect(view.input().disabled).toBe(true);
    expect(view.button('Send')!.disabled).toBe(true);
    expect(view.form().hasAttribute('data-disabled')).toBe(true);
  });
});

/** A composer whose text lives in its parent's state. */
function ControlledComposer({ onChange }: { onChange: (value: string) => void }) {
  const [value, setValue] = useState('Draft');
  return (
    <ComposerPrimitive.Root
      value={value}
      onValueChange={(next) => {
        onChange(next);
        setValue(next);
      }}
    >
      <ComposerPrimitive.Input />
      <ComposerPrimitive.Send>Send</ComposerPrimitive.Send>
    </ComposerPrimitive.Root>
  );
}

describe('ComposerPrimitive', () => {
  it('works with a controlled value', async () => {
    const { backend, sent } = recordingBackend();
    const seen: string[] = [];
    const view = await render(<ControlledComposer onChange={(next) => seen.push(next)} />, backend);
    expect(view.input().value).toBe('Draft');
    await type(view.input(), 'Draft, edited');
    expect(view.input().value).toBe('Draft, edited');
    await press(view.input(), { key: 'Enter' });
    await waitFor(() => expect(sent).toEqual(['Draft, edited']));
    expect(seen).toEqual(['Draft, edited', '']);
    expect(view.input().value).toBe('');
  });

  it('starts from a default value when uncontrolled, and lets a consumer handler cancel Enter', async () => {
    const { backend, sent } = recordingBackend();
    const view = await render(
      <ComposerPrimitive.Root defaultValue="Hello">
        <ComposerPrimitive.Input
          onKeyDown={(event) => {
            if (event.key === 'Enter' && event.ctrlKey) event.preventDefault();
          }}
        />
      </ComposerPrimitive.Root>,
      backend,
    );
    expect(view.input().value).toBe('Hello');
    await press(view.input(), { key: 'Enter', ctrlKey: true });
    await settle();
    expect(sent).toEqual([]);
    await press(view.input(), { key: 'Enter' });
    await waitFor(() => expect(sent).toEqual(['Hello']));
  });

  it('grows the textarea with its content', async () => {
    const { backend } = recordingBackend();
    const view = await render(<Composer />, backend);
    const textarea = view.input();
    // happy-dom has no layout: a textarea reports its text's height as a browser would, 22px a
    // line (the composer measures a hidden copy of its textarea).
    const original = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'scrollHeight');
    Object.defineProperty(HTMLTextAreaElement.prototype, 'scrollHeight', {
      configurable: true,
      get(this: HTMLTextAreaElement) {
        return 22 * this.value.split('\n').length;
      },
    });
    try {
      await type(textarea, 'one');
      expect(textarea.style.height).toBe('22px');
      await type(textarea, 'one\ntwo\nthree');
      expect(textarea.style.height).toBe('66px');
      await type(textarea, '');
      expect(textarea.style.height).toBe('22px');
    } finally {
      if (original) Object.defineProperty(HTMLTextAreaElement.prototype, 'scrollHeight', original);
      else
        delete (HTMLTextAreaElement.prototype as unknown as Record<string, unknown>).scrollHeight;
    }
    // The hidden copy it measures is out of the way of assistive technology.
    const copy = [...document.querySelectorAll('textarea')].find((element) => element !== textarea);
    expect(copy?.getAttribute('aria-hidden')).toBe('true');
    expect(copy?.tabIndex).toBe(-1);
  });
});
